import Tensor

/// Convolutions as naive loops straight from the definitions (Double sums):
/// the reference every kernel path is checked against.
enum NaiveConvolution {
    static func conv(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: Int, pad: Int, reflect: Bool) -> [Float] {
        let (n, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (cout, k) = (w.shape[0], w.shape[2])
        let oh = (h + 2 * pad - k) / stride + 1, ow = (wd + 2 * pad - k) / stride + 1
        var out = [Float](repeating: 0, count: n * cout * oh * ow)
        func at(_ i: Int, _ size: Int) -> Int? {
            if i >= 0 && i < size { return i }
            if !reflect { return nil }
            return i < 0 ? -i : 2 * (size - 1) - i
        }
        for b0 in 0..<n { for co in 0..<cout { for oy in 0..<oh { for ox in 0..<ow {
            var s: Double = Double(b?[co] ?? 0)
            for ci in 0..<cin { for ky in 0..<k { for kx in 0..<k {
                guard let iy = at(oy * stride - pad + ky, h), let ix = at(ox * stride - pad + kx, wd) else { continue }
                s += Double(x[b0, ci, iy, ix]) * Double(w[co, ci, ky, kx])
            } } }
            out[((b0 * cout + co) * oh + oy) * ow + ox] = Float(s)
        } } } }
        return out
    }

    static func convTranspose(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: Int, pad: Int, outPad: Int) -> [Float] {
        let (n, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (cout, k) = (w.shape[1], w.shape[2])
        let oh = (h - 1) * stride - 2 * pad + k + outPad, ow = (wd - 1) * stride - 2 * pad + k + outPad
        var out = [Double](repeating: 0, count: n * cout * oh * ow)
        for b0 in 0..<n { for ci in 0..<cin { for iy in 0..<h { for ix in 0..<wd {
            for co in 0..<cout { for ky in 0..<k { for kx in 0..<k {
                let oy = iy * stride - pad + ky, ox = ix * stride - pad + kx
                guard oy >= 0, oy < oh, ox >= 0, ox < ow else { continue }
                out[((b0 * cout + co) * oh + oy) * ow + ox] += Double(x[b0, ci, iy, ix]) * Double(w[ci, co, ky, kx])
            } } }
        } } } }
        if let b {
            for i in out.indices { out[i] += Double(b[(i / (oh * ow)) % cout]) }
        }
        return out.map { Float($0) }
    }
}
