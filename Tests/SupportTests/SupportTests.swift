import Foundation
import Support
import XCTest

final class SupportTests: XCTestCase {
    func testCPUInfoParsing() {
        let info = """
        processor\t: 0
        model name\t: Test CPU 9000
        flags\t\t: fpu sse2 avx2 fma avx512f avx512bw avx512vl avx512dq avx512cd avx512_bf16

        processor\t: 1
        flags\t\t: fpu
        """
        let cpu = CPUFeatures.parse(cpuinfo: info)
        XCTAssertEqual(cpu.modelName, "Test CPU 9000")
        XCTAssertTrue(cpu.hasAVX512)
        XCTAssertTrue(cpu.hasAVX2)
        XCTAssertFalse(CPUFeatures.parse(cpuinfo: "flags : sse2").hasAVX2)
    }

    func testCoreTypeChoice() {
        let avx512 = CPUFeatures(flags: ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"], modelName: "x")
        let bf16 = CPUFeatures(flags: avx512.flags.union(["avx512_bf16"]), modelName: "x")
        let avx2 = CPUFeatures(flags: ["avx2", "fma"], modelName: "x")
        XCTAssertEqual(BLASEnvironment.betterCoreType(loadedCore: "Prescott", features: avx512), "SkylakeX")
        XCTAssertEqual(BLASEnvironment.betterCoreType(loadedCore: "Prescott", features: bf16), "Cooperlake")
        XCTAssertEqual(BLASEnvironment.betterCoreType(loadedCore: "Haswell", features: avx512), "SkylakeX", "AVX2 kernels leave AVX-512 unused")
        XCTAssertNil(BLASEnvironment.betterCoreType(loadedCore: "Cooperlake", features: bf16))
        XCTAssertNil(BLASEnvironment.betterCoreType(loadedCore: "Zen", features: avx2))
        XCTAssertEqual(BLASEnvironment.betterCoreType(loadedCore: "Sandybridge", features: avx2), "Haswell")
        XCTAssertNil(BLASEnvironment.betterCoreType(loadedCore: "Prescott", features: CPUFeatures(flags: ["sse2"], modelName: "old")))
    }

    func testAtomicWriteReplacesAndLeavesNoTemporaries() throws {
        let dir = NSTemporaryDirectory() + "atomic-\(UUID().uuidString)"
        try AtomicFile.ensureDirectory(dir)
        try AtomicFile.write(Data("first".utf8), to: dir + "/f.txt")
        try AtomicFile.write(Data("second".utf8), to: dir + "/f.txt")
        XCTAssertEqual(try String(contentsOfFile: dir + "/f.txt", encoding: .utf8), "second")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["f.txt"])
        XCTAssertThrowsError(try AtomicFile.write(Data(), to: dir + "/missing/f.txt")) { error in
            XCTAssertTrue("\(error)".contains("does not exist"), "\(error)")
        }
    }

    func testProgressLineShowsCountPercentAndETA() {
        let bar = ProgressBar(total: 200, label: "synth")
        let line = bar.line(done: 50, suffix: "loss 0.5", now: Date().addingTimeInterval(10))
        XCTAssertTrue(line.hasPrefix("synth [######"), line)
        XCTAssertTrue(line.contains("50/200"), line)
        XCTAssertTrue(line.contains(" 25%"), line)
        XCTAssertTrue(line.contains("ETA 30s"), line)
        XCTAssertTrue(line.hasSuffix("loss 0.5"), line)
        XCTAssertEqual(ProgressBar.formatDuration(3725), "1h02m")
        XCTAssertEqual(ProgressBar.formatDuration(65), "1m05s")
        XCTAssertEqual(ProgressBar.formatDuration(.nan), "--")
    }
}
