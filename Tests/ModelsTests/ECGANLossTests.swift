import Foundation
import Models
import Tensor
import Training
import XCTest

final class ECGANLossTests: XCTestCase {
    /// Eq. 4 on 4 pixels (classes 0, 0, 1, 1), every pixel an anchor against the
    /// others, computed by hand with scalar arithmetic.
    func testContrastiveLossMatchesAHandComputedValueOnFourPixels() {
        let raw: [[Float]] = [[1, 0], [0.8, 0.6], [0, 1], [-0.6, 0.8]]
        let labels = [0, 0, 1, 1]
        let tau: Float = 0.5
        let unit = raw.map { v -> [Float] in let n = (v[0] * v[0] + v[1] * v[1]).squareRoot(); return v.map { $0 / n } }
        func dot(_ a: Int, _ b: Int) -> Float { unit[a][0] * unit[b][0] + unit[a][1] * unit[b][1] }
        var expected: Float = 0
        for i in 0..<4 {
            let positives = (0..<4).filter { $0 != i && labels[$0] == labels[i] }
            let negatives = (0..<4).filter { labels[$0] != labels[i] }
            let negSum = negatives.map { expf(dot(i, $0) / tau) }.reduce(0, +)
            var li: Float = 0
            for p in positives { li += -logf(expf(dot(i, p) / tau) / (expf(dot(i, p) / tau) + negSum)) }
            expected += li / Float(positives.count)
        }
        expected /= 4
        // By hand for pixel 0: cos(0,1) = 0.8, cos(0,2) = 0, cos(0,3) = -0.6 ->
        // -log(e^1.6 / (e^1.6 + e^0 + e^-1.2)) = 0.2332...
        let first = -logf(expf(1.6) / (expf(1.6) + 1 + expf(-1.2)))
        XCTAssertEqual(first, 0.2332, accuracy: 1e-3)
        let embeddings = l2NormalizedRows(Tensor(shape: [4, 2], values: raw.flatMap { $0 }))
        let sample = ContrastSample(embeddings: embeddings, labels: labels)
        let loss = ECGANLosses.contrastive(anchors: sample, contrast: sample, temperature: tau, sameSet: true)
        XCTAssertEqual(loss.scalar, expected, accuracy: 1e-5)
        // Pulling same-class pixels together lowers it.
        let tight = l2NormalizedRows(Tensor(shape: [4, 2], values: [1, 0, 1, 0.01, 0, 1, 0.01, 1]))
        XCTAssertLessThan(ECGANLosses.contrastive(anchors: ContrastSample(embeddings: tight, labels: labels),
                                                  contrast: ContrastSample(embeddings: tight, labels: labels),
                                                  temperature: tau, sameSet: true).scalar, loss.scalar)
    }

    /// The gradient of the contrastive loss reaches the embeddings (finite differences on one entry).
    func testContrastiveLossGradientMatchesFiniteDifferences() {
        let values: [Float] = [0.3, -0.2, 0.9, 0.5, 0.1, 0.7, -0.4, 0.6, 0.2]
        let labels = [0, 1, 0]
        func loss(_ v: [Float]) -> Tensor {
            let x = Tensor.parameter(shape: [3, 3], values: v)
            let s = ContrastSample(embeddings: l2NormalizedRows(x), labels: labels)
            return ECGANLosses.contrastive(anchors: s, contrast: s, temperature: 0.2, sameSet: true)
        }
        let x = Tensor.parameter(shape: [3, 3], values: values)
        let s = ContrastSample(embeddings: l2NormalizedRows(x), labels: labels)
        ECGANLosses.contrastive(anchors: s, contrast: s, temperature: 0.2, sameSet: true).backward()
        let h: Float = 1e-3
        for k in [0, 4, 8] {
            var plus = values, minus = values
            plus[k] += h; minus[k] -= h
            let numeric = (GradMode.withoutGrad { loss(plus).scalar } - GradMode.withoutGrad { loss(minus).scalar }) / (2 * h)
            XCTAssertEqual(x.grad!.values[k], numeric, accuracy: 2e-2)
        }
    }

    /// The sampled similarity loss (Eq. 2 on pairs of sampled pixels) averages,
    /// over many draws, to the exact M x M loss: an unbiased estimate.
    func testSampledSimilarityLossIsAnUnbiasedEstimateOfTheExactOne() {
        let (h, w, classes) = (6, 7, 3)
        var rng = RandomGenerator(seed: 5)
        let logits = Tensor.randomNormal([1, classes, h, w], std: 1.5, using: &rng)
        let probabilities = softmax(logits, axis: 1)
        var indices = (0..<(h * w)).map { p in (p % w) < 3 ? 0 : ((p / w) < 2 ? 1 : 2) }
        indices[5] = -1 // a pixel without a class is left out of both
        let exact = ECGANLosses.similarityExact(probabilities: probabilities, indices: indices).scalar
        var estimates: [Double] = []
        for _ in 0..<400 {
            estimates.append(Double(ECGANLosses.similaritySampled(logits: logits, indices: indices,
                                                                  samples: 8, using: &rng).scalar))
        }
        let mean = estimates.reduce(0, +) / Double(estimates.count)
        let sd = (estimates.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(estimates.count - 1)).squareRoot()
        let standardError = sd / Double(estimates.count).squareRoot()
        XCTAssertGreaterThan(standardError, 0)
        XCTAssertLessThan(abs(mean - Double(exact)), 4 * standardError,
                          "sampled mean \(mean) vs exact \(exact) (standard error \(standardError))")
        // The exact loss is the BCE it claims to be: perfect probabilities (the one-hot layout) give ~0.
        let oneHot = Tensor.oneHot(labels: indices, batch: 1, height: h, width: w, classes: classes)
        XCTAssertLessThan(ECGANLosses.similarityExact(probabilities: oneHot, indices: indices).scalar, 1e-4)
        XCTAssertGreaterThan(exact, 0.1)
    }

