import Foundation

/// Instance normalisation: each (image, channel) plane of x [N, C, H, W] to zero
/// mean and unit (biased) variance, then optionally y = xhat * weight[c] + bias[c].
/// Statistics are summed in Double so large planes do not lose precision.
public func instanceNorm(_ x: Tensor, weight: Tensor? = nil, bias: Tensor? = nil, epsilon: Float = 1e-5) -> Tensor {
    check(x.rank >= 3, "instanceNorm: input \(x.shape) must be [N, C, ...]")
    let c = x.shape[1]
    if let weight { check(weight.count == c, "instanceNorm: weight \(weight.shape) for \(c) channels") }
    if let bias { check(bias.count == c, "instanceNorm: bias \(bias.shape) for \(c) channels") }
    let inputs = [x] + (weight.map { [$0] } ?? []) + (bias.map { [$0] } ?? [])
    if x.rank == 4 && ChannelsLast.applies(x) && !Tensor.needsGraph(inputs) {
        return OpProfile.measure("instance norm \(c)ch @\(x.shape[2])x\(x.shape[3]) NHWC") {
            ChannelsLast.instanceNorm(x, weight: weight?.data, bias: bias?.data, epsilon: epsilon)
        }
    }
    return OpProfile.measure("instance norm \(c)ch @\(x.shape.dropFirst(2).map(String.init).joined(separator: "x")) NCHW") {
        plainInstanceNorm(x, weight: weight, bias: bias, epsilon: epsilon)
    }
}

private func plainInstanceNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, epsilon: Float) -> Tensor {
    let n = x.shape[0], c = x.shape[1]
    let plane = x.count / Swift.max(1, n * c)
    let out = Tensor.uninitialized(x.shape)
    // Statistics per plane: mean as a high and low Float (so x - mean keeps
    // the precision a large mean would otherwise take away), then 1/std.
    let stats = [Float](unsafeUninitializedCapacity: 3 * n * c) { buf, count in
        let hiOut = buf.baseAddress!, loOut = buf.baseAddress! + n * c, invOut = buf.baseAddress! + 2 * n * c
        let src = x.data, dst = out.data
        let wp = weight?.data, bp = bias?.data
        Parallel.forEach(n * c, costPerItem: 3 * plane, minimumWork: 1 << 16) { nc in
            let (hi, lo, inv) = planeStatistics(src + nc * plane, plane, epsilon)
            hiOut[nc] = hi
            loOut[nc] = lo
            invOut[nc] = inv
            let ch = nc % c
            let scale = inv * (wp?[ch] ?? 1)
            let shift = bp?[ch] ?? 0
            let s = src + nc * plane, d = dst + nc * plane
            for i in 0..<plane { d[i] = ((s[i] - hi) - lo) * scale + shift }
        }
        count = 3 * n * c
    }
    let inputs = [x] + (weight.map { [$0] } ?? []) + (bias.map { [$0] } ?? [])
    guard Tensor.needsGraph(inputs) else { return out }
    let xs = x.detach(), ws = weight?.detach()
    return Tensor.record(out, op: .instanceNorm, inputs: inputs) { g in
        normalizationBackward(g: g, x: xs, weight: ws, stats: stats, groups: n * c, channels: c, plane: plane,
                              statsPerGroup: true, needX: x.requiresGrad,
                              needWeight: weight?.requiresGrad ?? false, needBias: bias?.requiresGrad ?? false,
                              hasWeight: weight != nil, hasBias: bias != nil)
    }
}

/// Mean (as high + low Float parts) and 1/sqrt(var + eps) of n floats. Two
/// passes (mean, then squared deviations) so a large mean does not cancel a
/// small variance; Float partial sums over short runs, Double across runs. The
/// plane is still in cache for the second pass.
@inline(__always)
func planeStatistics(_ p: UnsafePointer<Float>, _ n: Int, _ epsilon: Float) -> (Float, Float, Float) {
    let mean = VectorReductions.sum(p, n) / Double(Swift.max(n, 1))
    let hi = Float(mean), lo = Float(mean - Double(hi))
    let variance = VectorReductions.squaredDeviations(p, n, hi: hi, lo: lo) / Double(Swift.max(n, 1))
    return (hi, lo, Float(1 / (variance + Double(epsilon)).squareRoot()))
}

