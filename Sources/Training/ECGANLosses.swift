import Models
import Tensor

/// Pixels of one or more images with their class: the sample a contrastive
/// loss compares (embeddings [K, D], L2-normalised rows).
public struct ContrastSample {
    public var embeddings: Tensor
    public var labels: [Int]

    public init(embeddings: Tensor, labels: [Int]) {
        self.embeddings = embeddings
        self.labels = labels
    }

    /// This sample followed by `other` (rows appended).
    public func appending(_ other: ContrastSample) -> ContrastSample {
        guard !other.labels.isEmpty else { return self }
        return ContrastSample(embeddings: Tensor.concat([embeddings, other.embeddings], axis: 0), labels: labels + other.labels)
    }
}

/// The loss formulas of ECGAN that LGGAN does not have (paper Eq. 2, 4-6 and
/// the class-wise L1 of ECGAN++). GAN, feature matching and L1 terms use
/// `LGGANLosses`.
public enum ECGANLosses {
    /// Eq. 4 for every anchor, averaged over anchors that have a positive:
    /// L_i = 1/|P_i| sum_{i+} -log(e^{i.i+/tau} / (e^{i.i+/tau} + sum_{i-} e^{i.i-/tau})).
    /// Positives are contrast pixels of the anchor's class, negatives those of
    /// other classes. With `sameSet` (anchors are the first rows of `contrast`)
    /// an anchor is not its own positive.
    public static func contrastive(anchors: ContrastSample, contrast: ContrastSample, temperature: Float,
                                   sameSet: Bool) -> Tensor {
        let (k, m) = (anchors.labels.count, contrast.labels.count)
        var negative = [Float](repeating: 0, count: k * m)
        var positiveWeight = [Float](repeating: 0, count: k * m)
        var positives = [Int](repeating: 0, count: k)
        for i in 0..<k {
            for j in 0..<m where !(sameSet && i == j) {
                if contrast.labels[j] == anchors.labels[i] { positives[i] += 1 } else { negative[i * m + j] = 1 }
            }
        }
        let anchorsWithPositives = positives.filter { $0 > 0 }.count
        guard anchorsWithPositives > 0 else { return Tensor(scalar: 0) }
        for i in 0..<k where positives[i] > 0 {
            let w = 1 / Float(positives[i] * anchorsWithPositives)
            for j in 0..<m where !(sameSet && i == j) && contrast.labels[j] == anchors.labels[i] { positiveWeight[i * m + j] = w }
        }
        let similarity = matmul(anchors.embeddings, contrast.embeddings, transposeB: true) * (1 / temperature)
        let e = similarity.exp()
        let negativeSum = (e * Tensor(shape: [k, m], values: negative)).sum(axes: [1], keepDims: true)
        let terms = (e + negativeSum).log() - similarity
        return (terms * Tensor(shape: [k, m], values: positiveWeight)).sum()
    }

    /// Eq. 2 exactly: the mean binary cross-entropy between the layout's pixel
    /// affinities a (1 when two pixels share a class) and the label generator's
    /// a'' = p_m . p_m' (class probabilities), over all M x M pixel pairs of
    /// each image (pixels without a class left out), averaged over images.
    /// probabilities [N, classes, H, W]; O(M^2): for tests and small maps.
    public static func similarityExact(probabilities: Tensor, indices: [Int]) -> Tensor {
        let (n, plane) = (probabilities.shape[0], probabilities.shape[2] * probabilities.shape[3])
        var terms: [Tensor] = []
        for b in 0..<n {
            let pixels = (0..<plane).filter { indices[b * plane + $0] >= 0 }.map { PixelIndex(image: b, position: $0) }
            terms.append(similarity(gatherPixels(probabilities, pixels), labels: labels(of: pixels, indices, plane: plane),
                                    offDiagonalOnly: false))
        }
        return LGGANLosses.sumTensors(terms) * (1 / Float(n))
    }