    /// The sampled loss takes the softmax of the drawn pixels' logits only; it
    /// must give the value and logit gradient of the formulation it replaced
    /// (softmax of the whole map, then one gather per image).
    func testSampledSimilarityOnDrawnLogitsMatchesTheFullSoftmax() {
        let (n, classes, h, w, samples) = (3, 4, 5, 6, 7)
        var draw = RandomGenerator(seed: 9)
        let values = Tensor.randomNormal([n, classes, h, w], std: 2, using: &draw).values
        var indices = (0..<(n * h * w)).map { ($0 * 7 / 5) % classes }
        for p in 0..<(h * w) { indices[h * w + p] = -1 } // image 1 has no classed pixel: skipped by both
        indices[3] = -1

        let logits = Tensor.parameter(shape: [n, classes, h, w], values: values)
        var rng = RandomGenerator(seed: 11)
        let fast = ECGANLosses.similaritySampled(logits: logits, indices: indices, samples: samples, using: &rng)
        fast.backward()

        let reference = Tensor.parameter(shape: [n, classes, h, w], values: values)
        let probabilities = softmax(reference, axis: 1)
        var rngOld = RandomGenerator(seed: 11)
        var terms: [Tensor] = []
        for b in 0..<n {
            let valid = (0..<(h * w)).filter { indices[b * h * w + $0] >= 0 }
            guard !valid.isEmpty else { continue }
            let pixels = (0..<samples).map { _ in PixelIndex(image: b, position: valid[rngOld.nextInt(below: valid.count)]) }
            terms.append(ECGANLosses.similarity(gatherPixels(probabilities, pixels),
                                                labels: pixels.map { indices[$0.image * h * w + $0.position] }, offDiagonalOnly: true))
        }
        XCTAssertEqual(terms.count, 2)
        let slow = (terms[0] + terms[1]) * 0.5
        slow.backward()

        XCTAssertEqual(fast.scalar, slow.scalar, accuracy: 1e-6 * abs(slow.scalar))
        XCTAssertGreaterThan(slow.scalar, 0.1)
        let (gf, gs) = (logits.grad!.values, reference.grad!.values)
        XCTAssertGreaterThan(gs.map(abs).max()!, 1e-3)
        for k in gs.indices { XCTAssertEqual(gf[k], gs[k], accuracy: 1e-6, "logit \(k)") }
        XCTAssertEqual(rng.nextInt(below: 1 << 30), rngOld.nextInt(below: 1 << 30), "the same draws")
    }

    func testGatherPixelsPicksAndScattersBack() {
        let x = Tensor.parameter(shape: [2, 2, 2, 3], values: (0..<24).map(Float.init))
        let pixels = [PixelIndex(image: 1, position: 4), PixelIndex(image: 0, position: 0), PixelIndex(image: 1, position: 4)]
        let g = gatherPixels(x, pixels)
        XCTAssertEqual(g.shape, [3, 2])
        XCTAssertEqual(g.values, [16, 22, 0, 6, 16, 22])
        g.sum().backward()
        XCTAssertEqual(x.grad!.values[16], 2)
        XCTAssertEqual(x.grad!.values[0], 1)
        XCTAssertEqual(x.grad!.values[1], 0)
    }
}

final class ModalityPlanTests: XCTestCase {
    /// Each image scored for one term drawn by weight, each term's mean scaled by
    /// W * m_k / n: on average the full weighted objective of Eq. 7-9.
    func testSampledPlanIsAnUnbiasedEstimateOfTheFullObjective() {
        let n = 4
        let losses: [[Float]] = [[0.5, 1.0, 2.0, 0.1], [3.0, 0.2, 0.7, 1.1], [0.9, 0.4, 2.5, 1.6]]
        let weights: [Float] = [1, 1, 2]
        let dummy = Tensor.zeros([n, 1, 1, 1])
        let terms = weights.map { ModalityTerm(kind: .coarse, image: dummy, real: dummy, weight: $0) }
        let full = zip(weights, losses).map { w, l in w * l.reduce(0, +) / Float(n) }.reduce(0, +)
        var rng = RandomGenerator(seed: 3)
        let exact = ModalityPlan(terms: terms, batch: n, sampled: false, using: &rng)
        func estimate(_ plan: ModalityPlan) -> Float {
            terms.indices.filter { plan.count($0) > 0 }.map { k in
                plan.scale(k) * plan.images[k].map { losses[k][$0] }.reduce(0, +) / Float(plan.count(k))
            }.reduce(0, +)
        }
        XCTAssertEqual(estimate(exact), full, accuracy: 1e-5)
        var sum = 0.0, sumSquares = 0.0
        let draws = 20_000
        for _ in 0..<draws {
            let plan = ModalityPlan(terms: terms, batch: n, sampled: true, using: &rng)
            XCTAssertEqual(plan.images.map(\.count).reduce(0, +), n, "one term per image")
            let e = Double(estimate(plan))
            sum += e; sumSquares += e * e
        }
        let mean = sum / Double(draws), sd = (sumSquares / Double(draws) - mean * mean).squareRoot()
        XCTAssertLessThan(abs(mean - Double(full)), 4 * sd / Double(draws).squareRoot(), "mean \(mean) vs full \(full)")
    }
}
