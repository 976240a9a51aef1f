import Tensor
import XCTest

final class TrainingTests: XCTestCase {
    /// A small conv net (conv-IN-ReLU, stride-2 conv, transposed conv, 3-channel
    /// head) learns to reproduce a fixed random target network on 8 images.
    /// The loss must fall by at least 10x in 400 Adam steps (about 0.1 s).
    func testSmallConvNetFitsTinyDataset() {
        var rng = RandomGenerator(seed: 7)
        let inputs = Tensor.randomNormal([8, 2, 8, 8], using: &rng)
        let teacherW = Tensor.randomNormal([3, 2, 3, 3], std: 0.5, using: &rng)
        let targets = GradMode.withoutGrad { conv2d(inputs, weight: teacherW, padding: 1).tanh() }

        let net = Sequential([
            Conv2d(2, 8, kernelSize: 3, padding: 1, using: &rng), InstanceNorm2d(8, affine: true), Activation(.relu),
            Conv2d(8, 16, kernelSize: 3, stride: 2, padding: 1, using: &rng), Activation(.leakyRelu(0.2)),
            ConvTranspose2d(16, 8, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1, using: &rng), Activation(.relu),
            Conv2d(8, 3, kernelSize: 3, padding: 1, paddingMode: .reflect, using: &rng), Activation(.tanh),
        ])
        let adam = Adam(net, learningRate: 0.01, beta1: 0.5, beta2: 0.999)
        var first: Float = 0, last: Float = 0
        for step in 0..<400 {
            adam.zeroGrad()
            let loss = l1Loss(net(inputs), targets)
            loss.backward()
            adam.step()
            if step == 0 { first = loss.scalar }
            last = loss.scalar
        }
        XCTAssertGreaterThan(first / last, 10, "loss \(first) -> \(last)")
    }
}
