import Foundation

/// How a loss turns per-element values into one number.
public enum Reduction: Sendable {
    /// Divide by the number of elements (PyTorch's default).
    case mean
    case sum
}

/// Mean (or sum) of |a - b|, optionally multiplied by a mask first (a [N,1,H,W]
/// mask broadcasts over channels). With a mask the mean still divides by all
/// elements, like PyTorch's L1Loss on masked tensors; use `.sum` and divide
/// yourself for another normaliser.
public func l1Loss(_ a: Tensor, _ b: Tensor, mask: Tensor? = nil, reduction: Reduction = .mean) -> Tensor {
    var d = (a - b).abs()
    if let mask { d = d * mask }
    return reduction == .mean ? d.mean() : d.sum()
}

/// Mean (or sum) of (a - b)^2, optionally masked like `l1Loss`.
public func mseLoss(_ a: Tensor, _ b: Tensor, mask: Tensor? = nil, reduction: Reduction = .mean) -> Tensor {
    var d = (a - b).squared()
    if let mask { d = d * mask }
    return reduction == .mean ? d.mean() : d.sum()
}

/// Hinge loss of a discriminator output: mean(relu(1 - x)) for real samples,
/// mean(relu(1 + x)) for fakes (SPADE's per-scale form).
public func hingeLoss(_ x: Tensor, real: Bool) -> Tensor {
    (real ? (1 - x) : (1 + x)).relu().mean()
}

/// Discriminator hinge loss: mean(relu(1 - real)) + mean(relu(1 + fake)).
public func hingeDiscriminatorLoss(real: Tensor, fake: Tensor) -> Tensor {
    hingeLoss(real, real: true) + hingeLoss(fake, real: false)
}

/// Generator hinge loss: -mean(D(fake)).
public func hingeGeneratorLoss(fake: Tensor) -> Tensor {
    -fake.mean()
}

/// Cross-entropy of class scores against target ids.
/// - logits: [N, C] or [N, C, H, W] (class axis 1).
/// - targets: one id per position (N, or N*H*W in row-major order); ids < 0 or
///   equal to `ignoreIndex` are ignored (the ignore mask).
/// - weights: per sample (N values) or per position; 0 drops a position.
/// Returns sum(w * loss) / sum(w) over kept positions (`.mean`, 0 if none is
/// kept: LGGAN's "divided by the number of classes present"), or sum(w * loss).
public func crossEntropy(logits: Tensor, targets: [Int], weights: [Float]? = nil, ignoreIndex: Int? = nil,
                         reduction: Reduction = .mean) -> Tensor {
    check(logits.rank >= 2, "crossEntropy: logits \(logits.shape) must be [N, C, ...]")
    let n = logits.shape[0], c = logits.shape[1]
    let inner = logits.count / Swift.max(1, n * c)
    let positions = n * inner
    check(targets.count == positions, "crossEntropy: \(targets.count) targets for logits \(logits.shape) (needs \(positions))")
    if let weights {
        check(weights.count == n || weights.count == positions, "crossEntropy: \(weights.count) weights for \(n) samples / \(positions) positions")
    }
    var w = [Float](repeating: 0, count: positions)
    for p in 0..<positions {
        let t = targets[p]
        if t < 0 || t == ignoreIndex { continue }
        check(t < c, "crossEntropy: target \(t) at position \(p) but only \(c) classes")
        w[p] = weights.map { $0.count == positions ? $0[p] : $0[p / inner] } ?? 1
    }
    // Fixed-size chunks of positions, summed in chunk order: the same result at any thread count.
    let chunk = 4096
    let chunks = (positions + chunk - 1) / chunk
    var partialLoss = [Double](repeating: 0, count: chunks), partialWeight = [Double](repeating: 0, count: chunks)
    let src = logits.data
    w.withUnsafeBufferPointer { wp in
        partialLoss.withUnsafeMutableBufferPointer { pl in
            partialWeight.withUnsafeMutableBufferPointer { pw in
                let plB = pl.baseAddress!, pwB = pw.baseAddress!
                Parallel.forEach(chunks, costPerItem: chunk * c * 4, minimumWork: 1 << 16) { k in
                    var lossSum: Double = 0, weightSum: Double = 0
                    for p in (k * chunk) ..< Swift.min(positions, (k + 1) * chunk) where wp[p] != 0 {
                        let base = (p / inner) * c * inner + p % inner
                        let (m, s) = classMaxAndExpSum(src, base: base, classes: c, stride: inner)
                        lossSum += Double(wp[p] * (Foundation.log(s) + m - src[base + targets[p] * inner]))
                        weightSum += Double(wp[p])
                    }
                    plB[k] = lossSum
                    pwB[k] = weightSum
                }
            }
        }
    }
    let total = partialLoss.reduce(0, +), weightSum = partialWeight.reduce(0, +)
    let divisor: Float = reduction == .mean ? (weightSum > 0 ? Float(weightSum) : 1) : 1
    let out = Tensor(scalar: Float(total) / divisor)
    let xs = logits.detach()
    return Tensor.record(out, op: .crossEntropy, inputs: [logits]) { g in
        let gx = Tensor.zeros(logits.shape)
        let scale = g.scalar / divisor
        let xp = xs.data, gp = gx.data
        w.withUnsafeBufferPointer { wp in
            // Positions of one image own disjoint gradient entries: split by chunk safely.
            Parallel.forEach(chunks, costPerItem: chunk * c * 4, minimumWork: 1 << 16) { k in
                for p in (k * chunk) ..< Swift.min(positions, (k + 1) * chunk) where wp[p] != 0 {
                    let base = (p / inner) * c * inner + p % inner
                    let (m, s) = classMaxAndExpSum(xp, base: base, classes: c, stride: inner)
                    let f = scale * wp[p]
                    for j in 0..<c { gp[base + j * inner] = f * FastMath.exp(xp[base + j * inner] - m) / s }
                    gp[base + targets[p] * inner] -= f
                }
            }
        }
        return [gx]
    }
}

