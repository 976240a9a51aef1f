import Support
import Tensor

// OpenBLAS picked its kernels when it loaded; if they are a slow fallback for
// this CPU, come back with OPENBLAS_CORETYPE set (see BLASEnvironment).
BLASEnvironment.reexecIfSlowCore(loadedCore: BLASInfo.coreName)
CommandLineRunner.run(Scenepaint.self)
