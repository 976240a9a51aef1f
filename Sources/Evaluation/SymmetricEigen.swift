import CBLAS
import Support

/// Eigenvalues of a symmetric matrix via LAPACK dsyev (from OpenBLAS).
public enum SymmetricEigen {
    public struct Failure: Error, CustomStringConvertible {
        public let info: Int
        public var description: String { "eigendecomposition did not converge (LAPACK info \(info))" }
    }

    /// Eigenvalues (ascending) and, if requested, eigenvectors as columns of a
    /// column-major n x n matrix. `matrix` is row-major n x n and symmetric.
    public static func decompose(_ matrix: [Double], n: Int, vectors: Bool) throws -> (values: [Double], vectors: [Double]) {
        invariant(matrix.count == n * n && n > 0, "SymmetricEigen: \(matrix.count) entries for n = \(n)")
        var a = matrix  // symmetric: row- and column-major agree
        var w = [Double](repeating: 0, count: n)
        var jobz: CChar = vectors ? 86 : 78  // "V" or "N"
        var uplo: CChar = 85  // "U"
        var nn = Int32(n), lda = Int32(n), info: Int32 = 0
        var lwork: Int32 = -1
        var query = [Double](repeating: 0, count: 1)
        dsyev_(&jobz, &uplo, &nn, &a, &lda, &w, &query, &lwork, &info)
        lwork = Int32(max(1, Int(query[0])))
        var work = [Double](repeating: 0, count: Int(lwork))
        dsyev_(&jobz, &uplo, &nn, &a, &lda, &w, &work, &lwork, &info)
        guard info == 0 else { throw Failure(info: Int(info)) }
        return (w, vectors ? a : [])
    }
}
