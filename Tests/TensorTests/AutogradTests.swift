import Tensor
import XCTest

final class AutogradTests: XCTestCase {
    func testFanOutAndJoinAccumulate() {
        let x = Tensor(shape: [3], values: [1, 2, 3], requiresGrad: true)
        // y = x*x + x, used twice below: d/dx sum(y) + sum(3y) = 4 (2x + 1)
        let y = x * x + x
        let loss = y.sum() + (y * 3).sum()
        loss.backward()
        XCTAssertEqual(x.grad?.values, [12, 20, 28])
    }

    func testGradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        let w = Tensor.parameter(shape: [2], values: [1, -1])
        (w * 2).sum().backward()
        (w * 3).sum().backward()
        XCTAssertEqual(w.grad?.values, [5, 5])
        w.zeroGrad()
        XCTAssertNil(w.grad)
    }

    func testSeveralLossesInOnePass() {
        let x = Tensor(shape: [2], values: [1, 2], requiresGrad: true)
        let shared = x.squared()
        let a = shared.sum(), b = (shared * x).sum()
        Tensor.backward([a, b])
        // d/dx (x^2 + x^3) = 2x + 3x^2
        XCTAssertEqual(x.grad?.values, [5, 16])
    }

    func testNoGradModeRecordsNothing() {
        let w = Tensor.parameter(shape: [1, 1, 3, 3], repeating: 0.1)
        let x = Tensor(shape: [1, 1, 5, 5], repeating: 1)
        let y = GradMode.withoutGrad { conv2d(x, weight: w).relu().sum() }
        XCTAssertFalse(y.hasGraph)
        XCTAssertFalse(y.requiresGrad)
        XCTAssertFalse(GradMode.withoutGrad { GradMode.isEnabled })
        XCTAssertTrue(GradMode.isEnabled)
        let recorded = conv2d(x, weight: w).sum()
        XCTAssertTrue(recorded.hasGraph)
    }

    func testDetachAndFrozenParametersStopGradients() {
        let a = Tensor.parameter(shape: [2], values: [1, 2])
        let b = Tensor.parameter(shape: [2], values: [3, 4])
        b.requiresGrad = false
        let loss = (a * b).sum() + (a.detach() * a).sum()
        loss.backward()
        XCTAssertNil(b.grad)
        XCTAssertEqual(a.grad?.values, [4, 6])  // b + a (detached copy is a constant)
    }

    func testRetainGraphAllowsSecondBackward() {
        let x = Tensor(shape: [1], values: [3], requiresGrad: true)
        let y = (x * x).sum()
        y.backward(retainGraph: true)
        y.backward()
        XCTAssertEqual(x.grad?.values, [12])
        XCTAssertFalse(y.hasGraph)
    }

    func testNonScalarBackwardTakesAGradient() {
        let x = Tensor(shape: [2, 2], values: [1, 2, 3, 4], requiresGrad: true)
        let y = x * 2
        y.backward(gradient: Tensor(shape: [2, 2], values: [1, 0, 0, 1]))
        XCTAssertEqual(x.grad?.values, [2, 0, 0, 2])
    }

    func testDeepChainHasNoRecursionLimit() {
        var x = Tensor(shape: [1], values: [1], requiresGrad: true)
        let start = x
        for _ in 0..<20_000 { x = x * 1.0001 }
        x.sum().backward()
        XCTAssertEqual(start.grad!.values[0], Float(pow(1.0001, 20_000.0)), accuracy: 1e-2)
    }

    func testRandomGeneratorIsReproducible() {
        var a = RandomGenerator(seed: 42), b = RandomGenerator(seed: 42), c = RandomGenerator(seed: 43)
        let xa = Tensor.randomNormal([100], using: &a).values
        XCTAssertEqual(xa, Tensor.randomNormal([100], using: &b).values)
        XCTAssertNotEqual(xa, Tensor.randomNormal([100], using: &c).values)
        let mean = xa.reduce(0, +) / 100
        XCTAssertEqual(mean, 0, accuracy: 0.35)
    }
}
