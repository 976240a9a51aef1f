import Foundation
import Generation
import Models
import Tensor
import XCTest

/// LGGAN's global, local and weight-map generators run side by side in
/// inference at 2+ threads (`ConcurrentBranches`): the same numbers as the
/// serial pass, every stage still reported, and a cancellation stops them all.
final class ConcurrentBranchesTests: XCTestCase {
    let palette = SyntheticScenes.palette

    override func tearDown() { BLASInfo.setThreads(2) }

    func defaultNetwork() throws -> LGGANNetwork {
        try LGGANNetwork(config: .standard(classCount: palette.count), seed: 5)
    }

    /// Every output of one inference pass, by name.
    func outputs(_ network: LGGANNetwork, _ input: SemanticInput, threads: Int, concurrent: Bool,
                 precision: ConvolutionPrecision = .f32) -> [(String, [Float])] {
        BLASInfo.setThreads(threads)
        let out = ConcurrentBranches.with(enabled: concurrent) {
            ConvolutionSettings.with(precision: precision) { GradMode.withoutGrad { network.forward(input) } }
        }
        XCTAssertEqual(BLASInfo.threads, threads, "the thread count is restored after the branches")
        return [("fused", out.fused.values), ("global", out.global!.values), ("local", out.local!.values),
                ("weights", out.weights!.values), ("class images", out.classImages!.values)]
    }

    /// Each branch runs single-threaded, with the kernels a 1-thread serial pass
    /// uses in the same order: f32 outputs are bit-identical to that pass. The
    /// 2-thread serial pass differs in the last bits (some kernels split their
    /// sums by thread count: measured 1.6e-7 at most here), not more.
    func testConcurrentBranchesEqualTheSerialPassBitForBitInF32() throws {
        let network = try defaultNetwork()
        let input = SyntheticScenes.batch([0, 1], size: 64).input
        let concurrent = outputs(network, input, threads: 2, concurrent: true)
        let oneThread = outputs(network, input, threads: 1, concurrent: false)
        let twoThreads = outputs(network, input, threads: 2, concurrent: false)
        for (((name, a), (_, b)), (_, c)) in zip(zip(concurrent, oneThread), twoThreads) {
            XCTAssertEqual(a.count, b.count, name)
            XCTAssertTrue(a == b, "\(name): concurrent differs from the 1-thread serial pass by "
                          + "\(zip(a, b).map { abs($0 - $1) }.max() ?? 0)")
            XCTAssertLessThan(zip(a, c).map { abs($0 - $1) }.max() ?? .infinity, 1e-5, name)
        }
    }

    /// bf16 chosen on the caller's thread holds in the branch workers: the
    /// concurrent bf16 pass equals the serial one (within the bf16 tolerance of
    /// ChannelsLastTests) and is not the f32 pass.
    func testConcurrentBranchesKeepTheCallersPrecision() throws {
        let network = try defaultNetwork()
        let input = SyntheticScenes.batch([2], size: 64).input
        let concurrent = outputs(network, input, threads: 2, concurrent: true, precision: .bf16)
        let serial = outputs(network, input, threads: 2, concurrent: false, precision: .bf16)
        let f32 = outputs(network, input, threads: 2, concurrent: false, precision: .f32)
        for (((name, a), (_, b)), (_, c)) in zip(zip(concurrent, serial), f32) {
            let difference = zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThan(difference, 2e-2, name)
            if name != "weights" { XCTAssertNotEqual(a, c, "\(name): bf16 in the workers, not f32") }
        }
    }

    /// At 2 threads the stages arrive interleaved but each branch's in order,
    /// each exactly once, one call at a time.
    func testEveryStageIsReportedOnceAndEachBranchInOrder() throws {
        let network = try defaultNetwork()
        let input = SyntheticScenes.batch([0], size: 64).input
        BLASInfo.setThreads(2)
        let depth = network.config.globalDepth
        let lock = NSLock()
        var seen: [LGGANNetwork.Stage] = [], inside = 0, overlapped = false
        _ = GradMode.withoutGrad {
            network.forward(input, noise: nil) { stage in
                lock.withLock { inside += 1; overlapped = overlapped || inside > 1; seen.append(stage) }
                usleep(200)
                lock.withLock { inside -= 1 }
            }
        }
        XCTAssertFalse(overlapped, "checkpoint calls are serialised")
        let global = (0..<depth).map { LGGANNetwork.Stage.globalBlock($0) } + [.global]
        XCTAssertEqual(seen.filter { global.contains($0) }, global)
        XCTAssertEqual(seen.filter { [.localFeatures, .local].contains($0) }, [.localFeatures, .local])
        XCTAssertEqual(seen.filter { $0 == .encoder }.count, 1)
        XCTAssertEqual(seen.filter { [.modulations, .globalBlock(0)].contains($0) }, [.modulations, .globalBlock(0)])
        XCTAssertEqual(seen.last, .fusion)
        XCTAssertEqual(seen.count, 2 + global.count + 2 + 1)
    }

