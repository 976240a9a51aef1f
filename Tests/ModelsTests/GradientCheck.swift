import Tensor
import XCTest

/// Gradient checks of the models' fused ops: NumericGradient (Sources/Tensor)
/// compares backward with finite differences; a mismatch fails the test.
enum GradientCheck {
    static func check(_ inputs: [Tensor], sample: Int = 48, file: StaticString = #filePath, line: UInt = #line,
                      _ f: ([Tensor]) -> Tensor) {
        for problem in NumericGradient.mismatches(inputs, sample: sample, f) { XCTFail(problem, file: file, line: line) }
    }

    static func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        return Tensor.randomNormal(shape, using: &rng)
    }
}
