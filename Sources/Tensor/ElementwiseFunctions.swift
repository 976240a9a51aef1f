import Foundation

/// An elementwise function as a type rather than a closure. The loops that apply
/// them (`Tensor.map`, `Tensor.gradient`, `ChannelsLast.map`) are generic over it,
/// so each specialised copy, including the one handed to other threads by
/// `Parallel.forRanges`, has the function inlined and vectorises; a closure there
/// was an indirect call per element whenever the op was split over threads.
protocol ElementwiseFunction {
    func callAsFunction(_ x: Float) -> Float
}

/// A backward rule: the input's gradient from the output's gradient `g` and one
/// saved value `v` (the op's input x or output y, whichever is cheaper).
protocol ElementwiseGradient {
    func callAsFunction(_ g: Float, _ v: Float) -> Float
}

struct Relu: ElementwiseFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x > 0 ? x : 0 }
}
/// From y: y > 0 exactly where x > 0.
struct ReluGradient: ElementwiseGradient {
    @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float { y > 0 ? g : 0 }
}

struct LeakyRelu: ElementwiseFunction {
    let slope: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x > 0 ? x : slope * x }
}
struct LeakyReluGradient: ElementwiseGradient {
    let slope: Float
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float { x > 0 ? g : slope * g }
}

struct Tanh: ElementwiseFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { FastMath.tanh(x) }
}
struct TanhGradient: ElementwiseGradient {
    @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float { g * (1 - y * y) }
}

struct Sigmoid: ElementwiseFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { FastMath.sigmoid(x) }
}
struct SigmoidGradient: ElementwiseGradient {
    @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float { g * y * (1 - y) }
}

struct Absolute: ElementwiseFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { Swift.abs(x) }
}
/// g * sign(x), with sign(0) = 0.
struct AbsoluteGradient: ElementwiseGradient {
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float { x > 0 ? g : (x < 0 ? -g : 0) }
}

struct Exponential: ElementwiseFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { FastMath.exp(x) }
}
struct ExponentialGradient: ElementwiseGradient {
    @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float { g * y }
}

struct Logarithm: ElementwiseFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { Foundation.log(x) }
}
struct LogarithmGradient: ElementwiseGradient {
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float { g / x }
}

struct SquareRoot: ElementwiseFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x.squareRoot() }
}
struct SquareRootGradient: ElementwiseGradient {
    @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float { g * 0.5 / y }
}

struct Square: ElementwiseFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x * x }
}
struct SquareGradient: ElementwiseGradient {
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float { 2 * g * x }
}

struct Clamp: ElementwiseFunction {
    let low: Float, high: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { Swift.min(Swift.max(x, low), high) }
}
/// Zero where clamped.
struct ClampGradient: ElementwiseGradient {
    let low: Float, high: Float
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float { (x >= low && x <= high) ? g : 0 }
}

/// log(1 + exp(-|x|)), the stable part of binary cross-entropy with logits.
struct SoftplusOfNegativeAbsolute: ElementwiseFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { Foundation.log1p(FastMath.exp(-Swift.abs(x))) }
}
/// Its derivative: -sign(x) * sigmoid(-|x|).
struct SoftplusOfNegativeAbsoluteGradient: ElementwiseGradient {
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float {
        let e = FastMath.exp(-Swift.abs(x))
        let d = e / (1 + e)
        return x > 0 ? -g * d : (x < 0 ? g * d : 0)
    }
}
