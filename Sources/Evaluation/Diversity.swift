/// How different a model's outputs for one layout are across seeds: the mean
/// Euclidean distance between every pair of feature vectors.
public enum Diversity {
    public static func meanPairwiseDistance(_ features: [[Double]]) -> Double {
        guard features.count > 1 else { return 0 }
        var total = 0.0, pairs = 0
        for i in 0..<features.count {
            for j in (i + 1)..<features.count {
                var d = 0.0
                for k in 0..<features[i].count {
                    let diff = features[i][k] - features[j][k]
                    d += diff * diff
                }
                total += d.squareRoot()
                pairs += 1
            }
        }
        return total / Double(pairs)
    }
}
