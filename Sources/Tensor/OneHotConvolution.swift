/// A convolution of a one-hot map is a table lookup. With x one-hot (class
/// map L, an all-zero pixel where there is no class, zeros or the mirrored
/// pixel outside), conv(x, W)[o, y, x] = b[o] + sum over the taps (dy, dx) of
/// W[o, L(y + dy, x + dx), dy, dx]: per pixel, one vector of output channels
/// added per tap instead of classes x taps multiply-adds of mostly zeros
/// (the layout convs of LGGAN and ECGAN: 15 classes, ~15x less work).
/// `conv2d` takes this path whenever its input carries `OneHotLabels` and needs
/// no gradient itself; the result is the dense convolution's up to the order
/// of the f32 sums (bf16 mode included: the table holds the f32 weights).
/// The weight gradient (training) scatter-adds the output gradient into the
/// same table's layout.
enum OneHotConvolution {
    /// Whether conv2d of this input is computed by lookup.
    static func applies(to x: Tensor) -> Bool {
        ConvolutionSettings.oneHotLookup && !x.requiresGrad
    }

    /// conv2d(x, weight, bias) for the one-hot x `labels` describe; channels-last in
    /// inference when the channels-last path is on, NCHW otherwise; recorded for the
    /// weight and bias gradients when they need one.
    static func conv2d(_ x: Tensor, labels: OneHotLabels, _ g: TapGeometry, weight: Tensor, bias: Tensor?) -> Tensor {
        let cout = weight.shape[0]
        let shape = [labels.batch, cout, g.outH, g.outW]
        let map = PaddedLabels(labels, g)
        let table = Table(weight: weight.data, bias: bias?.data, outChannels: cout, classes: labels.classes,
                          taps: g.tapsPerChannel)
        let inputs = [x, weight] + (bias.map { [$0] } ?? [])
        let training = Tensor.needsGraph(inputs)
        let channelsLast = !training && ChannelsLast.enabled
        let name = "conv \(weight.shape[2])x\(weight.shape[3]) s\(g.stride) \(g.channels)->\(cout) @\(g.outH)x\(g.outW) one-hot lookup->\(channelsLast ? "NHWC" : "NCHW")"
        let out = Storage(uninitializedCount: Tensor.elementCount(shape))
        OpProfile.measure(name) {
            forward(map, table: table, bias: bias?.data, out: out.base, channelsLast: channelsLast)
        }
        if channelsLast { return Tensor(shape: shape, channelsLast: out) }
        let result = Tensor(shape: shape, storage: out)
        guard training else { return result }
        return Tensor.record(result, op: .conv2d, inputs: inputs) { gradient in
            let gw = weight.requiresGrad ? weightGradient(map, gradOutput: gradient.data, outChannels: cout) : nil
            let gb = bias?.requiresGrad == true
                ? channelSums(gradient.data, batch: labels.batch, channels: cout, planeSize: g.outH * g.outW) : nil
            return [nil, gw] + (bias != nil ? [gb] : [])
        }
    }

    /// Every image's class map with the border the taps read already applied:
    /// the mirrored class (reflect) or `classes`, the table's all-zero row
    /// (zero padding, and pixels with no class), so the inner loop has no branch.
    struct PaddedLabels {
        let geometry: TapGeometry
        let batch: Int
        let classes: Int
        let top: Int, left: Int
        let rows: Int, columns: Int
        let indices: [Int32]

        init(_ labels: OneHotLabels, _ g: TapGeometry) {
            geometry = g
            batch = labels.batch
            classes = labels.classes
            top = Swift.max(0, -g.offsetsY[0])
            left = Swift.max(0, -g.offsetsX[0])
            let bottom = Swift.max(0, (g.outH - 1) * g.stride + g.offsetsY[g.offsetsY.count - 1] - (g.inH - 1))
            let right = Swift.max(0, (g.outW - 1) * g.stride + g.offsetsX[g.offsetsX.count - 1] - (g.inW - 1))
            rows = top + g.inH + bottom
            columns = left + g.inW + right
            let none = Int32(labels.classes)
            var padded = [Int32](repeating: none, count: batch * rows * columns)
            let (h, w, rows, columns, top, left) = (g.inH, g.inW, rows, columns, top, left)
            for n in 0..<batch {
                for r in 0..<rows {
                    var y = r - top
                    if g.reflect { y = g.mirror(y, h) } else if y < 0 || y >= h { continue }
                    for c in 0..<columns {
                        var x = c - left
                        if g.reflect { x = g.mirror(x, w) } else if x < 0 || x >= w { continue }
                        let k = labels.indices[(n * h + y) * w + x]
                        padded[(n * rows + r) * columns + c] = k < 0 ? none : k
                    }
                }
            }
            indices = padded
        }

