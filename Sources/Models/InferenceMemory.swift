import Foundation
import Generation
import Support
import Tensor

/// What one inference of a loaded network needs at its peak, from its config:
/// the activations it holds per pixel (channel widths x pixels per level x 4
/// bytes), times a factor calibrated against measured peaks, plus a fixed part
/// (the runtime and the weights). Checked BEFORE generating, so a size that
/// cannot fit is refused with one line instead of the OOM killer.
public struct InferenceMemory: Sendable, Equatable {
    /// "LGGAN", "ECGAN", "the evaluator segmenter", for messages.
    public let modelName: String
    /// Bytes that do not grow with the image: the process (binary, OpenBLAS,
    /// oneDNN: ~40 MB measured) and the weights, counted twice (file and tensors).
    public let fixedBytes: Int
    /// Bytes per (padded) pixel of the layout.
    public let bytesPerPixel: Double
    /// Sides are padded up to this before the network runs.
    public let sizeMultiple: Int

    static let runtimeBytes = 48_000_000

    public init(modelName: String, fixedBytes: Int, bytesPerPixel: Double, sizeMultiple: Int) {
        self.modelName = modelName
        self.fixedBytes = fixedBytes
        self.bytesPerPixel = bytesPerPixel
        self.sizeMultiple = Swift.max(1, sizeMultiple)
    }

    /// The estimated peak of one inference at width x height.
    public func peakBytes(width: Int, height: Int) -> Int {
        let pixels = Double(padded(width)) * Double(padded(height))
        return fixedBytes + Int((bytesPerPixel * pixels).rounded(.up))
    }

    private func padded(_ side: Int) -> Int { (side + sizeMultiple - 1) / sizeMultiple * sizeMultiple }

    /// The largest size with the aspect of width x height whose estimate fits in `bytes`, or nil when none does.
    public func largestFitting(width: Int, height: Int, in bytes: Int) -> (width: Int, height: Int)? {
        let pixels = Double(bytes - fixedBytes) / bytesPerPixel
        guard pixels >= 1 else { return nil }
        let scale = (pixels / (Double(width) * Double(height))).squareRoot()
        // Rounded down to the padding multiple, so the padded size is the size itself.
        let fit = { (side: Int) in Int(Double(side) * scale) / sizeMultiple * sizeMultiple }
        let (w, h) = (fit(width), fit(height))
        guard w >= 1, h >= 1, peakBytes(width: w, height: h) <= bytes else { return nil }
        return (w, h)
    }

    /// Throws when width x height would need more than `available` (default: what
    /// the machine has now); `also` adds what the same command holds beside it
    /// (eval: the evaluator segmenter).
    public func check(width: Int, height: Int, also other: InferenceMemory? = nil,
                      available: AvailableMemory? = AvailableMemory.current()) throws {
        guard let available else { return }
        let extra = other?.peakBytes(width: 0, height: 0) ?? 0
        let needed = peakBytes(width: width, height: height) + extra
        guard needed > available.bytes else { return }
        throw InferenceMemoryError(modelName: modelName, width: width, height: height, needed: needed, available: available,
                                   largest: largestFitting(width: width, height: height, in: available.bytes - extra))
    }
}

/// A size whose generation would not fit in memory.
public struct InferenceMemoryError: UserFacingError {
    public let modelName: String
    public let width: Int
    public let height: Int
    public let needed: Int
    public let available: AvailableMemory
    public let largest: (width: Int, height: Int)?

    public var description: String {
        let fit = largest.map { "the largest that fits is about \($0.width)x\($0.height)" } ?? "no size fits"
        return "\(width)x\(height) is too large for \(modelName): it needs about \(AvailableMemory.gigabytes(needed)) "
            + "but this machine has \(AvailableMemory.gigabytes(available.bytes)) available (\(available.source)); \(fit)"
    }
}

extension InferenceMemory {
    /// Activation floats per full-resolution pixel of the SPADE backbone LGGAN and
    /// ECGAN share: the one-hot layout and texture noise, and at each level k the
    /// features and SPADE's hidden label features, over 4^k.
    static func backboneFloatsPerPixel(_ c: LGGANConfig) -> Double {
        var floats = Double(c.classCount + c.textureNoiseChannels)
        for k in 0...c.encoderDepth {
            let hidden = k == 0 ? c.spadeHiddenFullResolution : c.spadeHidden
            floats += Double(c.width(level: k) + hidden) / Double(1 << (2 * k))
        }
        return floats
    }

