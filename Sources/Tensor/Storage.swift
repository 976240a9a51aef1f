import Foundation

/// The flat, 64-byte aligned Float32 memory behind one or more tensors.
/// A reference type so that `reshaped` and `detach` can share it without copying.
final class Storage {
    let base: UnsafeMutablePointer<Float>
    let count: Int
    /// Counts in-place writes to this memory after it was first filled
    /// (`Tensor.noteWritten`): a result kept from these values is current only
    /// while it is unchanged (`TextureNoiseLevel`). On the storage, not the
    /// tensor, so a write through a `detach`ed or `reshaped` alias counts too.
    var writes = 0
    /// The class map when the values are a one-hot map (`OneHotLabels`), and
    /// `writes` when it was attached: current only while no write came since.
    var oneHot: (labels: OneHotLabels, writes: Int)?

    /// Uninitialised memory: every op that uses this writes all of it.
    init(uninitializedCount count: Int) {
        _ = AllocatorTuning.applied
        var raw: UnsafeMutableRawPointer?
        let bytes = Swift.max(count, 1) * MemoryLayout<Float>.stride
        guard posix_memalign(&raw, 64, bytes) == 0, let pointer = raw else {
            fatalError("Tensor: cannot allocate \(bytes) bytes")
        }
        base = pointer.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
        self.count = count
    }

    convenience init(repeating value: Float, count: Int) {
        self.init(uninitializedCount: count)
        if value == 0 {
            memset(base, 0, count * MemoryLayout<Float>.stride)
        } else {
            base.update(repeating: value, count: count)
        }
    }

    deinit { free(base) }
}

/// Activations of a few MB are allocated and freed every step. glibc serves
/// blocks above its mmap threshold with fresh mmaps, and a fresh mapping costs a
/// page fault per 4 KiB on first touch (about 4 ms per 16 MB here). Raising the
/// threshold to glibc's maximum (32 MiB) and keeping freed memory in the heap
/// lets the next step reuse already-mapped pages. Applied once, on first allocation.
enum AllocatorTuning {
    static let applied: Bool = {
        #if os(Linux)
        // mallopt is not exported by the Glibc module map; look it up instead.
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
            let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
            _ = mallopt(-3 /* M_MMAP_THRESHOLD */, 32 << 20)
            _ = mallopt(-1 /* M_TRIM_THRESHOLD */, 1 << 30)
        }
        #endif
        return true
    }()
}

/// A reusable scratch buffer for hot loops (im2col columns, padded planes):
/// grows when asked for more, never shrinks, so repeated calls allocate nothing.
final class ScratchBuffer {
    private(set) var pointer: UnsafeMutablePointer<Float>?
    private(set) var capacity = 0

    init() {}

    func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity || pointer == nil {
            if let old = pointer { free(old) }
            var raw: UnsafeMutableRawPointer?
            let bytes = Swift.max(count, 1) * MemoryLayout<Float>.stride
            guard posix_memalign(&raw, 64, bytes) == 0, let p = raw else {
                fatalError("Tensor: cannot allocate \(bytes) bytes of scratch")
            }
            pointer = p.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
            capacity = count
        }
        return pointer!
    }

    deinit { if let p = pointer { free(p) } }
}
