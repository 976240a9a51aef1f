import Tensor
import XCTest

final class TrainingTests: XCTestCase {
    /// A small conv net (conv-IN-ReLU, stride-2 conv, transposed conv, 3-channel
    /// reflect-padded head) learns to reproduce a fixed random target network on
    /// 8 images. Adam at 0.01 for 250 steps, then linear decay to 0 over 250
    /// (LinearDecaySchedule, stepping per "epoch" of one batch). The mean loss of
    /// the last 20 steps must be at least 10x below the first loss (it reaches
    /// about 27x at 1 or 2 threads; the constant-rate phase alone plateaus near 12x).
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
        let schedule = LinearDecaySchedule(baseLearningRate: 0.01, constantEpochs: 250, decayEpochs: 250)
        var losses: [Float] = []
        for step in 0..<500 {
            adam.learningRate = schedule.learningRate(epoch: step)
            adam.zeroGrad()
            let loss = l1Loss(net(inputs), targets)
            loss.backward()
            adam.step()
            losses.append(loss.scalar)
        }
        let tail = losses.suffix(20).reduce(0, +) / 20
        XCTAssertGreaterThan(losses[0] / tail, 10, "loss \(losses[0]) -> \(tail)")
    }
}
