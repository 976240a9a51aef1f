import Tensor
import XCTest

/// A nested model shaped like what LGGAN needs: named children, arrays of
/// per-class layers, a frozen part.
final class TinyModel: Module {
    let stem: Conv2d
    let norm: InstanceNorm2d
    let heads: [Conv2d]
    let classifier: Linear
    let scale = Tensor.parameter(shape: [1], values: [1])

    init(rng: inout RandomGenerator) {
        stem = Conv2d(2, 4, kernelSize: 3, padding: 1, using: &rng)
        norm = InstanceNorm2d(4, affine: true)
        heads = [Conv2d(4, 3, kernelSize: 3, padding: 1, paddingMode: .reflect, using: &rng),
                 Conv2d(4, 3, kernelSize: 1, spectralNorm: true, using: &rng)]
        classifier = Linear(4, 2, using: &rng)
        super.init()
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        let f = norm(stem(x)).relu()
        return (heads[0](f) + heads[1](f)).tanh() * scale
    }
}

final class ModuleAndOptimizerTests: XCTestCase {
    func testParametersAreNamedByPath() {
        var rng = RandomGenerator(seed: 1)
        let model = TinyModel(rng: &rng)
        let names = model.namedParameters().map { $0.0 }
        XCTAssertEqual(Set(names), ["stem.weight", "stem.bias", "norm.weight", "norm.bias", "heads.0.weight", "heads.0.bias",
                                    "heads.1.weight", "heads.1.bias", "classifier.weight", "classifier.bias", "scale"])
        XCTAssertEqual(Set(model.namedBuffers().map { $0.0 }), ["heads.1.weight_u", "heads.1.weight_v"])
        XCTAssertEqual(model.parameterCount, 4 * 2 * 9 + 4 + 4 + 4 + 3 * 4 * 9 + 3 + 3 * 4 + 3 + 2 * 4 + 2 + 1)
    }

    func testStateDictRoundTripAndErrors() throws {
        var rng = RandomGenerator(seed: 2)
        let a = TinyModel(rng: &rng), b = TinyModel(rng: &rng)
        let x = Tensor.randomNormal([1, 2, 6, 6], using: &rng)
        a.eval(); b.eval()
        XCTAssertNotEqual(a(x).values, b(x).values)
        try b.loadStateDict(a.stateDict())
        XCTAssertEqual(a(x).values, b(x).values)
        var state = a.stateDict()
        state["stem.weight"] = Tensor.zeros([1])
        XCTAssertThrowsError(try b.loadStateDict(state)) { error in
            XCTAssertEqual(error as? ModuleStateError, .shapeMismatch(name: "stem.weight", expected: [4, 2, 3, 3], found: [1]))
        }
        state = a.stateDict()
        state.removeValue(forKey: "scale")
        XCTAssertThrowsError(try b.loadStateDict(state)) { XCTAssertEqual("\($0)", "checkpoint has no tensor 'scale'") }
        state = a.stateDict()
        state["extra"] = Tensor.zeros([1])
        XCTAssertThrowsError(try b.loadStateDict(state))
        XCTAssertNoThrow(try b.loadStateDict(state, strict: false))
    }

    func testFreezingTrainEvalAndZeroGrad() {
        var rng = RandomGenerator(seed: 3)
        let model = TinyModel(rng: &rng)
        let x = Tensor.randomNormal([2, 2, 5, 5], using: &rng)
        model.setRequiresGrad(false)
        let frozenOut = model(x).sum()
        XCTAssertFalse(frozenOut.hasGraph)
        model.setRequiresGrad(true)
        model(x).sum().backward()
        // Every parameter on the forward path has a gradient; the unused classifier has none.
        XCTAssertTrue(model.namedParameters().allSatisfy { ($0.1.grad != nil) != $0.0.hasPrefix("classifier") })
        model.zeroGrad()
        XCTAssertTrue(model.parameters().allSatisfy { $0.grad == nil })
        model.eval()
        XCTAssertFalse(model.heads[1].isTraining)
        model.train()
        XCTAssertTrue(model.heads[1].isTraining)
    }

    func testInitializeXavierNormalStatistics() {
        var rng = RandomGenerator(seed: 4)
        let conv = Conv2d(64, 64, kernelSize: 3, using: &rng)
        conv.bias!.fill(5)
        conv.initialize(weights: .xavierNormal(gain: 0.02), using: &rng)
        let v = conv.weight.values
        let std = (v.map { $0 * $0 }.reduce(0, +) / Float(v.count)).squareRoot()
        XCTAssertEqual(std, 0.02 * (2.0 / Float(64 * 9 * 2)).squareRoot(), accuracy: 2e-5)
        XCTAssertEqual(conv.bias!.values, [Float](repeating: 0, count: 64))
    }

