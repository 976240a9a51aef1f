import Foundation
import FuzzSupport
import Layouts
import Models
import Tensor

/// Bytes through LGGAN model-file validation (safetensors, format tag, config,
/// palette, class counts, tensor names and shapes, finite values). Promises: no
/// crash and no runaway allocation; an accepted model generates a small layout.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> CInt {
    FuzzInput.writeSeedsIfAsked {
        // The smallest LGGAN the config allows, so a seed is a few kilobytes.
        var config = LGGANConfig(classCount: 2)
        config.baseWidth = 1
        config.maxWidthMultiplier = 1
        config.inputKernel = 1
        config.globalDepth = 2
        config.spadeHidden = 1
        config.spadeHiddenFullResolution = 1
        config.localResBlocks = 0
        config.classKernel = 1
        let palette = try Palette(name: "two", classes: [PaletteClass(id: 0, name: "a", color: RGBColor(0, 0, 0)),
                                                          PaletteClass(id: 1, name: "b", color: RGBColor(9, 9, 9))])
        let path = NSTemporaryDirectory() + "fuzz-seed-\(getpid()).safetensors"
        var seeds: [String: Data] = [:]
        for (name, dtype) in [("micro-f16", SafeTensorsDType.f16), ("micro-f32", .f32)] {
            try LGGANModelFile.write(try LGGANNetwork(config: config), palette: palette, to: path, dtype: dtype)
            seeds[name + ".safetensors"] = try Data(contentsOf: URL(fileURLWithPath: path))
        }
        try? FileManager.default.removeItem(atPath: path)
        return seeds
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelFile(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let (network, palette, _) = try? LGGANModelFile.decode(FuzzInput.data(bytes, count), path: "fuzz.safetensors") else {
        return 0
    }
    let generator: LGGANGenerator
    do { generator = try LGGANGenerator(network: network, palette: palette) } catch {
        FuzzInput.expect(false, "a validated model is refused by the generator: \(error)")
        return 0
    }
    var labels = LabelMap(width: 9, height: 7, fill: UInt8(palette.classes[0].id))
    labels[8, 6] = UInt8(palette.classes[palette.count - 1].id)
    let views = try? generator.generate(labels, seed: 1, shouldCancel: { false })
    FuzzInput.expect(views?.fused.width == 9 && views?.fused.height == 7, "a validated model does not generate")
    return 0
}