    /// Eq. 2 estimated from `samples` pixels per image drawn uniformly (with
    /// replacement) among the pixels with a class, averaging over the ordered
    /// pairs of distinct draws: each such pair is a uniform draw from the M x M
    /// pairs, so the estimate's expectation is the exact loss (tested), at
    /// samples^2 instead of M^2 pairs. Takes the label generator's logits
    /// [N, classes, H, W]: the softmax is taken on the drawn pixels only (it is
    /// per pixel, so this is the same value as gathering from the full softmax,
    /// without a full-resolution softmax and its backward every step).
    public static func similaritySampled(logits: Tensor, indices: [Int], samples: Int,
                                         using rng: inout RandomGenerator) -> Tensor {
        let (n, plane) = (logits.shape[0], logits.shape[2] * logits.shape[3])
        var drawn: [[PixelIndex]] = []
        for b in 0..<n {
            let valid = (0..<plane).filter { indices[b * plane + $0] >= 0 }
            guard !valid.isEmpty else { continue }
            drawn.append((0..<samples).map { _ in PixelIndex(image: b, position: valid[rng.nextInt(below: valid.count)]) })
        }
        guard !drawn.isEmpty else { return Tensor(scalar: 0) }
        // One gather for all images (one full-size gradient scatter, not one per image).
        let p = softmax(gatherPixels(logits, drawn.flatMap { $0 }), axis: 1)
        let terms = drawn.enumerated().map { i, pixels in
            similarity(p.slice(axis: 0, i * samples ..< (i + 1) * samples), labels: labels(of: pixels, indices, plane: plane),
                       offDiagonalOnly: true)
        }
        return LGGANLosses.sumTensors(terms) * (1 / Float(terms.count))
    }

    static func labels(of pixels: [PixelIndex], _ indices: [Int], plane: Int) -> [Int] {
        pixels.map { indices[$0.image * plane + $0.position] }
    }

    /// The BCE of Eq. 2 over the pairs of rows of p [K, classes] (class probabilities of K pixels with `labels`).
    public static func similarity(_ p: Tensor, labels: [Int], offDiagonalOnly: Bool) -> Tensor {
        let k = labels.count
        let affinity = matmul(p, p, transposeB: true).clamped(min: 1e-6, max: 1 - 1e-6)
        let pairs = offDiagonalOnly ? k * (k - 1) : k * k
        var same = [Float](repeating: 0, count: k * k), different = same
        for i in 0..<k {
            for j in 0..<k where !(offDiagonalOnly && i == j) {
                if labels[i] == labels[j] { same[i * k + j] = 1 / Float(pairs) } else { different[i * k + j] = 1 / Float(pairs) }
            }
        }
        let positive = (affinity.log() * Tensor(shape: [k, k], values: same)).sum()
        let negative = ((1 - affinity).log() * Tensor(shape: [k, k], values: different)).sum()
        return (positive + negative) * -1
    }

    /// Class-balanced pixel draws for the contrastive losses: per image,
    /// `count` draws, each a class present at this resolution chosen uniformly
    /// and then one of its pixels (so small classes are seen).
    public static func samplePixels(indices: [Int], batch: Int, height: Int, width: Int, toHeight: Int, toWidth: Int,
                                    count: Int, using rng: inout RandomGenerator) -> (pixels: [PixelIndex], labels: [Int]) {
        let plane = height * width
        var pixels: [PixelIndex] = [], labels: [Int] = []
        for b in 0..<batch {
            let small = Tensor.resizeLabels(Array(indices[b * plane ..< (b + 1) * plane]), height: height, width: width,
                                            toHeight: toHeight, toWidth: toWidth)
            var byClass: [Int: [Int]] = [:]
            for (position, c) in small.enumerated() where c >= 0 { byClass[c, default: []].append(position) }
            let classes = byClass.keys.sorted()
            guard !classes.isEmpty else { continue }
            for _ in 0..<count {
                let c = classes[rng.nextInt(below: classes.count)]
                let members = byClass[c]!
                pixels.append(PixelIndex(image: b, position: members[rng.nextInt(below: members.count)]))
                labels.append(c)
            }
        }
        return (pixels, labels)
    }

    /// ECGAN++'s class-wise L1: sum over classes of the mean |I * M_i - I_gi|,
    /// averaged over images. classImages [P, 3, H, W] for `pairs`.
    public static func classL1(classImages: Tensor, pairs: [(image: Int, classIndex: Int)], real: Tensor,
                               input: SemanticInput) -> Tensor {
        guard !pairs.isEmpty else { return Tensor(scalar: 0) }
        let targets = Tensor.concat(pairs.map { p in
            real.slice(axis: 0, p.image ..< p.image + 1)
                * input.oneHot.slice(axis: 0, p.image ..< p.image + 1).slice(axis: 1, p.classIndex ..< p.classIndex + 1)
        }, axis: 0)
        return l1Loss(classImages, targets) * (Float(pairs.count) / Float(input.batch))
    }
}
