import Tensor
import Training
import XCTest

/// `--l1-pool N`: the L1 anchors compare N x N average-pooled images, so a
/// speckled texture and its mean colour cost the same (the adversarial terms,
/// not L1, then decide the texture), while a wrong colour still costs as before.
final class PooledL1Tests: XCTestCase {
    /// A 1x3x8x8 image of +-a speckle (a checkerboard) around `mean` per channel.
    func speckle(mean: Float, amplitude: Float) -> Tensor {
        let values = (0..<(3 * 64)).map { i -> Float in
            let (y, x) = ((i % 64) / 8, i % 8)
            return mean + ((x + y) % 2 == 0 ? amplitude : -amplitude)
        }
        return Tensor(shape: [1, 3, 8, 8], values: values)
    }

    func testPoolingForgivesTextureButNotColour() {
        let texture = speckle(mean: 0.2, amplitude: 0.5), slab = speckle(mean: 0.2, amplitude: 0)
        XCTAssertEqual(LGGANLosses.pooledL1(slab, texture, pool: 1).scalar, 0.5, accuracy: 1e-6)
        XCTAssertEqual(LGGANLosses.pooledL1(slab, texture, pool: 2).scalar, 0, accuracy: 1e-6)
        let wrongColour = speckle(mean: -0.3, amplitude: 0.5)
        XCTAssertEqual(LGGANLosses.pooledL1(wrongColour, texture, pool: 2).scalar, 0.5, accuracy: 1e-6)
        XCTAssertEqual(LGGANLosses.pooledL1(wrongColour, texture, pool: 1).scalar,
                       l1Loss(wrongColour, texture).scalar, accuracy: 1e-7)
    }

    func testTheGradientReachesEveryPixelOfTheBlock() {
        let fake = speckle(mean: 0.1, amplitude: 0.3)
        fake.requiresGrad = true
        let loss = LGGANLosses.pooledL1(fake, speckle(mean: 0.4, amplitude: 0), pool: 4)
        Tensor.backward([loss])
        guard let grad = fake.grad?.values else { return XCTFail("no gradient reached the image") }
        // The pooled fake (0.1) is below the target (0.4) everywhere: every pixel gets -1/(count of pooled values)/16.
        let expected = -1 / Float(3 * 2 * 2) / 16
        for g in grad { XCTAssertEqual(g, expected, accuracy: 1e-7) }
    }
}
