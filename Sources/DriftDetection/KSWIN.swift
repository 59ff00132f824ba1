import MonitorNumerics
import Foundation

/// KSWIN, the Kolmogorov–Smirnov windowing detector (Raab, Heusinger &
/// Schleif, "Reactive Soft Prototype Computing for Concept Drift Streams",
/// Neurocomputing 2020), step for step as River's `drift.KSWIN` (0.26):
///
/// - the window holds the last `windowSize` inputs; while it is not full,
///   nothing is tested;
/// - once full, at every input `statSize` indices are drawn without
///   replacement from the `windowSize − statSize` oldest
///   (`rng.sample(range(window_size - stat_size), stat_size)`) and tested
///   against the `statSize` newest with scipy's `ks_2samp` (method auto,
///   exact here: ``KolmogorovSmirnov/scipyTwoSample(_:_:)``);
/// - an alarm when `p ≤ alpha` and the statistic `> 0.1`;
/// - the input after an alarm starts afresh: the window is emptied and the
///   generator re-seeded (River's `_reset`).
///
/// The sampling generator is a choice: ``Generator/python`` (the default) is
/// Python's `random.Random(seed)`, so `KSWIN(seed: s)` alarms where River's
/// `KSWIN(seed=s)` does; ``Generator/splitMix64`` draws a partial
/// Fisher–Yates shuffle from ``SplitMix64``. Both are seeded (River's
/// default, `seed=None`, is not reproducible).
///
/// Defaults: `alpha=0.005, window_size=100, stat_size=30` (River's), seed 42.
public struct KSWIN: StreamingDetector {
    /// The generator that draws the older sample.
    public enum Generator: String, Sendable, CaseIterable {
        /// Python's `random.Random(seed)` and CPython 3.11's `random.sample`.
        case python
        /// A partial Fisher–Yates shuffle driven by ``SplitMix64``.
        case splitMix64 = "splitmix64"
    }

    public var alpha: Double
    public var windowSize: Int
    public var statSize: Int
    public let generator: Generator
    public let seed: UInt64
    private var window: [Double] = []
    private var start = 0
    private var python: PythonRandom
    private var splitMix: SplitMix64
    private var alarmed = false
    /// The last test's p-value (River's `p_value`; 0 before the first test).
    public private(set) var pValue = 0.0

    public var name: String { "kswin" }

    /// - Precondition: `0 < statSize < windowSize`, `0 ≤ alpha ≤ 1`.
    public init(alpha: Double = 0.005, windowSize: Int = 100, statSize: Int = 30, seed: UInt64 = 42,
                generator: Generator = .python) {
        precondition(statSize > 0 && statSize < windowSize, "stat_size must be positive and smaller than window_size")
        precondition((0...1).contains(alpha), "alpha must be between 0 and 1")
        self.alpha = alpha
        self.windowSize = windowSize
        self.statSize = statSize
        self.seed = seed
        self.generator = generator
        python = PythonRandom(seed: seed)
        splitMix = SplitMix64(seed: seed)
    }

    public mutating func reset() {
        window.removeAll(keepingCapacity: true)
        start = 0
        python = PythonRandom(seed: seed)
        splitMix = SplitMix64(seed: seed)
        alarmed = false
        pValue = 0
    }

    /// The indices (0 = oldest in the window) of the older sample.
    private mutating func sampleIndices() -> [Int] {
        let population = windowSize - statSize
        switch generator {
        case .python:
            return python.sample(populationCount: population, statSize)
        case .splitMix64:
            var pool = Array(0..<population)
            for i in 0..<statSize {
                let j = i + Int(splitMix.next() % UInt64(population - i))
                pool.swapAt(i, j)
            }
            return Array(pool.prefix(statSize))
        }
    }

