import Layouts
import Models
import Tensor
import XCTest

/// The views' conversion from network values (-1...1) to 8-bit RGB.
final class TensorImagesTests: XCTestCase {
    /// Every pixel of a cropped view of channels 3..<6 follows the definition
    /// (v + 1) * 127.5 rounded half up, clamped to 0...255, NaN to 0 - written
    /// out here per pixel - including values out of range.
    func testRGBImageFollowsTheDefinitionPixelByPixel() {
        let (c, h, w) = (7, 5, 37)
        var rng = RandomGenerator(seed: 4)
        var values = Tensor.randomNormal([2, c, h, w], using: &rng).values
        values[(1 * c + 3) * h * w] = .nan
        values[(1 * c + 4) * h * w + 1] = -1
        values[(1 * c + 5) * h * w + 2] = 1
        values[(1 * c + 3) * h * w + w] = 7
        let x = Tensor(shape: [2, c, h, w], values: values)
        let image = TensorImages.rgbImage(x, image: 1, channel: 3, width: 33, height: 4)
        XCTAssertEqual(image.width, 33)
        XCTAssertEqual(image.height, 4)
        for y in 0..<4 {
            for px in 0..<33 {
                for k in 0..<3 {
                    let v = values[((1 * c + 3 + k) * h + y) * w + px]
                    let scaled = v * 127.5 + 128  // (v + 1) * 127.5 + 0.5, in Float as the views compute it
                    let expected: UInt8 = v.isNaN ? 0 : UInt8(Swift.min(Swift.max(scaled, 0), 255.99).rounded(.down))
                    XCTAssertEqual(image.pixels[3 * (y * 33 + px) + k], expected, "pixel (\(px), \(y)) channel \(k), value \(v)")
                }
            }
        }
        XCTAssertEqual(image.pixels[0], 0, "NaN is black")
        XCTAssertEqual(image.pixels[4], 0, "-1 is 0")
        XCTAssertEqual(image.pixels[8], 255, "1 is 255")
        XCTAssertEqual(image.pixels[3 * 33], 255, "above 1 is clamped")
    }
}
