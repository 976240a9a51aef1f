import Support
BLASEnvironment.reexecWithCoreTypeIfNeeded()
print("scenepaint")
