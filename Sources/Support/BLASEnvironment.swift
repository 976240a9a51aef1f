import Foundation

/// OpenBLAS reads OPENBLAS_CORETYPE once, when the library loads, which is
/// before `main` runs for a binary linked against it. So the binary sets the
/// variable and re-executes itself, once, before doing anything else.
public enum BLASEnvironment {
    public static let coreTypeVariable = "OPENBLAS_CORETYPE"
    /// Set in the re-executed process so a failing exec can never loop.
    public static let marker = "SCENEPAINT_BLAS_REEXEC"

    /// Call first thing in `main`. Returns only if no re-exec was needed or it failed.
    public static func reexecWithCoreTypeIfNeeded(features: CPUFeatures = .current()) {
        let env = ProcessInfo.processInfo.environment
        guard env[coreTypeVariable] == nil, env[marker] == nil,
              let core = features.recommendedOpenBLASCoreType else { return }
        setenv(coreTypeVariable, core, 1)
        setenv(marker, "1", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // execv only returns on failure: carry on with the default kernels.
        unsetenv(coreTypeVariable)
    }

    /// Whether the core type in this process came from the user, from us, or not at all.
    public static var coreTypeSource: String {
        let env = ProcessInfo.processInfo.environment
        guard let value = env[coreTypeVariable] else { return "not set (OpenBLAS autodetects)" }
        return env[marker] != nil ? "\(value) (set by scenepaint)" : "\(value) (set by the user)"
    }
}
