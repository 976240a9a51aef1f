import Foundation

/// OpenBLAS reads OPENBLAS_CORETYPE once, when the library loads, which is
/// before `main` runs for a binary linked against it. Debian's OpenBLAS 0.3.21
/// does not recognise some newer CPUs and falls back to generic kernels that
/// are 3-6x slower. So `main` asks OpenBLAS which core it picked; if that is a
/// slow fallback for what this CPU can do, it sets the variable and re-executes
/// itself, once. A user's own OPENBLAS_CORETYPE is always respected.
/// The same re-exec sets OMP_WAIT_POLICY=PASSIVE for oneDNN's OpenMP threads
/// (read when libgomp loads): spinning threads waiting at a barrier take the
/// core from the thread with the work when the machine is busy (measured: a
/// 64-channel 3x3 conv on 2 threads at load 20 took 290-310 ms spinning,
/// 120-175 ms passive, 165-190 ms on 1 thread). A user's own value is kept.
/// And OPENBLAS_THREAD_TIMEOUT=4 (read when OpenBLAS starts its threads): its
/// idle workers otherwise spin for 2^28 cycles after every GEMM and take the
/// second core from oneDNN's and the engine's threads (measured quiet: all views
/// of the shipped LGGAN at 2 threads, bf16, 68.7 -> 54.6 ms; the engine 77.1 -> 75.3).
public enum BLASEnvironment {
    public static let coreTypeVariable = "OPENBLAS_CORETYPE"
    public static let waitPolicyVariable = "OMP_WAIT_POLICY"
    public static let threadTimeoutVariable = "OPENBLAS_THREAD_TIMEOUT"
    /// Set in the re-executed process (to the variables it set) so a failing exec can never loop.
    public static let marker = "SCENEPAINT_BLAS_REEXEC"

    static let avx512Cores: Set<String> = ["skylakex", "cooperlake", "sapphirerapids"]
    static let avx2Cores: Set<String> = avx512Cores.union(["haswell", "zen"])

    /// The core type to re-exec with, or nil when the loaded one is already right.
    public static func betterCoreType(loadedCore: String, features: CPUFeatures) -> String? {
        let loaded = loadedCore.lowercased()
        if features.hasAVX512, features.flags.contains("avx512dq"), features.flags.contains("avx512cd") {
            if avx512Cores.contains(loaded) { return nil }
            return features.flags.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX"
        }
        if features.hasAVX2 {
            return avx2Cores.contains(loaded) ? nil : "Haswell"
        }
        return nil
    }

    /// Call first thing in `main` with `openblas_get_corename()`. Returns only
    /// if no re-exec was needed or it failed (then the default kernels are used).
    public static func reexecIfSlowCore(loadedCore: String, features: CPUFeatures = .current()) {
        let env = ProcessInfo.processInfo.environment
        guard env[marker] == nil else { return }
        var settings: [(String, String)] = []
        if env[coreTypeVariable] == nil, let core = betterCoreType(loadedCore: loadedCore, features: features) {
            settings.append((coreTypeVariable, core))
        }
        if env[waitPolicyVariable] == nil { settings.append((waitPolicyVariable, "PASSIVE")) }
        if env[threadTimeoutVariable] == nil { settings.append((threadTimeoutVariable, "4")) }
        guard !settings.isEmpty else { return }
        for (name, value) in settings { setenv(name, value, 1) }
        setenv(marker, settings.map { $0.0 }.joined(separator: ","), 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        for (name, _) in settings { unsetenv(name) }
    }

    /// Where the core type in this process came from.
    public static var coreTypeSource: String {
        let env = ProcessInfo.processInfo.environment
        guard let value = env[coreTypeVariable] else { return "autodetected by OpenBLAS" }
        let ours = env[marker]?.split(separator: ",").contains { $0 == coreTypeVariable } == true
        return ours ? "OPENBLAS_CORETYPE=\(value), set by scenepaint" : "OPENBLAS_CORETYPE=\(value), set by the user"
    }
}
