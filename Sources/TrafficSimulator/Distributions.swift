import Foundation

/// Exact cumulative distribution functions, for testing the samplers
/// (Kolmogorov–Smirnov) and for the detectors' p-values.
public enum Distributions {
    /// The standard normal CDF, `Φ(x)`.
    public static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// The log-normal CDF.
    public static func logNormalCDF(_ x: Double, mu: Double, sigma: Double) -> Double {
        x <= 0 ? 0 : normalCDF((log(x) - mu) / sigma)
    }

    /// The exponential CDF.
    public static func exponentialCDF(_ x: Double, rate: Double) -> Double { x <= 0 ? 0 : -expm1(-rate * x) }

    /// The Pareto CDF.
    public static func paretoCDF(_ x: Double, scale: Double, shape: Double) -> Double {
        x < scale ? 0 : 1 - pow(scale / x, shape)
    }

    /// The regularised incomplete beta function `I_x(a, b)`, the Beta CDF,
    /// by Lentz's continued fraction (Numerical Recipes §6.4).
    public static func betaCDF(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x, a, b) / a
        }
        return 1 - exp(logFront) * continuedFraction(1 - x, b, a) / b
    }

    private static func continuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m)
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-15 { break }
        }
        return h
    }

    /// The one-sample Kolmogorov–Smirnov statistic `sup |F_n(x) − F(x)|`.
    ///
    /// - Complexity: O(n log n) (a sort).
    public static func ksStatistic(_ sample: [Double], cdf: (Double) -> Double) -> Double {
        let sorted = sample.sorted()
        let n = Double(sorted.count)
        var d = 0.0
        for (i, x) in sorted.enumerated() {
            let f = cdf(x)
            d = max(d, Double(i + 1) / n - f, f - Double(i) / n)
        }
        return d
    }

    /// The asymptotic Kolmogorov distribution's survival function
    /// `Q(λ) = 2 Σ (−1)^(k−1) exp(−2 k² λ²)`, with Stephens' small-sample
    /// correction `λ = (√n + 0.12 + 0.11/√n) D`: the p-value of a one-sample
    /// KS statistic `d` from `n` points.
    public static func ksPValue(_ d: Double, n: Int) -> Double {
        let root = Double(n).squareRoot()
        let lambda = (root + 0.12 + 0.11 / root) * d
        if lambda < 1e-3 { return 1 }
        var sum = 0.0
        for k in 1...100 {
            let term = exp(-2 * Double(k * k) * lambda * lambda)
            sum += (k % 2 == 1 ? term : -term)
            if term < 1e-16 { break }
        }
        return min(1, max(0, 2 * sum))
    }
}