        /// The padded row an output row's tap row `ty` reads.
        @inline(__always)
        func row(image n: Int, outputRow oy: Int, tapRow ty: Int) -> Int {
            (n * rows + oy * geometry.stride + geometry.offsetsY[ty] + top) * columns
        }
    }

    /// The weights as [class][tap][out] (plus an all-zero class for "nothing
    /// there"), so each tap adds one contiguous vector, and per class the sum a
    /// pixel gets when every tap reads that class (bias first, then the taps in
    /// order: the very additions `addTaps` makes, so such pixels take it as is).
    /// Rearranged at every call: classes x taps x outputs floats (4,320 for
    /// 15->32 3x3), microseconds, less than comparing a kept copy value for
    /// value would cost, and never stale.
    struct Table {
        let values: [Float]
        let uniform: [Float]
        let outChannels: Int
        let taps: Int

        init(weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, outChannels cout: Int, classes: Int, taps: Int) {
            var values = [Float](repeating: 0, count: (classes + 1) * taps * cout)
            var uniform = [Float](repeating: 0, count: (classes + 1) * cout)
            for k in 0...classes {
                for o in 0..<cout {
                    var sum = bias?[o] ?? 0
                    for t in 0..<taps {
                        let w = k < classes ? weight[(o * classes + k) * taps + t] : 0
                        values[(k * taps + t) * cout + o] = w
                        sum += w
                    }
                    uniform[k * cout + o] = sum
                }
            }
            self.values = values
            self.uniform = uniform
            self.outChannels = cout
            self.taps = taps
        }
    }

