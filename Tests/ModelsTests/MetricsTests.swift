import Evaluation
import XCTest

final class MetricsTests: XCTestCase {
    /// A 3-class confusion matrix computed by hand:
    ///            pred 0  pred 1  pred 2
    /// truth 0      5       1       0
    /// truth 1      2       3       1
    /// truth 2      0       0       0      (class 2 never true, predicted once)
    func testConfusionMatrixMetricsByHand() {
        var m = ConfusionMatrix(classCount: 3)
        let pairs: [(Int, Int, Int)] = [(0, 0, 5), (0, 1, 1), (1, 0, 2), (1, 1, 3), (1, 2, 1)]
        var truth: [Int] = [], predicted: [Int] = []
        for (t, p, n) in pairs { truth += Array(repeating: t, count: n); predicted += Array(repeating: p, count: n) }
        truth.append(-1); predicted.append(0)  // ignored pixel
        m.add(truth: truth, predicted: predicted)
        XCTAssertEqual(m.total, 12)
        XCTAssertEqual(m.pixelAccuracy, 8.0 / 12.0, accuracy: 1e-12)
        let iou = m.perClassIoU
        XCTAssertEqual(iou[0]!, 5.0 / (6 + 7 - 5), accuracy: 1e-12)   // 5/8
        XCTAssertEqual(iou[1]!, 3.0 / (6 + 4 - 3), accuracy: 1e-12)   // 3/7
        XCTAssertEqual(iou[2]!, 0, accuracy: 1e-12)                    // predicted once, never true
        XCTAssertEqual(m.meanIoU, (5.0 / 8 + 3.0 / 7 + 0) / 3, accuracy: 1e-12)
        XCTAssertEqual(m.meanIoU(over: [1, 2])!, (3.0 / 7) / 2, accuracy: 1e-12)

        let empty = ConfusionMatrix(classCount: 4)
        XCTAssertEqual(empty.perClassIoU.compactMap { $0 }.count, 0, "absent classes do not count")
        XCTAssertNil(empty.meanIoU(over: [0]))
    }

    func testFrechetDistanceOfASetWithItselfIsZero() throws {
        var features: [[Double]] = []
        var state: UInt64 = 42
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        for _ in 0..<200 { features.append((0..<8).map { _ in next() * 3 - 1 }) }
        XCTAssertEqual(try FrechetDistance.distance(features, features), 0, accuracy: 1e-8)
    }

    /// Two Gaussians with known closed form: diagonal covariances commute, so
    /// d = |mu1-mu2|^2 + sum (sqrt(a_i) - sqrt(b_i))^2.
    func testFrechetDistanceOfKnownGaussians() throws {
        let mean1 = [0.0, 1.0, 2.0], mean2 = [1.0, 1.0, 0.0]
        let a = [1.0, 4.0, 9.0], b = [4.0, 1.0, 9.0]
        func diag(_ d: [Double]) -> [Double] { var m = [Double](repeating: 0, count: 9); for i in 0..<3 { m[i * 3 + i] = d[i] }; return m }
        let expected = (1.0 + 0 + 4) + (1.0 + 1.0 + 0)  // means 5, covariances (1-2)^2 + (2-1)^2 + 0
        XCTAssertEqual(try FrechetDistance.distance(mean1: mean1, cov1: diag(a), mean2: mean2, cov2: diag(b)), expected, accuracy: 1e-9)

        // A rotated (non-diagonal) pair: rotation-invariant, so the same distance.
        let c = cos(0.7), s = sin(0.7)
        let r: [Double] = [c, -s, 0, s, c, 0, 0, 0, 1]
        func rotate(_ m: [Double]) -> [Double] {
            var rm = [Double](repeating: 0, count: 9), out = [Double](repeating: 0, count: 9)
            for i in 0..<3 { for j in 0..<3 { for k in 0..<3 { rm[i * 3 + j] += r[i * 3 + k] * m[k * 3 + j] } } }
            for i in 0..<3 { for j in 0..<3 { for k in 0..<3 { out[i * 3 + j] += rm[i * 3 + k] * r[j * 3 + k] } } }
            return out
        }
        func rotateVector(_ v: [Double]) -> [Double] { (0..<3).map { i in (0..<3).reduce(0) { $0 + r[i * 3 + $1] * v[$1] } } }
        XCTAssertEqual(try FrechetDistance.distance(mean1: rotateVector(mean1), cov1: rotate(diag(a)),
                                                    mean2: rotateVector(mean2), cov2: rotate(diag(b))), expected, accuracy: 1e-9)
    }

    func testDiversity() {
        XCTAssertEqual(Diversity.meanPairwiseDistance([[0, 0], [3, 4], [0, 0]]), (5 + 0 + 5) / 3.0, accuracy: 1e-12)
        XCTAssertEqual(Diversity.meanPairwiseDistance([[1, 2]]), 0)
    }
}
