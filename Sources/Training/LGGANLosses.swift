import Models
import Tensor

/// The loss terms of one step, as plain numbers (for logs and plots).
public struct LossRecord: Codable, Sendable, Equatable {
    /// Generator: hinge GAN on fused / global / local, feature matching (weighted), Eq. 2, Eq. 5.
    public var ganFused: Float = 0
    public var ganGlobal: Float = 0
    public var ganLocal: Float = 0
    public var featureMatching: Float = 0
    public var localL1: Float = 0
    public var classification: Float = 0
    /// Discriminator hinge terms on real and (mean of) fake images.
    public var discriminatorReal: Float = 0
    public var discriminatorFake: Float = 0
    /// L1 of the global image against the real one (weighted), when used.
    public var globalL1: Float = 0
    /// Mean |fused - real| in 0...255 units (a readable reconstruction figure).
    public var fusedL1: Float = 0
    /// KL term of the style encoder (weighted), when training with one.
    public var kl: Float = 0
    /// The style code's KL in nats per image, unweighted and without free bits
    /// (how much the code carries; about 0 means a collapsed posterior).
    public var styleKL: Float = 0

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case ganFused, ganGlobal, ganLocal, featureMatching, localL1, classification
        case discriminatorReal, discriminatorFake, fusedL1, kl, globalL1, styleKL
    }

    /// Missing terms read as 0 (logs of older runs).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func read(_ key: CodingKeys) throws -> Float { try c.decodeIfPresent(Float.self, forKey: key) ?? 0 }
        ganFused = try read(.ganFused)
        ganGlobal = try read(.ganGlobal)
        ganLocal = try read(.ganLocal)
        featureMatching = try read(.featureMatching)
        localL1 = try read(.localL1)
        classification = try read(.classification)
        discriminatorReal = try read(.discriminatorReal)
        discriminatorFake = try read(.discriminatorFake)
        fusedL1 = try read(.fusedL1)
        kl = try read(.kl)
        globalL1 = try read(.globalL1)
        styleKL = try read(.styleKL)
    }

    public var generatorTotal: Float { ganFused + ganGlobal + ganLocal + featureMatching + localL1 + classification + kl + globalL1 }

    /// Named values in a fixed order (for the progress line and the plot).
    public var named: [(String, Float)] {
        [("g_fused", ganFused), ("g_global", ganGlobal), ("g_local", ganLocal), ("fm", featureMatching),
         ("l1_local", localL1), ("l1_global", globalL1), ("ce", classification), ("d_real", discriminatorReal), ("d_fake", discriminatorFake),
         ("l1_fused", fusedL1), ("kl", kl), ("kl_nats", styleKL)]
    }
}

/// The loss formulas of LGGAN (section 3 and SPADE's multi-scale conventions).
public enum LGGANLosses {
    /// Generator hinge loss averaged over the discriminator's scales: -mean(D(fake)).
    public static func generatorAdversarial(_ scales: [[Tensor]]) -> Tensor {
        sumTensors(scales.map { hingeGeneratorLoss(fake: $0.last!) }) * (1 / Float(scales.count))
    }

    /// Discriminator hinge term for real (relu(1 - D)) or fake (relu(1 + D)) scores, averaged over scales.
    public static func discriminatorHinge(_ scales: [[Tensor]], real: Bool) -> Tensor {
        sumTensors(scales.map { hingeLoss($0.last!, real: real) }) * (1 / Float(scales.count))
    }

    /// SPADE's feature matching: L1 between the fake's and the (constant) real's
    /// intermediate discriminator features, summed over layers, averaged over scales.
    public static func featureMatching(fake: [[Tensor]], real: [[Tensor]]) -> Tensor {
        var terms: [Tensor] = []
        for (f, r) in zip(fake, real) {
            for (ff, rf) in zip(f.dropLast(), r.dropLast()) { terms.append(l1Loss(ff, rf.detach())) }
        }
        return sumTensors(terms) * (1 / Float(fake.count))
    }

    /// Eq. 2: sum over classes of mean |real * M_i - output_i|. classImages is
    /// [N, 3c, H, W]; the target is built here as a constant.
    public static func localL1(classImages: Tensor, real: Tensor, input: SemanticInput, pool: Int = 1) -> Tensor {
        let (n, c, h, w) = (input.batch, input.classCount, input.height, input.width)
        let plane = h * w
        let realValues = real.values
        let masks = input.oneHot.values
        var target = [Float](repeating: 0, count: n * 3 * c * plane)
        for b in 0..<n {
            for region in input.regions[b] {
                let i = region.classIndex
                let mask = (b * c + i) * plane
                for k in 0..<3 {
                    let src = (b * 3 + k) * plane, dst = (b * 3 * c + 3 * i + k) * plane
                    for p in 0..<plane where masks[mask + p] != 0 { target[dst + p] = realValues[src + p] }
                }
            }
        }
        let targetTensor = Tensor(shape: classImages.shape, values: target)
        return pooledL1(classImages, targetTensor, pool: pool) * Float(c)
    }

    /// Mean |a - b| after `pool` x `pool` average pooling of both (1: per pixel;
    /// sides that `pool` does not divide lose their last rows/columns).
    public static func pooledL1(_ a: Tensor, _ b: Tensor, pool: Int) -> Tensor {
        guard pool > 1 else { return l1Loss(a, b) }
        return l1Loss(avgPool2d(a, kernel: pool, stride: pool), avgPool2d(b, kernel: pool, stride: pool))
    }

    /// Eq. 5 with void filtering: each present class's pooled feature should be
    /// classified as that class; per image the sum over present classes divided
    /// by their number, then the mean over images. Works at any batch size.
    /// `ignoring`: the palette position of its ignore class (ADE20K 'other',
    /// COCO-Stuff 'unlabeled'), an input channel but not a class to learn.
    public static func classification(logits: Tensor, pairs: [(image: Int, classIndex: Int)], batch: Int,
                                      ignoring: Int? = nil) -> Tensor {
        var perImage = [Int](repeating: 0, count: batch)
        for p in pairs where p.classIndex != ignoring { perImage[p.image] += 1 }
        let weights = pairs.map { $0.classIndex == ignoring ? 0 : 1 / Float(perImage[$0.image] * batch) }
        return crossEntropy(logits: logits, targets: pairs.map(\.classIndex), weights: weights, reduction: .sum)
    }

    static func sumTensors(_ terms: [Tensor]) -> Tensor {
        guard var total = terms.first else { return Tensor(scalar: 0) }
        for t in terms.dropFirst() { total = total + t }
        return total
    }
}