    /// out = bias + the looked-up taps, every output pixel; rows split over threads.
    static func forward(_ map: PaddedLabels, table: Table, bias: UnsafePointer<Float>?,
                        out: UnsafeMutablePointer<Float>, channelsLast: Bool) {
        let g = map.geometry, cout = table.outChannels
        let rowValues = g.outW * cout
        let kh = g.offsetsY.count
        let kernel = RowKernel(kernelH: kh, kernelW: g.offsetsX.count, stride: g.stride, outW: g.outW,
                               taps: table.taps, outChannels: cout, bias: bias)
        table.values.withUnsafeBufferPointer { valueBuffer in
            table.uniform.withUnsafeBufferPointer { uniformBuffer in
                map.indices.withUnsafeBufferPointer { labelBuffer in
                    let labels = labelBuffer.baseAddress!
                    Parallel.forRanges(map.batch * g.outH, costPerItem: rowValues * g.tapsPerChannel) { range in
                        let scratch = ScratchBuffer()
                        let rowBuffer = channelsLast ? nil : scratch.floats(rowValues)
                        withUnsafeTemporaryAllocation(of: UnsafePointer<Int32>.self, capacity: kh) { tapRows in
                            for item in range {
                                let n = item / g.outH, oy = item % g.outH
                                for ty in 0..<kh {
                                    tapRows[ty] = labels + map.row(image: n, outputRow: oy, tapRow: ty) + map.left + g.offsetsX[0]
                                }
                                let target = rowBuffer ?? out + item * rowValues
                                kernel.run(tapRows.baseAddress!, valueBuffer.baseAddress!, uniformBuffer.baseAddress!, target)
                                if let rowBuffer {
                                    // NCHW: the row's [x][out] values to each output plane.
                                    let plane = out + n * cout * g.outH * g.outW + oy * g.outW
                                    for ox in 0..<g.outW {
                                        for o in 0..<cout { plane[o * g.outH * g.outW + ox] = rowBuffer[ox * cout + o] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One output row, on plain pointers and integers (the per-pixel loop).
    struct RowKernel {
        let kernelH: Int, kernelW: Int, stride: Int, outW: Int, taps: Int, outChannels: Int
        let bias: UnsafePointer<Float>?

        /// tapRows[ty]: the padded labels tap row ty reads, at output column 0's first tap.
        @inline(__always)
        func run(_ tapRows: UnsafePointer<UnsafePointer<Int32>>, _ table: UnsafePointer<Float>,
                 _ uniform: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>) {
            let cout = outChannels
            for ox in 0..<outW {
                let column = ox * stride
                let dst = out + ox * cout
                // A pixel whose taps all read one class (most of a layout) is that class's precomputed sum.
                let first = tapRows[0][column]
                var same = true
                for ty in 0..<kernelH {
                    let r = tapRows[ty] + column
                    for tx in 0..<kernelW where r[tx] != first { same = false }
                }
                if same {
                    dst.update(from: uniform + Int(first) * cout, count: cout)
                    continue
                }
                var o = 0
                while o + 8 <= cout {
                    var sum = bias.map { load8($0 + o) } ?? SIMD8<Float>()
                    for ty in 0..<kernelH {
                        let r = tapRows[ty] + column
                        for tx in 0..<kernelW { sum += load8(table + (Int(r[tx]) * taps + ty * kernelW + tx) * cout + o) }
                    }
                    UnsafeMutableRawPointer(dst + o).storeBytes(of: sum, as: SIMD8<Float>.self)
                    o += 8
                }
                while o < cout {
                    var sum = bias?[o] ?? 0
                    for ty in 0..<kernelH {
                        let r = tapRows[ty] + column
                        for tx in 0..<kernelW { sum += table[(Int(r[tx]) * taps + ty * kernelW + tx) * cout + o] }
                    }
                    dst[o] = sum
                    o += 1
                }
            }
        }
    }

    /// target += source, count floats (a few dozen: no thread hand-off).
    @inline(__always)
    private static func accumulate(_ target: UnsafeMutablePointer<Float>, _ source: UnsafePointer<Float>, _ count: Int) {
        var o = 0
        while o + 8 <= count {
            UnsafeMutableRawPointer(target + o).storeBytes(of: load8(target + o) + load8(source + o), as: SIMD8<Float>.self)
            o += 8
        }
        while o < count { target[o] += source[o]; o += 1 }
    }

    @inline(__always)
    static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// dL/dW [out, classes, kh, kw]: each output pixel's gradient vector added to
    /// the table row of the class each tap read (the all-zero row collects the
    /// border and unlabelled pixels and is dropped). Rows split over workers, each
    /// into its own table, added in worker order: the same sums every run.
    static func weightGradient(_ map: PaddedLabels, gradOutput: UnsafePointer<Float>, outChannels cout: Int) -> Tensor {
        let g = map.geometry, taps = g.tapsPerChannel, kw = g.offsetsX.count
        let tableCount = (map.classes + 1) * taps * cout
        let items = map.batch * g.outH
        let workers = Parallel.workers(items, workPerItem: g.outW * taps * cout)
        let partials = ScratchBuffer()
        let base = partials.floats(workers * tableCount)
        base.update(repeating: 0, count: workers * tableCount)
        map.indices.withUnsafeBufferPointer { labelBuffer in
            let labels = labelBuffer.baseAddress!
            Parallel.workerRanges(items, workers: workers) { worker, range in
                let sums = base + worker * tableCount
                let scratch = ScratchBuffer()
                let row = scratch.floats(g.outW * cout)
                var tapRows = [Int](repeating: 0, count: g.offsetsY.count)
                for item in range {
                    let n = item / g.outH, oy = item % g.outH
                    // The gradient row as [x][out], so each tap adds one contiguous vector.
                    let plane = gradOutput + n * cout * g.outH * g.outW + oy * g.outW
                    for o in 0..<cout {
                        for ox in 0..<g.outW { row[ox * cout + o] = plane[o * g.outH * g.outW + ox] }
                    }
                    for ty in tapRows.indices { tapRows[ty] = map.row(image: n, outputRow: oy, tapRow: ty) + map.left }
                    for ox in 0..<g.outW {
                        let source = row + ox * cout
                        for ty in 0..<tapRows.count {
                            let r = labels + tapRows[ty] + ox * g.stride + g.offsetsX[0]
                            for tx in 0..<kw {
                                accumulate(sums + (Int(r[tx]) * taps + ty * kw + tx) * cout, source, cout)
                            }
                        }
                    }
                }
            }
        }
        for w in 1..<Swift.max(workers, 1) { addInPlace(base, base + w * tableCount, tableCount) }
        let gradient = Tensor.uninitialized([cout, map.classes, g.offsetsY.count, kw])
        for o in 0..<cout {
            for k in 0..<map.classes {
                for t in 0..<taps { gradient.data[(o * map.classes + k) * taps + t] = base[(k * taps + t) * cout + o] }
            }
        }
        return gradient
    }
}