    /// - Complexity: O(w + s log s) per input once the window is full.
    public mutating func update(_ x: Double) -> Detection {
        if alarmed { reset() }
        // The window is a ring of `windowSize` values; `start` is the oldest.
        if window.count < windowSize {
            window.append(x)
            guard window.count == windowSize else { return .quiet }
        } else {
            window[start] = x
            start = (start + 1) % windowSize
        }
        let older = sampleIndices().map { window[(start + $0) % windowSize] }
        let recent = (windowSize - statSize..<windowSize).map { window[(start + $0) % windowSize] }
        let test = KolmogorovSmirnov.scipyTwoSample(older, recent)
        pValue = test.pValue
        let score = -log10(max(test.pValue, 1e-300))
        alarmed = test.pValue <= alpha && test.statistic > 0.1
        return Detection(score: score, alarm: alarmed)
    }
}

/// The two-sample Kolmogorov–Smirnov test with exact p-values.
package enum KolmogorovSmirnov {
    /// `D = sup |F₁(x) − F₂(x)|`.
    ///
    /// - Complexity: O((n + m) log(n + m)).
    package static func statistic(_ a: [Double], _ b: [Double]) -> Double {
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

    /// scipy's `ks_2samp(a, b)` (two-sided, method auto), statistic and
    /// p-value as scipy computes them: the ECDF differences at every value of
    /// the pooled sample (`searchsorted(side='right') / n` in doubles), then,
    /// for the exact method (both sizes ≤ 10,000), the statistic rounded to
    /// the lattice `h / lcm(n, m)` and, for equal sizes, scipy's
    /// `_compute_prob_outside_square` term by term, so the p-value is
    /// scipy's to the last bit. Unequal sizes take ``exactPValue(_:_:_:)``
    /// (the same probability by path counting, not bit-identical to scipy's
    /// Pythran code). Ties are counted as scipy counts them.
    ///
    /// - Precondition: neither sample is empty; both sizes ≤ 10,000.
    /// - Complexity: O((n + m) log(n + m) + n²/h) for equal sizes.
    package static func scipyTwoSample(_ a: [Double], _ b: [Double]) -> (statistic: Double, pValue: Double) {
        precondition(!a.isEmpty && !b.isEmpty, "Data passed to ks_2samp must not be empty")
        precondition(max(a.count, b.count) <= 10_000, "scipy switches to the asymptotic method beyond 10,000")
        let x = a.sorted(), y = b.sorted()
        let n1 = x.count, n2 = y.count
        func countAtMost(_ sorted: [Double], _ v: Double) -> Int {
            var lo = 0, hi = sorted.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if sorted[mid] <= v { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        var minDiff = Double.infinity, maxDiff = -Double.infinity
        for v in x + y {
            let diff = Double(countAtMost(x, v)) / Double(n1) - Double(countAtMost(y, v)) / Double(n2)
            minDiff = min(minDiff, diff)
            maxDiff = max(maxDiff, diff)
        }
        let minS = min(max(-minDiff, 0), 1)
        var d = minS > maxDiff ? minS : maxDiff
        let g = gcd(n1, n2)
        let lcm = (n1 / g) * n2
        let h = Int((d * Double(lcm)).rounded(.toNearestOrEven))
        d = Double(h) * 1.0 / Double(lcm)
        guard h > 0 else { return (d, 1) }
        let p = n1 == n2 ? probabilityOutsideSquare(n1, h) : exactPValue(d, n1, n2)
        return (d, min(max(p, 0), 1))
    }

    /// scipy's `_compute_prob_outside_square(n, h)`: `P(D_{n,n} ≥ h/n)` by
    /// the alternating binomial series in Horner form.
    static func probabilityOutsideSquare(_ n: Int, _ h: Int) -> Double {
        var p = 0.0
        var k = n / h
        while k >= 0 {
            var p1 = 1.0
            for j in 0..<h {
                p1 = Double(n - k * h - j) * p1 / Double(n + k * h + j + 1)
            }
            p = p1 * (1.0 - p)
            k -= 1
        }
        return 2 * p
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// The exact two-sided p-value `P(D ≥ d)` under the null hypothesis
    /// (continuous distributions), by counting the monotone lattice paths
    /// from (0, 0) to (n, m) that stay strictly inside `|i/n − j/m| < d`
    /// (Hodges 1958; the method of scipy's `ks_2samp(method='exact')`).
    ///
    /// - Complexity: O(n·m).
    package static func exactPValue(_ d: Double, _ n: Int, _ m: Int) -> Double {
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
