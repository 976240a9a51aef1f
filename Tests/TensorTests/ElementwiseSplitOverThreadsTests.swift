@testable import Tensor
import Foundation
import XCTest

/// The elementwise ops and their backward rules on tensors large enough to be
/// split over two threads (where the loop handed to Dispatch is a separately
/// compiled copy), against the definitions written out here, at 1 and 2 threads:
/// the values must be bit-identical, whichever copy of the loop ran.
final class ElementwiseSplitOverThreadsTests: XCTestCase {
    /// 2.15M values: above `Parallel.memoryBoundMinimum`, so every op splits at 2 threads.
    let shape = [1, 3, 1024, 700]

    struct Case {
        let name: String
        let positiveInput: Bool
        let op: (Tensor) -> Tensor
        let forward: (Float) -> Float
        /// d input from (g, x, y).
        let backward: (Float, Float, Float) -> Float
    }

    let cases: [Case] = [
        Case(name: "relu", positiveInput: false, op: { $0.relu() }, forward: { $0 > 0 ? $0 : 0 },
             backward: { g, _, y in y > 0 ? g : 0 }),
        Case(name: "leakyRelu", positiveInput: false, op: { $0.leakyRelu(slope: 0.2) },
             forward: { $0 > 0 ? $0 : 0.2 * $0 }, backward: { g, x, _ in x > 0 ? g : 0.2 * g }),
        Case(name: "tanh", positiveInput: false, op: { $0.tanh() }, forward: { FastMath.tanh($0) },
             backward: { g, _, y in g * (1 - y * y) }),
        Case(name: "sigmoid", positiveInput: false, op: { $0.sigmoid() }, forward: { FastMath.sigmoid($0) },
             backward: { g, _, y in g * y * (1 - y) }),
        Case(name: "abs", positiveInput: false, op: { $0.abs() }, forward: { Swift.abs($0) },
             backward: { g, x, _ in x > 0 ? g : (x < 0 ? -g : 0) }),
        Case(name: "exp", positiveInput: false, op: { $0.exp() }, forward: { FastMath.exp($0) },
             backward: { g, _, y in g * y }),
        Case(name: "log", positiveInput: true, op: { $0.log() }, forward: { Foundation.log($0) },
             backward: { g, x, _ in g / x }),
        Case(name: "sqrt", positiveInput: true, op: { $0.sqrt() }, forward: { $0.squareRoot() },
             backward: { g, _, y in g * 0.5 / y }),
        Case(name: "squared", positiveInput: false, op: { $0.squared() }, forward: { $0 * $0 },
             backward: { g, x, _ in 2 * g * x }),
        Case(name: "clamped", positiveInput: false, op: { $0.clamped(min: -0.5, max: 0.7) },
             forward: { Swift.min(Swift.max($0, -0.5), 0.7) }, backward: { g, x, _ in (x >= -0.5 && x <= 0.7) ? g : 0 }),
        Case(name: "softplus(-|x|)", positiveInput: false, op: { stableSoftplusTerm($0) },
             forward: { Foundation.log1p(FastMath.exp(-Swift.abs($0))) },
             backward: { g, x, _ in
                 let e = FastMath.exp(-Swift.abs(x)), d = e / (1 + e)
                 return x > 0 ? -g * d : (x < 0 ? g * d : 0)
             }),
    ]

    func testForwardAndBackwardAreTheDefinitionsSplitOverThreads() {
        var rng = RandomGenerator(seed: 11)
        let normal = Tensor.randomNormal(shape, using: &rng).values
        let upstream = Tensor(shape: shape, values: Tensor.randomNormal(shape, using: &rng).values)
        XCTAssertGreaterThan(normal.count, Parallel.memoryBoundMinimum)
        defer { BLASInfo.setThreads(2) }
        for threads in [1, 2] {
            BLASInfo.setThreads(threads)
            for c in cases {
                let values = c.positiveInput ? normal.map { Swift.abs($0) + 0.01 } : normal
                let x = Tensor(shape: shape, values: values, requiresGrad: true)
                let y = c.op(x)
                // d/dx sum(y * upstream) = rule(upstream, x, y): the upstream gradient arrives exactly.
                (y * upstream).sum().backward()
                let yv = y.values, gv = x.grad?.values ?? [], g = upstream.values
                XCTAssertEqual(gv.count, values.count, c.name)
                var forwardMismatches = 0, backwardMismatches = 0
                for i in 0..<min(values.count, gv.count) {
                    let expected = c.forward(values[i])
                    if yv[i].bitPattern != expected.bitPattern { forwardMismatches += 1 }
                    if gv[i].bitPattern != c.backward(g[i], values[i], expected).bitPattern { backwardMismatches += 1 }
                }
                XCTAssertEqual(forwardMismatches, 0, "\(c.name) forward at \(threads) threads")
                XCTAssertEqual(backwardMismatches, 0, "\(c.name) backward at \(threads) threads")
            }
        }
    }

    /// The channels-last inference path (relu, leakyRelu, tanh on an NHWC tensor) split over threads.
    func testChannelsLastMapIsTheDefinitionSplitOverThreads() {
        var rng = RandomGenerator(seed: 12)
        let x = Tensor.randomNormal(shape, using: &rng)
        let nhwc = Tensor(shape: shape, channelsLast: ChannelsLast.values(x))
        defer { BLASInfo.setThreads(2) }
        for threads in [1, 2] {
            BLASInfo.setThreads(threads)
            GradMode.withoutGrad {
                for (name, op, f) in [("relu", { (t: Tensor) in t.relu() }, { (v: Float) in v > 0 ? v : 0 }),
                                      ("leakyRelu", { $0.leakyRelu(slope: 0.2) }, { $0 > 0 ? $0 : 0.2 * $0 }),
                                      ("tanh", { $0.tanh() }, { FastMath.tanh($0) })] {
                    let y = op(nhwc)
                    XCTAssertTrue(y.isChannelsLast, name)
                    let expected = x.values.map(f)
                    XCTAssertEqual(y.values.map(\.bitPattern), expected.map(\.bitPattern), "\(name) at \(threads) threads")
                }
            }
        }
    }
}
