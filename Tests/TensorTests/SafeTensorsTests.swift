import Foundation
import Support
import Tensor
import XCTest

final class SafeTensorsTests: XCTestCase {
    var directory: String!

    override func setUp() {
        directory = NSTemporaryDirectory() + "safetensors-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    func testRoundTripAllDTypesAndMetadata() throws {
        var rng = RandomGenerator(seed: 1)
        let a = Tensor.randomNormal([2, 3, 4], using: &rng)
        let b = Tensor(shape: [5], values: [0, 1, -2.5, 65504, 1e-7])
        let c = Tensor(scalar: 3.25)
        let path = directory + "/model.safetensors"
        let metadata = ["config": #"{"classes": 36, "name": "lggan \"tiny\""}"#, "epoch": "12"]
        try SafeTensors.write(["enc.a": a, "b": b, "c": c, "a16": a, "abf": a], metadata: metadata,
                              dtypes: ["a16": .f16, "abf": .bf16, "b": .f16], to: path)
        let file = try SafeTensors.read(path)
        XCTAssertEqual(file.metadata, metadata)
        XCTAssertEqual(file.dtypes, ["enc.a": .f32, "b": .f16, "c": .f32, "a16": .f16, "abf": .bf16])
        XCTAssertEqual(file.tensors["enc.a"]!.values, a.values)
        XCTAssertEqual(file.tensors["enc.a"]!.shape, [2, 3, 4])
        XCTAssertEqual(file.tensors["c"]!.shape, [])
        XCTAssertEqual(file.tensors["c"]!.scalar, 3.25)
        // Half: values representable in F16 come back exactly; 1e-7 is a subnormal (nearest 1.19e-7).
        XCTAssertEqual(Array(file.tensors["b"]!.values.prefix(4)), [0, 1, -2.5, 65504])
        XCTAssertEqual(file.tensors["b"]!.values[4], 1.1920929e-7, accuracy: 1e-12)
        for (x, y) in zip(a.values, file.tensors["a16"]!.values) { XCTAssertEqual(x, y, accuracy: abs(x) * 1e-3 + 1e-4) }
        for (x, y) in zip(a.values, file.tensors["abf"]!.values) { XCTAssertEqual(x, y, accuracy: abs(x) * 8e-3 + 1e-6) }
        // The header is padded so the data starts 8-byte aligned.
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let headerLength = data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        XCTAssertEqual(headerLength % 8, 0)
    }

    func testModuleCheckpointThroughSafeTensors() throws {
        var rng = RandomGenerator(seed: 2)
        let a = Conv2d(3, 4, kernelSize: 3, spectralNorm: true, using: &rng)
        let b = Conv2d(3, 4, kernelSize: 3, spectralNorm: true, using: &rng)
        let path = directory + "/conv.safetensors"
        try SafeTensors.write(a.stateDict(prefix: "d."), to: path)
        try b.loadStateDict(try SafeTensors.read(path).tensors, prefix: "d.")
        XCTAssertEqual(a.weight.values, b.weight.values)
        XCTAssertEqual(a.namedBuffers().map { $0.1.values }, b.namedBuffers().map { $0.1.values })
    }

    /// Builds a file from a raw header string and data size.
    func file(header: String, dataBytes: Int, lengthOverride: UInt64? = nil) -> Data {
        var d = Data()
        let h = Data(header.utf8)
        withUnsafeBytes(of: (lengthOverride ?? UInt64(h.count)).littleEndian) { d.append(contentsOf: $0) }
        d.append(h)
        d.append(Data(count: dataBytes))
        return d
    }

    func assertRejected(_ data: Data, mentioning fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SafeTensors.decode(data, source: "bad.safetensors"), file: file, line: line) { error in
            guard let e = error as? SafeTensorsError else { return XCTFail("wrong error type \(error)", file: file, line: line) }
            XCTAssertTrue(e.description.hasPrefix("bad.safetensors: not a usable safetensors file: "), e.description, file: file, line: line)
            XCTAssertTrue(e.description.contains(fragment), "'\(e.description)' lacks '\(fragment)'", file: file, line: line)
            XCTAssertFalse(e.description.contains("\n"), file: file, line: line)
        }
    }

