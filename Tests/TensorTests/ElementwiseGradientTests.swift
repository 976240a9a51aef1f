import Foundation
import Tensor
import XCTest

final class ElementwiseGradientTests: XCTestCase {
    typealias G = GradientCheck

    func testBroadcastArithmetic() {
        let shapes: [([Int], [Int])] = [([2, 3, 4, 5], [2, 3, 4, 5]), ([2, 3, 4, 5], [1, 3, 1, 1]),
                                        ([2, 3, 4, 5], [2, 1, 4, 5]), ([2, 3, 4, 5], [5]), ([3, 1], [1, 4]),
                                        ([2, 3, 4, 5], [])]
        for (i, (sa, sb)) in shapes.enumerated() {
            let a = G.random(sa, seed: UInt64(i)), b = G.awayFromZero(sb, seed: UInt64(100 + i), gap: 0.5)
            G.check([a, b]) { $0[0] + $0[1] }
            G.check([a, b]) { $0[0] - $0[1] }
            G.check([a, b]) { $0[0] * $0[1] }
            G.check([a, b]) { $0[0] / $0[1] }
            G.check([b, a]) { $0[0] * $0[1] }
        }
    }

    func testBroadcastForwardValues() {
        let x = Tensor(shape: [1, 2, 1, 3], values: [1, 2, 3, 4, 5, 6])
        let perChannel = Tensor(shape: [1, 2, 1, 1], values: [10, 20])
        XCTAssertEqual((x + perChannel).values, [11, 12, 13, 24, 25, 26])
        let mask = Tensor(shape: [1, 1, 1, 3], values: [1, 0, 2])
        XCTAssertEqual((x * mask).values, [1, 0, 6, 4, 0, 12])
        XCTAssertEqual((2 - x).values, [1, 0, -1, -2, -3, -4])
    }

    /// Large tensors take the threaded paths (split rows, split planes).
    func testLargeBroadcastsMatchScalarLoops() {
        let a = GradientCheck.random([2, 8, 96, 96], seed: 1), b = GradientCheck.random([2, 8, 96, 96], seed: 2)
        let mask = GradientCheck.random([2, 1, 96, 96], seed: 3), perChannel = GradientCheck.random([1, 8, 1, 1], seed: 4)
        let av = a.values, bv = b.values, mv = mask.values, cv = perChannel.values
        let sum = (a + b).values, product = (a * mask).values, shifted = (a - perChannel).values
        for i in stride(from: 0, to: av.count, by: 7) {
            let n = i / (8 * 96 * 96), c = (i / (96 * 96)) % 8, p = i % (96 * 96)
            XCTAssertEqual(sum[i], av[i] + bv[i])
            XCTAssertEqual(product[i], av[i] * mv[n * 96 * 96 + p])
            XCTAssertEqual(shifted[i], av[i] - cv[c])
        }
    }

    func testScalarAndUnaryOps() {
        let x = G.awayFromZero([3, 5, 7], seed: 1)
        G.check([x]) { $0[0] * 3 + 1 }
        G.check([x]) { 2 - $0[0] / 4 }
        G.check([x]) { -$0[0] }
        G.check([x]) { $0[0].relu() }
        G.check([x]) { $0[0].leakyRelu(slope: 0.2) }
        G.check([x]) { $0[0].tanh() }
        G.check([x]) { $0[0].sigmoid() }
        G.check([x]) { $0[0].abs() }
        G.check([x]) { $0[0].exp() }
        G.check([x]) { $0[0].squared() }
        G.check([x]) { $0[0].clamped(min: -0.5, max: 0.7) }
        let positive = G.random([4, 6], seed: 2).abs() + 0.5
        G.check([positive.detach()]) { $0[0].log() }
        G.check([positive.detach()]) { $0[0].sqrt() }
    }

    func testReductionsAndShapes() {
        let x = G.random([2, 3, 4, 5], seed: 3)
        G.check([x]) { $0[0].sum() }
        G.check([x]) { $0[0].mean() }
        G.check([x]) { $0[0].sum(axes: [2, 3], keepDims: true) }
        G.check([x]) { $0[0].mean(axes: [0, 2]) }
        G.check([x]) { $0[0].sum(axes: [1]) }
        G.check([x]) { $0[0].reshaped([6, 20]) * $0[0].reshaped([6, 20]) }
        G.check([x]) { $0[0].slice(axis: 1, 1..<3) }
        G.check([x]) { $0[0].slice(axis: 3, 0..<2) }
        let y = G.random([2, 2, 4, 5], seed: 4)
        G.check([x, y]) { Tensor.concat([$0[0], $0[1], $0[0]], axis: 1) }
        G.check([x]) { $0[0].slice(axis: 0, 0..<1).broadcast(to: [3, 3, 4, 5]) }
        XCTAssertEqual(x.sum(axes: [1, 2, 3]).shape, [2])
        XCTAssertEqual(x.mean(axes: [2, 3], keepDims: true).shape, [2, 3, 1, 1])
    }

    func testSoftmax() {
        let x = G.random([2, 4, 3, 3], seed: 5)
        G.check([x]) { softmax($0[0], axis: 1) }
        G.check([x]) { logSoftmax($0[0], axis: 1) }
        G.check([G.random([5, 7], seed: 6)]) { softmax($0[0], axis: 1) }
        let s = softmax(x, axis: 1).sum(axes: [1]).values
        for v in s { XCTAssertEqual(v, 1, accuracy: 1e-5) }
    }
}

final class FastMathAccuracyTests: XCTestCase {
    /// tanh, sigmoid and exp use a vectorisable exp; compare with libm across their range.
    func testElementwiseFunctionsMatchLibm() {
        var values: [Float] = []
        var v: Float = -30
        while v <= 30 { values.append(v); v += 0.0137 }
        values += [0, -0.0, 1e-8, -1e-8, 0.2499, 0.25, 0.2501, -0.25, 9, -9, 50, -50, 88, -87]
        let x = Tensor(shape: [values.count], values: values)
        let tanh = x.tanh().values, sigmoid = x.sigmoid().values
        for (i, value) in values.enumerated() {
            let t = Foundation.tanh(value), s = 1 / (1 + Foundation.exp(-value))
            XCTAssertEqual(tanh[i], t, accuracy: max(abs(t) * 4e-7, 1e-12), "tanh(\(value))")
            XCTAssertEqual(sigmoid[i], s, accuracy: max(s * 4e-7, 1e-30), "sigmoid(\(value))")
        }
        let e = Tensor(shape: [7], values: [-80, -10, -1, 0, 1, 10, 80]).exp().values
        for (value, result) in zip([-80, -10, -1, 0, 1, 10, 80] as [Float], e) {
            XCTAssertEqual(result, Foundation.exp(value), accuracy: Foundation.exp(value) * 3e-7)
        }
    }
}
