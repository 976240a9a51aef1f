/// ECGAN's loss terms of one step, as plain numbers (weighted as they enter
/// the objective, Eq. 9), for the progress line, log.jsonl and loss curves.
public struct ECGANLossRecord: NamedLosses {
    /// Hinge GAN of the generator on I'_e, I' and I'' (lambda-weighted).
    public var ganEdge: Float = 0
    public var ganCoarse: Float = 0
    public var ganFinal: Float = 0
    /// Discriminator feature matching (lambda_f) and the L1 standing in for the perceptual loss (lambda_p).
    public var featureMatching: Float = 0
    public var reconstruction: Float = 0
    /// Eq. 2 on S' and S'' (lambda_s).
    public var similarity: Float = 0
    /// Eq. 4 / Eq. 5 (multi-scale) and Eq. 6 (cross-scale), lambda_l.
    public var contrastive: Float = 0
    public var crossScale: Float = 0
    /// ECGAN++ class-wise L1 (lambda_l).
    public var classL1: Float = 0
    /// Discriminator hinge terms: real (image and edge) and fake.
    public var discriminatorReal: Float = 0
    public var discriminatorFake: Float = 0
    /// Mean |I'' - I| in 0...255 units (a readable reconstruction figure).
    public var finalL1: Float = 0
    /// The style code's KL term as weighted in the objective, and in nats (unweighted, no free bits).
    public var kl: Float = 0
    public var styleKL: Float = 0

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case ganEdge, ganCoarse, ganFinal, featureMatching, reconstruction, similarity, contrastive, crossScale, classL1
        case discriminatorReal, discriminatorFake, finalL1, kl, styleKL
    }

    /// Missing terms read as 0 (logs written before the style code's terms).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func read(_ key: CodingKeys) throws -> Float { try c.decodeIfPresent(Float.self, forKey: key) ?? 0 }
        ganEdge = try read(.ganEdge)
        ganCoarse = try read(.ganCoarse)
        ganFinal = try read(.ganFinal)
        featureMatching = try read(.featureMatching)
        reconstruction = try read(.reconstruction)
        similarity = try read(.similarity)
        contrastive = try read(.contrastive)
        crossScale = try read(.crossScale)
        classL1 = try read(.classL1)
        discriminatorReal = try read(.discriminatorReal)
        discriminatorFake = try read(.discriminatorFake)
        finalL1 = try read(.finalL1)
        kl = try read(.kl)
        styleKL = try read(.styleKL)
    }

    public var named: [(String, Float)] {
        [("g_edge", ganEdge), ("g_coarse", ganCoarse), ("g_final", ganFinal), ("fm", featureMatching),
         ("l1", reconstruction), ("sim", similarity), ("contrast", contrastive), ("cross", crossScale),
         ("class_l1", classL1), ("d_real", discriminatorReal), ("d_fake", discriminatorFake), ("l1_final", finalL1),
         ("kl", kl), ("kl_nats", styleKL)]
    }

    public func combined(_ o: ECGANLossRecord, _ f: (Float, Float) -> Float) -> ECGANLossRecord {
        var r = ECGANLossRecord()
        r.ganEdge = f(ganEdge, o.ganEdge)
        r.ganCoarse = f(ganCoarse, o.ganCoarse)
        r.ganFinal = f(ganFinal, o.ganFinal)
        r.featureMatching = f(featureMatching, o.featureMatching)
        r.reconstruction = f(reconstruction, o.reconstruction)
        r.similarity = f(similarity, o.similarity)
        r.contrastive = f(contrastive, o.contrastive)
        r.crossScale = f(crossScale, o.crossScale)
        r.classL1 = f(classL1, o.classL1)
        r.discriminatorReal = f(discriminatorReal, o.discriminatorReal)
        r.discriminatorFake = f(discriminatorFake, o.discriminatorFake)
        r.finalL1 = f(finalL1, o.finalL1)
        r.kl = f(kl, o.kl)
        r.styleKL = f(styleKL, o.styleKL)
        return r
    }
}