    func testHostileFilesAreRejectedWithOneClearError() {
        let ok = #"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}"#
        XCTAssertNoThrow(try SafeTensors.decode(file(header: ok, dataBytes: 16)))
        assertRejected(Data([1, 2, 3]), mentioning: "shorter than the 8-byte header length")
        assertRejected(file(header: ok, dataBytes: 16, lengthOverride: 1 << 62), mentioning: "exceeds the")
        assertRejected(file(header: ok, dataBytes: 16, lengthOverride: 200), mentioning: "header length 200 exceeds")
        assertRejected(file(header: "{not json", dataBytes: 0), mentioning: "not valid JSON")
        assertRejected(file(header: "[1, 2]", dataBytes: 0), mentioning: "not a JSON object")
        assertRejected(file(header: #"{"w":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}}"#, dataBytes: 16),
                       mentioning: "dtype I64")
        assertRejected(file(header: #"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}"#, dataBytes: 8),
                       mentioning: "outside the 8 data bytes")
        assertRejected(file(header: #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}"#, dataBytes: 16),
                       mentioning: "offsets span 16 bytes")
        assertRejected(file(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                            dataBytes: 16), mentioning: "overlap")
        assertRejected(file(header: #"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, dataBytes: 4),
                       mentioning: "invalid dimension")
        // A lying shape whose element count overflows must not allocate anything.
        assertRejected(file(header: #"{"w":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,4]}}"#, dataBytes: 4),
                       mentioning: "too large")
        assertRejected(file(header: #"{"w":{"dtype":"F32","shape":[1000000000000],"data_offsets":[0,4000000000000]}}"#, dataBytes: 4),
                       mentioning: "outside")
        assertRejected(file(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#, dataBytes: 8), mentioning: "outside")
        assertRejected(file(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0.5,4]}}"#, dataBytes: 8),
                       mentioning: "data_offsets")
        assertRejected(file(header: #"{"w":{"shape":[1],"data_offsets":[0,4]}}"#, dataBytes: 4), mentioning: "no dtype")
        assertRejected(file(header: #"{"__metadata__":{"epoch":3}}"#, dataBytes: 0), mentioning: "'epoch' is not a string")
        assertRejected(file(header: #"{"w":7}"#, dataBytes: 0), mentioning: "entry 'w' is not an object")
        XCTAssertThrowsError(try SafeTensors.read(directory + "/missing.safetensors")) {
            XCTAssertTrue("\($0)".contains("no such file"))
        }
    }
}

final class HalfPrecisionTests: XCTestCase {
    /// Round trips through a one-tensor F16/BF16 file, reading back Float32.
    func roundTrip(_ values: [Float], _ dtype: SafeTensorsDType) throws -> [Float] {
        let data = try SafeTensors.encode(["v": Tensor(shape: [values.count], values: values)], dtype: dtype)
        return try SafeTensors.decode(data).tensors["v"]!.values
    }

    func testHalfRoundingEdgeCases() throws {
        let inputs: [Float] = [0, -0.0, 1, 1 + 0x1p-10, 1 + 0x1p-11, 1 + 3 * 0x1p-11, 65504, 65520, 1e6, 0x1p-24, 0x1p-25, 3 * 0x1p-26,
                               -2.5, .infinity, -.infinity]
        let expected: [Float] = [0, -0.0, 1, 1 + 0x1p-10, 1 /* tie to even */, 1 + 2 * 0x1p-10 /* tie up to even */, 65504,
                                 .infinity /* rounds past the largest half */, .infinity, 0x1p-24 /* smallest subnormal */,
                                 0 /* tie to even zero */, 0x1p-24, -2.5, .infinity, -.infinity]
        let back = try roundTrip(inputs, .f16)
        XCTAssertEqual(back, expected)
        XCTAssertEqual(back[1].sign, .minus)
        XCTAssertTrue(try roundTrip([.nan], .f16)[0].isNaN)
    }

    func testBFloatRoundingEdgeCases() throws {
        let inputs: [Float] = [1, 1 + 0x1p-8, 1 + 0x1p-7, 1 + 3 * 0x1p-8, -3.0e38, Float(1e-40 as Double) /* a subnormal */]
        let expected: [Float] = [1, 1 /* tie to even */, 1 + 0x1p-7, 1 + 2 * 0x1p-7 /* tie to even */, -3.0040553e38, Float(9.183549e-41 as Double) /* computed independently in Python */]
        let back = try roundTrip(inputs, .bf16)
        for (b, e) in zip(back, expected) { XCTAssertEqual(b, e, accuracy: abs(e) * 1e-4) }
        XCTAssertEqual(back[1], 1)
        XCTAssertTrue(try roundTrip([.nan], .bf16)[0].isNaN)
    }
}
