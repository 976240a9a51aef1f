import Tensor

/// One weighted term of ECGAN's multi-modality objective: a batch of images
/// (generated or real) of one kind, its real counterpart and its weight in Eq. 7-9.
public struct ModalityTerm {
    public enum Kind: Sendable { case edge, coarse, final }
    public var kind: Kind
    public var image: Tensor
    public var real: Tensor
    public var weight: Float

    public init(kind: Kind, image: Tensor, real: Tensor, weight: Float) {
        self.kind = kind
        self.image = image
        self.real = real
        self.weight = weight
    }
}

/// Which images of a batch the discriminator scores for which term. Full:
/// every term gets all n images. Sampled: each image serves one term, drawn
/// with probability weight / W (W = sum of weights); term k's mean loss over
/// its m_k images, scaled by W * m_k / n, is then an unbiased estimate of the
/// sum over terms of weight * (mean loss over all n images), with one D pass per image.
public struct ModalityPlan {
    public let terms: [ModalityTerm]
    public let n: Int
    /// Per term, the images it scores, and its first row in the gathered batch.
    public let images: [[Int]]
    let offsets: [Int]
    public let sampled: Bool

    public init(terms: [ModalityTerm], batch n: Int, sampled: Bool, using rng: inout RandomGenerator) {
        self.terms = terms
        self.n = n
        self.sampled = sampled && terms.count > 1
        var images = [[Int]](repeating: [], count: terms.count)
        if self.sampled {
            let total = terms.map(\.weight).reduce(0, +)
            for i in 0..<n {
                var u = rng.nextUniform() * total, k = 0
                while k < terms.count - 1 && u >= terms[k].weight { u -= terms[k].weight; k += 1 }
                images[k].append(i)
            }
        } else {
            images = terms.map { _ in Array(0..<n) }
        }
        self.images = images
        var offsets: [Int] = [], o = 0
        for list in images { offsets.append(o); o += list.count }
        self.offsets = offsets
    }

    public func count(_ k: Int) -> Int { images[k].count }

    /// The factor term k's mean loss enters the objective with.
    public func scale(_ k: Int) -> Float {
        guard sampled else { return terms[k].weight }
        return terms.map(\.weight).reduce(0, +) * Float(images[k].count) / Float(n)
    }

    /// Rows of `x` (batch-major, n images) in plan order.
    func gather(_ x: Tensor) -> Tensor {
        Tensor.concat(images.flatMap { $0 }.map { x.slice(axis: 0, $0 ..< $0 + 1) }, axis: 0)
    }

    /// The tensor `pick` chooses from each term, its planned images, in plan order.
    func gather(_ pick: (ModalityTerm) -> Tensor) -> Tensor {
        Tensor.concat(terms.indices.flatMap { k in images[k].map { pick(terms[k]).slice(axis: 0, $0 ..< $0 + 1) } }, axis: 0)
    }

    /// Term k's rows of every discriminator output.
    func part(_ scored: [[Tensor]], _ k: Int) -> [[Tensor]] {
        scored.map { layers in layers.map { $0.slice(axis: 0, offsets[k] ..< offsets[k] + images[k].count) } }
    }
}
