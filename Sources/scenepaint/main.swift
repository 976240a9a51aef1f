import Support
import Tensor
BLASEnvironment.reexecIfSlowCore(loadedCore: BLASInfo.coreName)
print("scenepaint (CLI being built)")
