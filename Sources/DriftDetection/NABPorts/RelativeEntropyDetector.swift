import Foundation

/// NAB's relative-entropy detector (`nab/detectors/relative_entropy`), after
/// Wang et al., "Statistical Techniques for Online Anomaly Detection in Data
/// Centers" (IM 2011), Figure 1: the last `window` values are quantised into
/// `bins` bins of the file's range; the window's histogram is tested against
/// every null hypothesis seen so far with the relative-entropy statistic
/// `2·W·KL(P̂‖Pᵢ)` against the chi-square 0.99 point with `bins − 1` degrees of
/// freedom. A window no hypothesis accepts becomes a new hypothesis and scores
/// 1; so does one accepted by a hypothesis seen at most `c_th` (1) times.
/// Scores are 0 or 1. NAB's parameters: 5 bins, W = 52, c_th = 1.
///
/// Like every NAB detector it is given the file's minimum and maximum.
public struct RelativeEntropyDetector: Sendable {
    public let bins: Int
    public let window: Int
    public let minimum: Double
    public let stepSize: Double
    /// `stats.chi2.isf(0.01, bins − 1)`.
    public let threshold: Double
    public let countThreshold: Int

    private var values: [Double] = []
    private var hypotheses: [[Double]] = []
    private var counts: [Int] = []

    public init(minimum: Double, maximum: Double, bins: Int = 5, window: Int = 52, countThreshold: Int = 1) {
        self.bins = bins
        self.window = window
        self.minimum = minimum
        self.stepSize = (maximum - minimum) / Double(bins)
        self.threshold = Self.chiSquareUpperQuantile(0.01, degreesOfFreedom: bins - 1)
        self.countThreshold = countThreshold
    }

    /// Scores a whole series as NAB does (minimum and maximum of the file).
    public static func scores(_ values: [Double]) -> [Double] {
        guard let lo = values.min(), let hi = values.max() else { return [] }
        var detector = RelativeEntropyDetector(minimum: lo, maximum: hi)
        return values.map { detector.update($0) }
    }

    public mutating func update(_ value: Double) -> Double {
        values.append(value)
        guard stepSize != 0, values.count >= window else { return 0 }
        // numpy.histogram(ceil((c − min)/step), bins, range (0, bins), density=True):
        // bin i holds [i, i+1), the last bin also its right edge; values outside are dropped.
        var histogram = [Double](repeating: 0, count: bins)
        var total = 0.0
        for c in values[(values.count - window)...] {
            let b = ((c - minimum) / stepSize).rounded(.up)
            guard b >= 0, b <= Double(bins) else { continue }
            histogram[min(Int(b), bins - 1)] += 1
            total += 1
        }
        let pHat = histogram.map { $0 / total }
        if hypotheses.isEmpty {
            hypotheses.append(pHat); counts.append(1)
            return 0
        }
        var index = -1
        var minimumEntropy = Double.infinity
        for (i, p) in hypotheses.enumerated() {
            let entropy = 2 * Double(window) * Self.relativeEntropy(pHat, p)
            if entropy < threshold, entropy < minimumEntropy { minimumEntropy = entropy; index = i }
        }
        if index >= 0 {
            counts[index] += 1
            return counts[index] <= countThreshold ? 1 : 0
        }
        hypotheses.append(pHat); counts.append(1)
        return 1
    }

    /// `scipy.stats.entropy(p, q)`: both normalised to sum 1, then
    /// `Σ p·log(p/q)` (0 where p = 0, infinite where q = 0 < p).
    static func relativeEntropy(_ p: [Double], _ q: [Double]) -> Double {
        let ps = p.reduce(0, +), qs = q.reduce(0, +)
        var sum = 0.0
        for (a, b) in zip(p, q) {
            let x = a / ps, y = b / qs
            if x > 0 {
                if y > 0 { sum += x * log(x / y) } else { return .infinity }
            }
        }
        return sum
    }

    /// `scipy.stats.chi2.isf(p, k)` by bisection on the survival function
    /// (13.2767041359876 for p = 0.01, k = 4).
    static func chiSquareUpperQuantile(_ p: Double, degreesOfFreedom k: Int) -> Double {
        var lo = 0.0, hi = 10_000.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if SpecialFunctions.chiSquareSurvival(mid, degreesOfFreedom: k) > p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }
}
