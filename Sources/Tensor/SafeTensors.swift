import Foundation
import Support

/// The element types scenepaint reads and writes in safetensors files.
public enum SafeTensorsDType: String, Sendable, CaseIterable {
    case f32 = "F32"
    case f16 = "F16"
    case bf16 = "BF16"

    public var byteSize: Int { self == .f32 ? 4 : 2 }
}

/// A safetensors file's contents: tensors (converted to Float32), the type each
/// was stored as, and the free-form `__metadata__` strings.
public struct SafeTensorsFile {
    public var tensors: [String: Tensor]
    public var dtypes: [String: SafeTensorsDType]
    public var metadata: [String: String]
}

/// A safetensors file that cannot be used, and why (one line, naming the file and entry).
public struct SafeTensorsError: UserFacingError, Equatable {
    public let path: String
    public let reason: String

    public var description: String { "\(path): not a usable safetensors file: \(reason)" }
}

/// Reader and writer of the safetensors format: 8-byte little-endian header
/// length, a JSON header {name: {dtype, shape, data_offsets}, "__metadata__":
/// {string: string}}, then the raw little-endian data.
public enum SafeTensors {
    /// Header size limit, as in the reference implementation (100 MB).
    public static let maximumHeaderSize = 100_000_000

    // MARK: Writing

