import CBLAS

/// What the loaded OpenBLAS is doing: its kernel family and thread count.
public enum BLASInfo {
    public static var coreName: String { openblas_get_corename().map { String(cString: $0) } ?? "unknown" }
    public static var threads: Int { Int(openblas_get_num_threads()) }
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
    public static var config: String { openblas_get_config().map { String(cString: $0) } ?? "" }
}