    func testAdamStepMatchesFormula() {
        let p = Tensor.parameter(shape: [2], values: [1, -2])
        let adam = Adam(namedParameters: [("p", p)], learningRate: 0.1, beta1: 0.5, beta2: 0.9)
        p.grad = Tensor(shape: [2], values: [0.5, -4])
        adam.step()
        // m = (1-b1) g, v = (1-b2) g^2; corrected m/(sqrt v) = g/|g|: step -lr*sign(g)
        XCTAssertEqual(p.values[0], 0.9, accuracy: 1e-5)
        XCTAssertEqual(p.values[1], -1.9, accuracy: 1e-5)
        p.grad = Tensor(shape: [2], values: [0.5, -4])
        adam.step()
        XCTAssertEqual(p.values[0], 0.8, accuracy: 1e-5)
        XCTAssertEqual(adam.stepCount, 2)
        let state = adam.stateDict(prefix: "optG.")
        XCTAssertEqual(Set(state.keys), ["optG.exp_avg.p", "optG.exp_avg_sq.p"])
        XCTAssertEqual(state["optG.exp_avg.p"]!.values[0], 0.375, accuracy: 1e-6)  // 0.5*0.25 + 0.5*0.5
    }

    func testAdamMinimisesAQuadraticAndSchedulesDecay() {
        let p = Tensor.parameter(shape: [3], values: [3, -2, 5])
        let target = Tensor(shape: [3], values: [1, 1, 1])
        let adam = Adam(namedParameters: [("p", p)], learningRate: 0.05, beta1: 0, beta2: 0.9)
        for _ in 0..<400 {
            adam.zeroGrad()
            ((p - target).squared()).sum().backward()
            adam.step()
        }
        for v in p.values { XCTAssertEqual(v, 1, accuracy: 0.05) }
        let schedule = LinearDecaySchedule(baseLearningRate: 1e-4, constantEpochs: 100, decayEpochs: 100)
        XCTAssertEqual(schedule.learningRate(epoch: 99), 1e-4)
        XCTAssertEqual(schedule.learningRate(epoch: 100), 1e-4)
        XCTAssertEqual(schedule.learningRate(epoch: 150), 5e-5, accuracy: 1e-9)
        XCTAssertEqual(schedule.learningRate(epoch: 199), 1e-6, accuracy: 1e-9)
        XCTAssertEqual(schedule.learningRate(epoch: 250), 0)
    }

    func testSpectralNormEstimatesLargestSingularValue() {
        // W = diag(3, 2, 1) padded: sigma_max = 3.
        let w = Tensor.parameter(shape: [3, 3, 1, 1], values: [3, 0, 0, 0, 2, 0, 0, 0, 1])
        var rng = RandomGenerator(seed: 5)
        let u = Tensor.randomNormal([3], using: &rng), v = Tensor.randomNormal([3], using: &rng)
        var out = w
        for _ in 0..<50 { out = spectralNormalized(w, u: u, v: v, training: true) }
        XCTAssertEqual(out.values[0], 1, accuracy: 1e-4)
        XCTAssertEqual(out.values[4], 2.0 / 3.0, accuracy: 1e-4)
        // Evaluation reuses the saved state without changing it.
        let savedU = u.values
        _ = spectralNormalized(w, u: u, v: v, training: false)
        XCTAssertEqual(u.values, savedU)
    }
}

/// Per-class heads in a dictionary, optional parts, arrays of tensors.
final class PerClassModel: Module {
    let heads: [Int: Conv2d]
    let present: Conv2d?
    let absent: Conv2d? = nil
    let scales: [Tensor] = [Tensor.parameter(shape: [1], values: [2]), Tensor.parameter(shape: [1], values: [3])]
    let buffer = Tensor.zeros([2])

    init(rng: inout RandomGenerator) {
        heads = [7: Conv2d(2, 3, kernelSize: 1, using: &rng), 12: Conv2d(2, 3, kernelSize: 1, bias: false, using: &rng)]
        present = Conv2d(3, 3, kernelSize: 1, using: &rng)
        super.init()
    }
}

final class ModuleReflectionTests: XCTestCase {
    func testDictionariesOptionalsAndArraysAreNamed() {
        var rng = RandomGenerator(seed: 9)
        let model = PerClassModel(rng: &rng)
        XCTAssertEqual(Set(model.namedParameters().map { $0.0 }),
                       ["heads.7.weight", "heads.7.bias", "heads.12.weight", "present.weight", "present.bias",
                        "scales.0", "scales.1"])
        XCTAssertEqual(model.namedBuffers().map { $0.0 }, ["buffer"])
    }

    func testArgmaxOverChannels() {
        let logits = Tensor(shape: [1, 3, 1, 2], values: [0, 5, 2, 1, 1, 7])
        XCTAssertEqual(logits.argmax(axis: 1), [1, 2])
    }
}
