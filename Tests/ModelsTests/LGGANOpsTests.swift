import Models
import Tensor
import XCTest

/// The ops added for LGGAN's sparse local generation and SPADE modulation:
/// values against a composition of existing ops, and gradients against finite differences.
final class LGGANOpsTests: XCTestCase {
    typealias G = GradientCheck

    /// A 0/1 mask [2, 3, 6, 7] with a few set pixels per channel.
    func mask() -> Tensor {
        Tensor(shape: [2, 3, 6, 7], values: (0..<252).map { Float(($0 * 5 + $0 / 7) % 4 == 0 ? 1 : 0) })
    }

    func testMaskedWindowEqualsMaskThenZeroPadThenCrop() {
        let x = G.random([2, 4, 6, 7], seed: 1)
        let m = mask()
        // Window reaching past the top-left and the bottom-right of the image.
        let win = maskedWindow(x, mask: m, batchIndex: 1, maskChannel: 2, top: -2, left: -1, height: 10, width: 10)
        let masked = x.slice(axis: 0, 1 ..< 2) * m.slice(axis: 0, 1 ..< 2).slice(axis: 1, 2 ..< 3)
        let reference = crop2d(pad2d(masked, top: 2, bottom: 2, left: 1, right: 2), top: 0, left: 0, height: 10, width: 10)
        XCTAssertEqual(win.shape, [1, 4, 10, 10])
        XCTAssertEqual(win.values, reference.values)
        // A window entirely inside, and one entirely outside (all zeros).
        let inside = maskedWindow(x, mask: m, batchIndex: 0, maskChannel: 0, top: 1, left: 2, height: 3, width: 4)
        XCTAssertEqual(inside.values, crop2d(x.slice(axis: 0, 0 ..< 1) * m.slice(axis: 0, 0 ..< 1).slice(axis: 1, 0 ..< 1),
                                             top: 1, left: 2, height: 3, width: 4).values)
        let outside = maskedWindow(x, mask: m, batchIndex: 0, maskChannel: 0, top: 7, left: 0, height: 2, width: 2)
        XCTAssertEqual(outside.values, [Float](repeating: 0, count: 16))
    }

    func testMaskedWindowGradient() {
        let m = mask()
        G.check([G.random([2, 4, 6, 7], seed: 2)]) {
            maskedWindow($0[0], mask: m, batchIndex: 1, maskChannel: 1, top: -1, left: 3, height: 8, width: 6)
        }
    }

    func testPasteWindowsValuesAndGradient() {
        let background = G.random([6], seed: 3)
        let a = G.random([1, 3, 2, 3], seed: 4), b = G.random([1, 3, 4, 2], seed: 5), c = G.random([1, 3, 1, 1], seed: 6)
        let placements = [WindowPlacement(batchIndex: 0, channelOffset: 0, top: 1, left: 2),
                          WindowPlacement(batchIndex: 1, channelOffset: 3, top: 0, left: 0),
                          WindowPlacement(batchIndex: 1, channelOffset: 0, top: 3, left: 4)]
        let out = pasteWindows(background: background, batch: 2, height: 4, width: 5, windows: [a, b, c], placements: placements)
        XCTAssertEqual(out.shape, [2, 6, 4, 5])
        XCTAssertEqual(out[0, 1, 2, 3], a[0, 1, 1, 1])
        XCTAssertEqual(out[1, 4, 3, 1], b[0, 1, 3, 1])
        XCTAssertEqual(out[1, 2, 3, 4], c[0, 2, 0, 0])
        XCTAssertEqual(out[0, 1, 0, 0], background[1])
        XCTAssertEqual(out[1, 5, 0, 4], background[5])
        G.check([background, a, b, c]) {
            pasteWindows(background: $0[0], batch: 2, height: 4, width: 5, windows: Array($0[1...]), placements: placements)
        }
    }

    func testModulateEqualsComposition() {
        let x = G.random([2, 3, 4, 5], seed: 7), gb = G.random([2, 6, 4, 5], seed: 8)
        let reference = x * (gb.slice(axis: 1, 0 ..< 3) + 1) + gb.slice(axis: 1, 3 ..< 6)
        let out = modulate(x, gammaBeta: gb)
        for (u, v) in zip(out.values, reference.values) { XCTAssertEqual(u, v, accuracy: 1e-6) }
        G.check([x, gb]) { modulate($0[0], gammaBeta: $0[1]) }
    }

    func testBilinearUpsamplingMatchesPyTorchAndItsGradient() {
        // torch.nn.functional.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
        // of [[1, 2], [3, 4]] is this 4x4 grid.
        let x = Tensor(shape: [1, 1, 2, 2], values: [1, 2, 3, 4])
        let expected: [Float] = [1.0, 1.25, 1.75, 2.0, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3.0, 3.25, 3.75, 4.0]
        for (a, b) in zip(upsampleBilinear2x(x).values, expected) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        G.check([G.random([2, 3, 4, 5], seed: 9)]) { upsampleBilinear2x($0[0]) }
        G.check([G.random([1, 2, 1, 3], seed: 10)]) { upsampleBilinear2x($0[0]) }
    }
}