    /// A throw at a checkpoint inside the concurrent part: the forward pass
    /// rethrows that error, no checkpoint runs after it (the other branch stops
    /// at its next one), the thread count is restored, and the next pass is
    /// complete and equal to an uninterrupted one.
    func testCancellationInsideTheBranchesStopsThemAll() throws {
        let network = try defaultNetwork()
        let input = SyntheticScenes.batch([1], size: 64).input
        BLASInfo.setThreads(2)
        // The uninterrupted pass of the same path: the 2-thread serial pass may differ in the last bits
        // (kernels that split sums by thread count do so on some CPUs and not on others).
        let reference = outputs(network, input, threads: 2, concurrent: true)
        struct Stop: Error { let id: Int }
        for stopAt in [LGGANNetwork.Stage.localFeatures, .globalBlock(0), .global, .local] {
            var calls: [LGGANNetwork.Stage] = []
            let lock = NSLock()
            XCTAssertThrowsError(try GradMode.withoutGrad {
                try network.forward(input, noise: nil) { stage in
                    try lock.withLock {
                        calls.append(stage)
                        if stage == stopAt { throw Stop(id: 7) }
                    }
                }
            }) { XCTAssertEqual(($0 as? Stop)?.id, 7, "the checkpoint's own error, for \(stopAt)") }
            XCTAssertEqual(calls.last, stopAt, "nothing is reported after the stop at \(stopAt): \(calls)")
            XCTAssertFalse(calls.contains(.fusion))
            XCTAssertEqual(BLASInfo.threads, 2)
        }
        let again = outputs(network, input, threads: 2, concurrent: true)
        for ((name, a), (_, b)) in zip(again, reference) { XCTAssertTrue(a == b, name) }
    }

    /// The editor's path: `LGGANGenerator.generate` cancelled from another
    /// thread while its branches run throws `GenerationCancelled` and the
    /// generator works afterwards.
    func testTheEditorsCancellationStopsAConcurrentGeneration() throws {
        let generator = try LGGANGenerator(network: try defaultNetwork(), palette: palette)
        BLASInfo.setThreads(2)
        let labels = SyntheticScenes.layout(3, width: 64, height: 64)
        let checks = ManagedAtomicCounter()
        XCTAssertThrowsError(try generator.generate(labels, seed: 1, shouldCancel: { checks.increment() > 3 })) {
            XCTAssertTrue($0 is GenerationCancelled)
        }
        let views = try generator.generate(labels, seed: 1, shouldCancel: { false })
        XCTAssertEqual(views.fused.width, 64)
        XCTAssertFalse(views.classOutputs.isEmpty)
    }
}

extension ConcurrentBranchesTests {
    /// The editor's views (made side by side) are byte-identical whether the
    /// branches ran side by side at 2 threads or in order at 1 (f32).
    func testTheGeneratorsViewsAreTheSameConcurrentOrSerial() throws {
        let generator = try LGGANGenerator(network: try defaultNetwork(), palette: palette)
        let labels = SyntheticScenes.layout(1, width: 72, height: 64)
        BLASInfo.setThreads(2)
        let concurrent = try generator.generate(labels, seed: 2, shouldCancel: { false })
        BLASInfo.setThreads(1)
        let serial = try generator.generate(labels, seed: 2, shouldCancel: { false })
        XCTAssertEqual(concurrent.fused, serial.fused)
        XCTAssertEqual(concurrent.global, serial.global)
        XCTAssertEqual(concurrent.local, serial.local)
        XCTAssertEqual(concurrent.globalWeight, serial.globalWeight)
        XCTAssertEqual(concurrent.localWeight, serial.localWeight)
        XCTAssertEqual(concurrent.classOutputs, serial.classOutputs)
        XCTAssertEqual(concurrent.classOutputs.count, Set(try SemanticInput.indices(of: labels, palette: palette)).count)
        XCTAssertEqual(concurrent.fused.width, 72)
    }
}

/// A counter several threads may bump.
final class ManagedAtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    /// The value after adding one.
    func increment() -> Int { lock.withLock { value += 1; return value } }
}