    /// Views (global, local, fused, weight maps, edge...): about 16 floats a pixel.
    static let viewFloatsPerPixel = 16.0

    /// LGGAN: the backbone, each class's RGB output (local generator) and the views.
    /// Calibration (generate samples/lake.png --size S, /usr/bin/time -f %M, the shipped
    /// 15-class model: 131.5 floats = 526 B/px counted): peaks 184 / 606 / 1,252 / 1,744 MB
    /// at 256/512/768/1024; the steepest step (256->512) is 2,190 B/px = 4.2x counted
    /// (im2col and oneDNN buffers, SPADE's gamma/beta, temporaries), so the estimate is
    /// 1.04x the peak at 256^2, 1.02x at 512^2 and 1.33x at 1024^2: it errs high.
    public static func of(_ lggan: LGGANGenerator) -> InferenceMemory {
        let c = lggan.network.config
        let floats = backboneFloatsPerPixel(c) + (c.useLocal ? Double(3 * c.classCount) : 0) + viewFloatsPerPixel
        return InferenceMemory(modelName: "LGGAN", fixedBytes: runtimeBytes + 8 * lggan.network.parameterCount,
                               bytesPerPixel: 4.2 * 4 * floats, sizeMultiple: c.sizeMultiple)
    }

    /// ECGAN: the backbone, F and its edge and image branches (3 x C), class images
    /// (ECGAN++) and the views. Calibration as LGGAN's (the shipped model: 182.5 floats
    /// = 730 B/px counted): peaks 180 / 557 / 1,111 / 1,644 MB at 256/512/768/1024; the
    /// steepest step is 1,965 B/px = 2.7x counted. The factor is 3.0: at 256^2 the peak
    /// varies by run (180-209 MB, step 400 and the session-10 model alike, a loaded machine),
    /// and at 2.7 the estimate fell to 0.86x of a high run; 3.0 gives ~0.93-1.08x at 256^2,
    /// ~1.1x at 512^2 and ~1.4x at 1024^2 (it errs high, as LGGAN's).
    public static func of(_ ecgan: ECGANGenerator) -> InferenceMemory {
        let c = ecgan.network.config
        let floats = backboneFloatsPerPixel(c.backbone) + Double(3 * c.featureWidth)
            + (c.useClassSpecific ? Double(3 * c.classCount) : 0) + viewFloatsPerPixel
        return InferenceMemory(modelName: "ECGAN", fixedBytes: runtimeBytes + 8 * ecgan.network.parameterCount,
                               bytesPerPixel: 3.0 * 4 * floats, sizeMultiple: c.sizeMultiple)
    }

    /// Any generator: LGGAN and ECGAN by their configs; nil for the network-free
    /// stand-ins (flat, shaded), which hold a few bytes a pixel.
    public static func of(_ generator: any SceneGenerator) -> InferenceMemory? {
        if let lggan = generator as? LGGANGenerator { return of(lggan) }
        if let ecgan = generator as? ECGANGenerator { return of(ecgan) }
        return nil
    }

    /// The evaluator: it resamples every image to its own input size, so its peak
    /// is fixed (all of it in `fixedBytes`). Same factor as LGGAN's (not calibrated
    /// on its own: at 128^2 it is ~10 MB, noise beside the generator).
    public static func of(_ segmenter: Segmenter) -> InferenceMemory {
        let c = segmenter.configuration
        var floats = 0.0
        for (k, width) in c.levelWidths.enumerated() { floats += Double(width) / Double(1 << (2 * k)) }
        let activations = 4.2 * 4 * (floats + Double(c.classCount)) * Double(c.inputWidth * c.inputHeight)
        return InferenceMemory(modelName: "the evaluator segmenter", fixedBytes: 8 * segmenter.parameterCount + Int(activations),
                               bytesPerPixel: 0, sizeMultiple: 1)
    }
}

extension LGGANGenerator {
    public func checkMemory(width: Int, height: Int) throws { try InferenceMemory.of(self).check(width: width, height: height) }
}

extension ECGANGenerator {
    public func checkMemory(width: Int, height: Int) throws { try InferenceMemory.of(self).check(width: width, height: height) }
}
