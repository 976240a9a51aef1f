import Foundation
import FuzzSupport
import Tensor

/// Bytes through the safetensors reader. Promises: no crash, no read outside
/// the file (address sanitizer), and an accepted file re-encodes to one that
/// decodes to the same names, shapes, types and metadata.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> CInt {
    FuzzInput.writeSeedsIfAsked {
        let a = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [1], values: [0.5])
        let empty = Tensor.zeros([0, 4])
        return [
            "f32.safetensors": try SafeTensors.encode(["a": a, "b": b], metadata: ["format": "x"]),
            "f16.safetensors": try SafeTensors.encode(["a": a, "b": b], dtype: .f16),
            "mixed.safetensors": try SafeTensors.encode(["a": a, "b": b, "e": empty], dtypes: ["a": .bf16]),
        ]
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let file = try? SafeTensors.decode(FuzzInput.data(bytes, count), source: "fuzz.safetensors") else { return 0 }
    // The writer refuses names the reader tolerates (""), so only compare what it writes.
    guard let encoded = try? SafeTensors.encode(file.tensors, metadata: file.metadata, dtypes: file.dtypes) else { return 0 }
    let back: SafeTensorsFile
    do { back = try SafeTensors.decode(encoded, source: "round-trip") } catch {
        FuzzInput.expect(false, "a re-encoded file is refused: \(error)")
        return 0
    }
    FuzzInput.expect(back.metadata == file.metadata, "metadata changed in a round trip")
    FuzzInput.expect(back.dtypes == file.dtypes, "dtypes changed in a round trip")
    FuzzInput.expect(back.tensors.mapValues(\.shape) == file.tensors.mapValues(\.shape), "shapes changed in a round trip")
    return 0
}
