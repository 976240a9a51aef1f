import ArgumentParser
import Foundation
import Layouts
import Terminal

/// `scenepaint bench cells`: text-cell renderings (hand-written half blocks
/// against libchafa's symbols) decoded back to pixels and compared with the
/// source image, and the time each takes per frame, interleaved.
struct BenchCellsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cells",
        abstract: "Rendering error and time per frame of the text-cell renderers (half blocks, libchafa) on PNG images.")

    @Argument(help: "Image PNGs (e.g. generated scenes, or /work/data/landscapes/test/images/*.png).")
    var images: [String]
    @Option(help: "Cells across and down the frame.")
    var columns: Int = 60
    @Option(help: "Cells down the frame.")
    var rows: Int = 30
    @Option(help: ArgumentHelp("Pixels of one cell, WIDTHxHEIGHT, each side 1-64 (the error is measured at this resolution).", valueName: "WxH"))
    var cell = Size(width: 8, height: 16)
    @Option(help: "Timed rounds over all images (after one warm-up).")
    var rounds: Int = 5
    @Option(help: "Also compare the sixel encoders at this pane size in pixels (decoded with libsixel); 0 skips.")
    var sixelSize: Int = 0

    struct Variant {
        let name: String
        let depth: ColorDepth
        let render: (RGBImage) -> CellGrid
    }

    func run() throws {
        let (cw, ch) = try cell.within(64, option: "--cell").pair
        guard columns > 0, rows > 0 else { throw ValidationError("--columns and --rows must be positive") }
        let sources = try images.map { try RGBImage.read(path: $0) }
        let (cols, rws) = (columns, rows)
        var variants: [Variant] = []
        for depth in [ColorDepth.truecolor, .ansi256, .ansi16] {
            variants.append(Variant(name: "half blocks", depth: depth) { HalfBlockRenderer.grid($0.resized(width: cols, height: rws * 2)) })
            for work in [Float(0.5), 0.1] {
                variants.append(Variant(name: "libchafa \(work)", depth: depth) { ChafaRenderer(depth: depth, workFactor: work).grid($0, columns: cols, rows: rws, cellWidth: cw, cellHeight: ch) })
            }
        }
        var errors = [[Double]](repeating: [], count: variants.count)
        var times = [[Double]](repeating: [], count: variants.count)
        var bytes = [Int](repeating: 0, count: variants.count)
        for (v, variant) in variants.enumerated() {
            for source in sources {
                let reference = source.resized(width: cols * cw, height: rws * ch)
                let decoded = variant.render(source).decoded(cellWidth: cw, cellHeight: ch, depth: variant.depth)
                errors[v].append(Self.meanAbsoluteError(decoded, reference))
            }
        }
        for _ in 0..<rounds {
            for (v, variant) in variants.enumerated() {
                for source in sources {
                    let start = DispatchTime.now().uptimeNanoseconds
                    let text = variant.render(source).lines(depth: variant.depth).joined(separator: "\r\n")
                    times[v].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                    bytes[v] = text.utf8.count
                }
            }
        }
        print("\(sources.count) images, \(cols)x\(rws) cells of \(cw)x\(ch) pixels, \(rounds) rounds; load average \(Self.loadAverage())")
        print("renderer      colours    mean abs error (0-255), median / worst image    ms per frame, median    bytes (last)")
        for (v, variant) in variants.enumerated() {
            let e = errors[v].sorted()
            print(String(format: "%-13@  %-9@  %6.2f / %6.2f                                %8.2f             %8d",
                         variant.name as NSString, variant.depth.rawValue as NSString, e[e.count / 2], e.last ?? 0, Self.median(times[v]), bytes[v]))
        }
        if sixelSize > 0 { try compareSixel(sources) }
    }

    /// libsixel (the editor's fixed cube + ordered dither, and libsixel's own
    /// adaptive palette + diffusion) against libchafa's sixel encoder.
    func compareSixel(_ sources: [RGBImage]) throws {
        let encoders: [(String, (RGBImage) throws -> [UInt8])] = [
            ("libsixel, fixed cube + ordered dither (editor)", { try SixelEncoder.encode(indices: EditorSixelQuantizer.indices($0), width: $0.width, height: $0.height, palette: EditorSixelQuantizer.palette) }),
            ("libsixel, adaptive palette + diffusion", { try SixelEncoder.encode($0) }),
            ("libchafa sixel", { ChafaRenderer.sixel($0) }),
        ]
        let scaled = sources.map { $0.resized(width: sixelSize, height: sixelSize * $0.height / $0.width) }
        var errors = [[Double]](repeating: [], count: encoders.count), times = errors, sizes = [Int](repeating: 0, count: encoders.count)
        for round in 0...rounds {
            for (e, encoder) in encoders.enumerated() {
                for image in scaled {
                    let start = DispatchTime.now().uptimeNanoseconds
                    let bytes = try encoder.1(image)
                    let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                    if round > 0 { times[e].append(ms) }
                    guard round == 0 else { continue }
                    sizes[e] += bytes.count
                    let decoded = try SixelDecoder.decode(bytes)
                    // libchafa rounds the height down to whole 6-pixel bands: compare the rows both have.
                    guard decoded.width == image.width, decoded.height >= image.height - 5 else {
                        throw ValidationError("\(encoder.0) decoded to \(decoded.width)x\(decoded.height), not \(image.width)x\(image.height)")
                    }
                    let rows = min(decoded.height, image.height) * image.width * 3
                    let a = RGBImage(width: image.width, height: rows / image.width / 3, pixels: Array(decoded.pixels.prefix(rows)))
                    let b = RGBImage(width: image.width, height: rows / image.width / 3, pixels: Array(image.pixels.prefix(rows)))
                    errors[e].append(Self.meanAbsoluteError(a, b))
                }
            }
        }
        print("sixel at \(sixelSize) pixels wide, \(sources.count) images; load average \(Self.loadAverage())")
        print("encoder                                           mean abs error, median    ms per frame, median    KB per frame")
        for (e, encoder) in encoders.enumerated() {
            print(String(format: "%-48@  %6.2f                   %8.2f              %6.0f", encoder.0 as NSString,
                         Self.median(errors[e]), Self.median(times[e]), Double(sizes[e]) / Double(sources.count) / 1024))
        }
    }

    static func meanAbsoluteError(_ a: RGBImage, _ b: RGBImage) -> Double {
        var total = 0
        for i in 0..<min(a.pixels.count, b.pixels.count) { total += abs(Int(a.pixels[i]) - Int(b.pixels[i])) }
        return Double(total) / Double(max(1, a.pixels.count))
    }

    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        return s.isEmpty ? 0 : s[s.count / 2]
    }

    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    }
}