/// Shared backward of instance and batch normalisation in training mode.
/// Groups are the sets normalised together: (n, c) planes for instance norm
/// (stats indexed by n*C + c), channels across the batch for batch norm.
func normalizationBackward(g: Tensor, x: Tensor, weight: Tensor?, stats: [Float], groups: Int, channels c: Int,
                           plane: Int, statsPerGroup instance: Bool, needX: Bool, needWeight: Bool, needBias: Bool,
                           hasWeight: Bool, hasBias: Bool) -> [Tensor?] {
    let batch = x.shape[0]
    let statCount = instance ? batch * c : c
    // Per (n, c) plane: sum(g) and sum(g * xhat).
    var sumG = [Double](repeating: 0, count: batch * c)
    var sumGX = [Double](repeating: 0, count: batch * c)
    let gp = g.data, xp = x.data
    stats.withUnsafeBufferPointer { st in
        sumG.withUnsafeMutableBufferPointer { sg in
            sumGX.withUnsafeMutableBufferPointer { sgx in
                let sgB = sg.baseAddress!, sgxB = sgx.baseAddress!
                Parallel.forEach(batch * c, costPerItem: 2 * plane, minimumWork: 1 << 16) { nc in
                    let si = instance ? nc : nc % c
                    let hi = st[si], lo = st[statCount + si], inv = st[2 * statCount + si]
                    let (a, b) = VectorReductions.gradientSums(gp + nc * plane, xp + nc * plane, plane, hi: hi, lo: lo, inv: inv)
                    sgB[nc] = a
                    sgxB[nc] = b
                }
            }
        }
    }
    var gx: Tensor?
    if needX {
        let out = Tensor.uninitialized(x.shape)
        let dst = out.data
        let wp = weight?.data
        // Group sums: per plane for instance norm, over the batch for batch norm.
        var groupG = [Double](repeating: 0, count: statCount), groupGX = [Double](repeating: 0, count: statCount)
        for nc in 0..<(batch * c) {
            let si = instance ? nc : nc % c
            groupG[si] += sumG[nc]; groupGX[si] += sumGX[nc]
        }
        let groupSize = Double(instance ? plane : plane * batch)
        stats.withUnsafeBufferPointer { st in
            Parallel.forEach(batch * c, costPerItem: 2 * plane, minimumWork: 1 << 16) { nc in
                let si = instance ? nc : nc % c
                let hi = st[si], lo = st[statCount + si], inv = st[2 * statCount + si]
                let gamma = wp?[nc % c] ?? 1
                let meanG = Float(groupG[si] / groupSize) * gamma
                let meanGX = Float(groupGX[si] / groupSize) * gamma
                let k = gamma * inv
                let gr = gp + nc * plane, xr = xp + nc * plane, d = dst + nc * plane
                for j in 0..<plane {
                    let xhat = ((xr[j] - hi) - lo) * inv
                    d[j] = k * gr[j] - inv * (meanG + xhat * meanGX)
                }
            }
        }
        gx = out
    }
    var grads: [Tensor?] = [gx]
    if hasWeight {
        if needWeight {
            var w = [Float](repeating: 0, count: c)
            for nc in 0..<(batch * c) { w[nc % c] += Float(sumGX[nc]) }
            grads.append(Tensor(shape: weight!.shape, values: w))
        } else { grads.append(nil) }
    }
    if hasBias {
        if needBias {
            var b = [Float](repeating: 0, count: c)
            for nc in 0..<(batch * c) { b[nc % c] += Float(sumG[nc]) }
            grads.append(Tensor(shape: [c], values: b))
        } else { grads.append(nil) }
    }
    _ = groups
    return grads
}

