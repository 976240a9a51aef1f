import Foundation
import Support

/// Adam (Kingma & Ba) with bias correction, as torch.optim.Adam. Each optimiser
/// has its own learning rate and betas, so G and D can differ (TTUR: G 1e-4,
/// D 4e-4, betas (0, 0.9) in LGGAN). Parameters without a gradient are skipped.
public final class Adam {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// L2 penalty added to the gradient (torch's weight_decay), 0 by default.
    public var weightDecay: Float
    /// Steps taken (the t of the bias correction).
    public private(set) var stepCount: Int = 0
    public let parameters: [(name: String, tensor: Tensor)]
    private var firstMoments: [Tensor]
    private var secondMoments: [Tensor]

    public init(namedParameters: [(String, Tensor)], learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0) {
        parameters = namedParameters.map { (name: $0.0, tensor: $0.1) }
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        firstMoments = parameters.map { Tensor.zeros($0.tensor.shape) }
        secondMoments = parameters.map { Tensor.zeros($0.tensor.shape) }
    }

    /// Optimises all parameters of `module`, named as in its state dict.
    public convenience init(_ module: Module, learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999,
                            epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.init(namedParameters: module.namedParameters(), learningRate: learningRate, beta1: beta1, beta2: beta2,
                  epsilon: epsilon, weightDecay: weightDecay)
    }

    /// One update of every parameter that has a gradient.
    public func step() {
        stepCount += 1
        let t = Double(stepCount)
        let correction1 = Float(1 - pow(Double(beta1), t))
        let correction2 = Float(1 - pow(Double(beta2), t))
        let stepSize = learningRate / correction1
        let b1 = beta1, b2 = beta2, eps = epsilon, decay = weightDecay
        let invSqrtC2 = 1 / correction2.squareRoot()
        for (i, entry) in parameters.enumerated() {
            guard let grad = entry.tensor.grad else { continue }
            let p = entry.tensor.data, g = grad.data
            let m = firstMoments[i].data, v = secondMoments[i].data
            Parallel.forRanges(entry.tensor.count, costPerItem: 8, minimumWork: 1 << 16) { r in
                for j in r {
                    let gj = g[j] + decay * p[j]
                    m[j] = b1 * m[j] + (1 - b1) * gj
                    v[j] = b2 * v[j] + (1 - b2) * gj * gj
                    p[j] -= stepSize * m[j] / (v[j].squareRoot() * invSqrtC2 + eps)
                }
            }
            entry.tensor.noteWritten()
        }
    }

    /// Drops the gradients of this optimiser's parameters.
    public func zeroGrad() {
        for entry in parameters { entry.tensor.grad = nil }
    }

    /// Moments by "<prefix>exp_avg.<name>" / "exp_avg_sq.<name>", for checkpoints
    /// (the step count goes in `stepCount`, to be saved as metadata).
    public func stateDict(prefix: String = "") -> [String: Tensor] {
        var dict: [String: Tensor] = [:]
        for (i, entry) in parameters.enumerated() {
            dict[prefix + "exp_avg." + entry.name] = firstMoments[i]
            dict[prefix + "exp_avg_sq." + entry.name] = secondMoments[i]
        }
        return dict
    }

    public func loadStateDict(_ state: [String: Tensor], prefix: String = "", stepCount: Int) throws {
        for (i, entry) in parameters.enumerated() {
            for (key, target) in [("exp_avg.", firstMoments[i]), ("exp_avg_sq.", secondMoments[i])] {
                let name = prefix + key + entry.name
                guard let source = state[name] else { throw ModuleStateError.missing(name: name) }
                guard source.shape == target.shape else {
                    throw ModuleStateError.shapeMismatch(name: name, expected: target.shape, found: source.shape)
                }
                target.assign(source)
            }
        }
        self.stepCount = stepCount
    }
}

/// Constant learning rate for `constantEpochs`, then linear decay over
/// `decayEpochs` (SPADE/LGGAN: 100 + 100). Epochs count from 0; in decay epoch
/// k (0-based) the rate is base * (1 - k / decayEpochs), reaching base/decayEpochs
/// in the last epoch and 0 after it.
public struct LinearDecaySchedule: Sendable, Equatable {
    public var baseLearningRate: Float
    public var constantEpochs: Int
    public var decayEpochs: Int

    public init(baseLearningRate: Float, constantEpochs: Int, decayEpochs: Int) {
        self.baseLearningRate = baseLearningRate
        self.constantEpochs = constantEpochs
        self.decayEpochs = decayEpochs
    }

    public func learningRate(epoch: Int) -> Float {
        guard epoch >= constantEpochs else { return baseLearningRate }
        guard decayEpochs > 0 else { return 0 }
        let k = Float(epoch - constantEpochs)
        return baseLearningRate * Swift.max(0, 1 - k / Float(decayEpochs))
    }
}
