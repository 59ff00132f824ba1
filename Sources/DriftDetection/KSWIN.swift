import MonitorNumerics
import Foundation

/// KSWIN, the Kolmogorov–Smirnov windowing detector (Raab, Heusinger &
/// Schleif, "Reactive Soft Prototype Computing for Concept Drift Streams",
/// Neurocomputing 2020), as River's `drift.KSWIN`: once the window of the
/// last `windowSize` inputs is full, its newest `statSize` inputs are tested
/// against `statSize` drawn at random from the rest with the two-sample KS
/// test; an alarm when the exact p-value is below `alpha`, after which the
/// window keeps only the newest `statSize` inputs.
///
/// Defaults: `alpha=0.005, window_size=100, stat_size=30` (River's).
public struct KSWIN: StreamingDetector {
    public var alpha: Double
    public var windowSize: Int
    public var statSize: Int
    private var window: [Double] = []
    private var rng: SplitMix64
    private let seed: UInt64

    public var name: String { "kswin" }

    public init(alpha: Double = 0.005, windowSize: Int = 100, statSize: Int = 30, seed: UInt64 = 42) {
        precondition(statSize * 2 <= windowSize, "the window must hold twice the statistic size")
        self.alpha = alpha
        self.windowSize = windowSize
        self.statSize = statSize
        self.seed = seed
        rng = SplitMix64(seed: seed)
    }

    public mutating func reset() {
        window.removeAll()
        rng = SplitMix64(seed: seed)
    }

    /// - Complexity: O(w log w + s²) per input once the window is full
    ///   (the exact p-value counts lattice paths).
    public mutating func update(_ x: Double) -> Detection {
        window.append(x)
        if window.count > windowSize { window.removeFirst(window.count - windowSize) }
        guard window.count == windowSize else { return .quiet }
        let recent = Array(window.suffix(statSize))
        var older = Array(window.prefix(windowSize - statSize))
        // A random sample without replacement (partial Fisher–Yates).
        for i in 0..<statSize {
            let j = i + Int(rng.next() % UInt64(older.count - i))
            older.swapAt(i, j)
        }
        let sample = Array(older.prefix(statSize))
        let d = KolmogorovSmirnov.statistic(sample, recent)
        let p = KolmogorovSmirnov.exactPValue(d, sample.count, recent.count)
        let score = -log10(max(p, 1e-300))
        if p < alpha {
            window = recent
            return Detection(score: score, alarm: true)
        }
        return Detection(score: score, alarm: false)
    }
}

/// The two-sample Kolmogorov–Smirnov test with exact p-values.
public enum KolmogorovSmirnov {
    /// `D = sup |F₁(x) − F₂(x)|`.
    ///
    /// - Complexity: O((n + m) log(n + m)).
    public static func statistic(_ a: [Double], _ b: [Double]) -> Double {
        let x = a.sorted(), y = b.sorted()
        var i = 0, j = 0
        var d = 0.0
        while i < x.count, j < y.count {
            let value = min(x[i], y[j])
            while i < x.count, x[i] == value { i += 1 }
            while j < y.count, y[j] == value { j += 1 }
            d = max(d, abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
        }
        return d
    }

    /// The exact two-sided p-value `P(D ≥ d)` under the null hypothesis
    /// (continuous distributions), by counting the monotone lattice paths
    /// from (0, 0) to (n, m) that stay strictly inside `|i/n − j/m| < d`
    /// (Hodges 1958; the method of scipy's `ks_2samp(method='exact')`).
    ///
    /// - Complexity: O(n·m).
    public static func exactPValue(_ d: Double, _ n: Int, _ m: Int) -> Double {
        guard d > 0 else { return 1 }
        // Compare on the integer lattice to avoid rounding at the boundary:
        // |i·m − j·n| < d·n·m, with d·n·m rounded to the nearest multiple it can take.
        let scaled = (d * Double(n) * Double(m) - 1e-7).rounded(.up)
        var paths = [Double](repeating: 0, count: m + 1)
        // Log-scaled counts: C(n+m, n) overflows Double beyond n = m ≈ 500.
        var logScale = 0.0
        for j in 0...m {
            paths[j] = Double(abs(0 * m - j * n)) < scaled ? (j == 0 ? 1 : paths[j - 1]) : 0
        }
        for i in 1...n {
            paths[0] = Double(abs(i * m)) < scaled ? paths[0] : 0
            for j in 1...max(1, m) where j <= m {
                paths[j] = Double(abs(i * m - j * n)) < scaled ? paths[j] + paths[j - 1] : 0
            }
            if let largest = paths.max(), largest > 1e250 {
                for j in paths.indices { paths[j] /= 1e250 }
                logScale += log(1e250)
            }
        }
        let logInside = log(paths[m]) + logScale
        let logTotal = lgamma(Double(n + m + 1)) - lgamma(Double(n + 1)) - lgamma(Double(m + 1))
        return min(1, max(0, 1 - exp(logInside - logTotal)))
    }
}
