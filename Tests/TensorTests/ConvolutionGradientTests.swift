import Tensor
import XCTest

/// Gradients of convolutions through every kernel path: GEMM (many output
/// channels), direct (<= 4 output channels, stride 1), 1x1, stride 2, odd sizes,
/// reflect padding, transposed with output padding.
final class ConvolutionGradientTests: XCTestCase {
    typealias G = GradientCheck

    struct Case { let n, cin, h, w, cout, k, stride, pad: Int; let mode: PaddingMode }

    func testConv2dGradients() {
        let cases: [Case] = [
            Case(n: 1, cin: 3, h: 7, w: 5, cout: 5, k: 3, stride: 1, pad: 1, mode: .zeros),
            Case(n: 2, cin: 2, h: 9, w: 7, cout: 6, k: 3, stride: 2, pad: 1, mode: .zeros),
            Case(n: 1, cin: 3, h: 8, w: 9, cout: 5, k: 4, stride: 2, pad: 1, mode: .zeros),
            Case(n: 1, cin: 2, h: 7, w: 6, cout: 5, k: 3, stride: 1, pad: 1, mode: .reflect),
            Case(n: 2, cin: 2, h: 9, w: 8, cout: 5, k: 7, stride: 1, pad: 3, mode: .reflect),
            Case(n: 1, cin: 3, h: 9, w: 9, cout: 6, k: 3, stride: 2, pad: 2, mode: .reflect),
            Case(n: 2, cin: 4, h: 5, w: 3, cout: 6, k: 1, stride: 1, pad: 0, mode: .zeros),
            Case(n: 1, cin: 3, h: 6, w: 5, cout: 3, k: 3, stride: 1, pad: 1, mode: .zeros),
            Case(n: 2, cin: 3, h: 11, w: 10, cout: 3, k: 7, stride: 1, pad: 3, mode: .reflect),
            Case(n: 1, cin: 2, h: 5, w: 13, cout: 1, k: 3, stride: 1, pad: 0, mode: .zeros),
            Case(n: 1, cin: 2, h: 6, w: 17, cout: 4, k: 5, stride: 1, pad: 2, mode: .reflect),
        ]
        for (i, c) in cases.enumerated() {
            let x = G.random([c.n, c.cin, c.h, c.w], seed: UInt64(10 + i))
            let w = G.random([c.cout, c.cin, c.k, c.k], seed: UInt64(50 + i), std: 0.3)
            let b = G.random([c.cout], seed: UInt64(90 + i))
            G.check([x, w, b]) { conv2d($0[0], weight: $0[1], bias: $0[2], stride: c.stride, padding: c.pad, paddingMode: c.mode) }
        }
    }

    func testConvTranspose2dGradients() {
        let cases: [(n: Int, cin: Int, h: Int, w: Int, cout: Int, k: Int, s: Int, p: Int, op: Int)] = [
            (1, 3, 4, 5, 5, 3, 2, 1, 1), (2, 2, 3, 3, 6, 3, 2, 1, 0), (1, 3, 4, 3, 5, 4, 2, 1, 0),
            (1, 2, 5, 4, 5, 3, 1, 1, 0), (1, 3, 4, 5, 3, 3, 2, 1, 1), (2, 4, 3, 4, 2, 3, 2, 1, 1),
            (1, 2, 3, 3, 5, 3, 3, 0, 2), (2, 3, 4, 5, 4, 1, 2, 0, 1), (1, 6, 5, 4, 7, 2, 2, 0, 0),
        ]
        for (i, c) in cases.enumerated() {
            let x = G.random([c.n, c.cin, c.h, c.w], seed: UInt64(200 + i))
            let w = G.random([c.cin, c.cout, c.k, c.k], seed: UInt64(250 + i), std: 0.3)
            let b = G.random([c.cout], seed: UInt64(290 + i))
            G.check([x, w, b]) { convTranspose2d($0[0], weight: $0[1], bias: $0[2], stride: c.s, padding: c.p, outputPadding: c.op) }
        }
    }

    func testLinearAndMatmul() {
        let x = G.random([4, 6], seed: 1), w = G.random([3, 6], seed: 2), b = G.random([3], seed: 3)
        G.check([x, w, b]) { linear($0[0], weight: $0[1], bias: $0[2]) }
        let a = G.random([3, 5], seed: 4), c = G.random([5, 2], seed: 5)
        G.check([a, c]) { matmul($0[0], $0[1]) }
        let at = G.random([5, 3], seed: 6), ct = G.random([2, 5], seed: 7)
        G.check([at, c]) { matmul($0[0], $0[1], transposeA: true) }
        G.check([a, ct]) { matmul($0[0], $0[1], transposeB: true) }
        G.check([at, ct]) { matmul($0[0], $0[1], transposeA: true, transposeB: true) }
    }
}