/// The largest of the c class scores at one position (`stride` apart from
/// `base`) and the sum of exp(score - largest), so log-sum-exp = log(sum) + largest.
/// The forward and backward passes of `crossEntropy` need the same two numbers.
@inline(__always)
private func classMaxAndExpSum(_ scores: UnsafeMutablePointer<Float>, base: Int, classes c: Int,
                               stride inner: Int) -> (max: Float, expSum: Float) {
    var m = -Float.infinity
    for j in 0..<c { m = Swift.max(m, scores[base + j * inner]) }
    var s: Float = 0
    for j in 0..<c { s += FastMath.exp(scores[base + j * inner] - m) }
    return (m, s)
}

/// Binary cross-entropy on logits (numerically stable), with optional
/// elementwise weights (broadcast like `*`): mean or sum of w * loss.
public func binaryCrossEntropyWithLogits(_ logits: Tensor, targets: Tensor, weights: Tensor? = nil,
                                         reduction: Reduction = .mean) -> Tensor {
    check(logits.shape == targets.shape, "binaryCrossEntropyWithLogits: logits \(logits.shape), targets \(targets.shape)")
    // max(x, 0) - x t + log(1 + exp(-|x|)), built from recorded ops.
    let x = logits
    var loss = x.relu() - x * targets + stableSoftplusTerm(x)
    if let weights { loss = loss * weights }
    return reduction == .mean ? loss.mean() : loss.sum()
}

/// log(1 + exp(-|x|)) with its derivative -sign(x) * sigmoid(-|x|).
func stableSoftplusTerm(_ x: Tensor) -> Tensor {
    let out = x.map(SoftplusOfNegativeAbsolute())
    guard Tensor.needsGraph(x) else { return out }
    let xs = x.detach()
    return Tensor.record(out, op: .binaryCrossEntropyWithLogits, inputs: [x]) { g in
        [Tensor.gradient(g, xs, SoftplusOfNegativeAbsoluteGradient())]
    }
}

/// Binary cross-entropy on probabilities in (0, 1), clamped to [1e-7, 1 - 1e-7].
public func binaryCrossEntropy(_ probabilities: Tensor, targets: Tensor, reduction: Reduction = .mean) -> Tensor {
    check(probabilities.shape == targets.shape, "binaryCrossEntropy: \(probabilities.shape) vs \(targets.shape)")
    let p = probabilities.clamped(min: 1e-7, max: 1 - 1e-7)
    let loss = -(targets * p.log() + (1 - targets) * (1 - p).log())
    return reduction == .mean ? loss.mean() : loss.sum()
}