/// Batch normalisation over x [N, C, ...]: per channel across batch and space.
/// In training, normalises with the batch statistics and, if given, updates the
/// running mean and (unbiased) variance in place: r = (1 - momentum) r + momentum s.
/// Otherwise normalises with the running statistics.
public func batchNorm(_ x: Tensor, weight: Tensor? = nil, bias: Tensor? = nil, runningMean: Tensor? = nil,
                      runningVariance: Tensor? = nil, training: Bool, momentum: Float = 0.1,
                      epsilon: Float = 1e-5) -> Tensor {
    check(x.rank >= 2, "batchNorm: input \(x.shape) must be [N, C, ...]")
    let n = x.shape[0], c = x.shape[1]
    let plane = x.count / Swift.max(1, n * c)
    if let weight { check(weight.count == c, "batchNorm: weight \(weight.shape) for \(c) channels") }
    if let bias { check(bias.count == c, "batchNorm: bias \(bias.shape) for \(c) channels") }
    var mean = [Float](repeating: 0, count: c), meanLow = [Float](repeating: 0, count: c)
    var inv = [Float](repeating: 0, count: c)
    let src = x.data
    if training {
        check(n * plane > 1, "batchNorm: training needs more than one value per channel, got \(x.shape)")
        for ch in 0..<c {
            var s: Double = 0, s2: Double = 0
            for i in 0..<n {
                let p = src + (i * c + ch) * plane
                for j in 0..<plane { let v = Double(p[j]); s += v; s2 += v * v }
            }
            let m = Double(n * plane)
            let mu = s / m
            let variance = Swift.max(0, s2 / m - mu * mu)
            mean[ch] = Float(mu)
            meanLow[ch] = Float(mu - Double(mean[ch]))
            inv[ch] = Float(1 / (variance + Double(epsilon)).squareRoot())
            if let runningMean, let runningVariance {
                runningMean.data[ch] = (1 - momentum) * runningMean.data[ch] + momentum * Float(mu)
                runningVariance.data[ch] = (1 - momentum) * runningVariance.data[ch] + momentum * Float(variance * m / (m - 1))
            }
        }
    } else {
        check(runningMean != nil && runningVariance != nil, "batchNorm: evaluation needs running statistics")
        for ch in 0..<c {
            mean[ch] = runningMean!.data[ch]
            inv[ch] = 1 / (runningVariance!.data[ch] + epsilon).squareRoot()
        }
    }
    let out = Tensor.uninitialized(x.shape)
    let dst = out.data, wp = weight?.data, bp = bias?.data
    Parallel.forEach(n * c, costPerItem: plane, minimumWork: 1 << 16) { nc in
        let ch = nc % c
        let scale = inv[ch] * (wp?[ch] ?? 1)
        let shift = bp?[ch] ?? 0
        let hi = mean[ch], lo = meanLow[ch]
        let s = src + nc * plane, d = dst + nc * plane
        for j in 0..<plane { d[j] = ((s[j] - hi) - lo) * scale + shift }
    }
    let inputs = [x] + (weight.map { [$0] } ?? []) + (bias.map { [$0] } ?? [])
    guard Tensor.needsGraph(inputs) else { return out }
    let xs = x.detach(), ws = weight?.detach()
    let stats = mean + meanLow + inv
    if training {
        return Tensor.record(out, op: .batchNorm, inputs: inputs) { g in
            normalizationBackward(g: g, x: xs, weight: ws, stats: stats, groups: c, channels: c, plane: plane,
                                  statsPerGroup: false, needX: x.requiresGrad,
                                  needWeight: weight?.requiresGrad ?? false, needBias: bias?.requiresGrad ?? false,
                                  hasWeight: weight != nil, hasBias: bias != nil)
        }
    }
    // Evaluation: a fixed per-channel affine map. Only the gradients asked for
    // (a frozen network, such as ECGAN's label generator, needs x's alone).
    let scales = (0..<c).map { inv[$0] * (ws?.data[$0] ?? 1) }
    let needX = x.requiresGrad, needWeight = weight?.requiresGrad ?? false, needBias = bias?.requiresGrad ?? false
    let hasWeight = weight != nil, hasBias = bias != nil
    return Tensor.record(out, op: .batchNorm, inputs: inputs) { g in
        var grads: [Tensor?] = []
        let gp = g.data
        if needX {
            let gx = Tensor.uninitialized(xs.shape)
            let dst = gx.data
            Parallel.forEach(n * c, costPerItem: plane, minimumWork: 1 << 16) { nc in
                let k = scales[nc % c]
                let gr = gp + nc * plane, d = dst + nc * plane
                for j in 0..<plane { d[j] = gr[j] * k }
            }
            grads.append(gx)
        } else { grads.append(nil) }
        if hasWeight {
            if needWeight {
                var gw = [Float](repeating: 0, count: c)
                let xp = xs.data
                for nc in 0..<(n * c) {
                    let ch = nc % c
                    let gr = gp + nc * plane, xr = xp + nc * plane
                    for j in 0..<plane { gw[ch] += gr[j] * (xr[j] - mean[ch]) * inv[ch] }
                }
                grads.append(Tensor(shape: [c], values: gw))
            } else { grads.append(nil) }
        }
        if hasBias {
            if needBias {
                var gb = [Float](repeating: 0, count: c)
                for nc in 0..<(n * c) {
                    let gr = gp + nc * plane
                    for j in 0..<plane { gb[nc % c] += gr[j] }
                }
                grads.append(Tensor(shape: [c], values: gb))
            } else { grads.append(nil) }
        }
        return grads
    }
}