    /// Encodes tensors (sorted by name) as `dtype`, or per name as `dtypes` says.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:],
                              dtype: SafeTensorsDType = .f32, dtypes: [String: SafeTensorsDType] = [:]) throws -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        let names = tensors.keys.sorted()
        var offset = 0
        var layout: [(String, Tensor, SafeTensorsDType, Int)] = []
        for name in names {
            guard name != "__metadata__", !name.isEmpty else {
                throw SafeTensorsError(path: "<output>", reason: "tensor name '\(name)' is reserved")
            }
            let tensor = tensors[name]!
            let type = dtypes[name] ?? dtype
            let bytes = tensor.count * type.byteSize
            header[name] = ["dtype": type.rawValue, "shape": tensor.shape, "data_offsets": [offset, offset + bytes]] as [String: Any]
            layout.append((name, tensor, type, offset))
            offset += bytes
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad with spaces so the data starts 8-byte aligned (allowed by the format).
        while json.count % 8 != 0 { json.append(0x20) }
        var data = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        let dataStart = data.count
        data.count += offset
        data.withUnsafeMutableBytes { raw in
            let base = raw.baseAddress! + dataStart
            for (_, tensor, type, start) in layout {
                let src = tensor.data
                switch type {
                case .f32:
                    for i in 0..<tensor.count {
                        (base + start + 4 * i).storeBytes(of: src[i].bitPattern.littleEndian, as: UInt32.self)
                    }
                case .f16:
                    for i in 0..<tensor.count {
                        (base + start + 2 * i).storeBytes(of: HalfPrecision.halfBits(src[i]).littleEndian, as: UInt16.self)
                    }
                case .bf16:
                    for i in 0..<tensor.count {
                        (base + start + 2 * i).storeBytes(of: HalfPrecision.bfloatBits(src[i]).littleEndian, as: UInt16.self)
                    }
                }
            }
        }
        return data
    }

    /// Writes atomically (temporary file + rename).
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:],
                             dtype: SafeTensorsDType = .f32, dtypes: [String: SafeTensorsDType] = [:],
                             to path: String) throws {
        try AtomicFile.write(encode(tensors, metadata: metadata, dtype: dtype, dtypes: dtypes), to: path)
    }

    // MARK: Reading

    public static func read(_ path: String) throws -> SafeTensorsFile {
        if let problem = ReadableFile.problem(at: path, expected: "a model file") {
            throw SafeTensorsError(path: path, reason: problem)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw SafeTensorsError(path: path, reason: "cannot read the file")
        }
        return try decode(data, source: path)
    }

    /// Parses and validates everything before allocating any tensor: header
    /// length within the file, every entry's dtype, shape and offsets, byte
    /// sizes matching shapes, offsets inside the data and not overlapping.
    public static func decode(_ data: Data, source: String = "<memory>") throws -> SafeTensorsFile {
        func fail(_ reason: String) -> SafeTensorsError { SafeTensorsError(path: source, reason: reason) }
        guard data.count >= 8 else { throw fail("file is \(data.count) bytes, shorter than the 8-byte header length") }
        let headerLength = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= UInt64(data.count - 8) else {
            throw fail("header length \(headerLength) exceeds the \(data.count - 8) bytes after it")
        }
        guard headerLength <= UInt64(maximumHeaderSize) else { throw fail("header length \(headerLength) exceeds 100 MB") }
        guard headerLength >= 2 else { throw fail("header length \(headerLength) is too short for a JSON object") }
        let headerEnd = 8 + Int(headerLength)
        let headerBytes = data.subdata(in: data.startIndex + 8 ..< data.startIndex + headerEnd)
        guard String(data: headerBytes, encoding: .utf8) != nil else { throw fail("header is not UTF-8") }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: headerBytes, options: [])
        } catch {
            throw fail("header is not valid JSON")
        }
        guard let header = parsed as? [String: Any] else { throw fail("header is not a JSON object") }
        let dataSize = data.count - headerEnd

        var metadata: [String: String] = [:]
        struct Entry { let name: String; let dtype: SafeTensorsDType; let shape: [Int]; let begin: Int; let end: Int }
        var entries: [Entry] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let dict = value as? [String: Any] else { throw fail("__metadata__ is not an object") }
                for (k, v) in dict {
                    guard let s = v as? String else { throw fail("__metadata__ entry '\(k)' is not a string") }
                    metadata[k] = s
                }
                continue
            }
            guard let info = value as? [String: Any] else { throw fail("entry '\(name)' is not an object") }
            guard let dtypeName = info["dtype"] as? String else { throw fail("entry '\(name)' has no dtype") }
            guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
                throw fail("entry '\(name)' has dtype \(dtypeName); only F32, F16 and BF16 are supported")
            }
            guard let shapeValues = info["shape"] as? [Any] else { throw fail("entry '\(name)' has no shape array") }
            var shape: [Int] = []
            var elements = 1
            for v in shapeValues {
                guard let d = exactInteger(v), d >= 0 else { throw fail("entry '\(name)' has an invalid dimension in its shape") }
                shape.append(d)
                let (product, overflow) = elements.multipliedReportingOverflow(by: d)
                guard !overflow else { throw fail("entry '\(name)' has a shape too large to address") }
                elements = product
            }
            guard let offsets = info["data_offsets"] as? [Any], offsets.count == 2,
                  let begin = exactInteger(offsets[0]), let end = exactInteger(offsets[1]) else {
                throw fail("entry '\(name)' has no valid data_offsets pair")
            }
            guard begin >= 0, begin <= end, end <= dataSize else {
                throw fail("entry '\(name)' has offsets [\(begin), \(end)] outside the \(dataSize) data bytes")
            }
            let (bytes, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
            guard !overflow, bytes == end - begin else {
                throw fail("entry '\(name)' has shape \(shape) of \(dtypeName) (\(overflow ? "too many" : String(bytes)) bytes) but offsets span \(end - begin) bytes")
            }
            entries.append(Entry(name: name, dtype: dtype, shape: shape, begin: begin, end: end))
        }
        let ordered = entries.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
        for (previous, next) in zip(ordered, ordered.dropFirst()) where next.begin < previous.end {
            throw fail("entries '\(previous.name)' and '\(next.name)' overlap in the data")
        }

        // Only now, with every size proven to fit inside the file, allocate.
        var tensors: [String: Tensor] = [:]
        var dtypes: [String: SafeTensorsDType] = [:]
        data.withUnsafeBytes { raw in
            let base = raw.baseAddress! + headerEnd
            for entry in entries {
                let tensor = Tensor.uninitialized(entry.shape)
                let dst = tensor.data
                let src = base + entry.begin
                switch entry.dtype {
                case .f32:
                    for i in 0..<tensor.count {
                        dst[i] = Float(bitPattern: UInt32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                    }
                case .f16:
                    for i in 0..<tensor.count {
                        dst[i] = HalfPrecision.float(fromHalf: UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                    }
                case .bf16:
                    for i in 0..<tensor.count {
                        dst[i] = HalfPrecision.float(fromBFloat: UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                    }
                }
                tensors[entry.name] = tensor
                dtypes[entry.name] = entry.dtype
            }
        }
        return SafeTensorsFile(tensors: tensors, dtypes: dtypes, metadata: metadata)
    }

    /// A JSON number that is a whole number representable as Int (not 1.5, not 1e300).
    private static func exactInteger(_ value: Any) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        let d = number.doubleValue
        guard d.isFinite, d == d.rounded(), Swift.abs(d) < 9.0e15 else { return nil }
        return number.intValue
    }
}
