import Foundation
import MonitorNumerics

/// Divergences and tests between a reference distribution and a current one.
package enum DistributionDistance {
    /// The population stability index `Σ (pᵢ − qᵢ) ln(pᵢ / qᵢ)` of counts,
    /// each share floored at `epsilon` (the usual smoothing) so that empty
    /// bins stay finite. Rule of thumb: < 0.1 stable, 0.1–0.25 moderate,
    /// > 0.25 a significant shift.
    package static func psi(reference: [Int], current: [Int], epsilon: Double = 1e-4) -> Double {
        let p = shares(reference, epsilon), q = shares(current, epsilon)
        return zip(p, q).reduce(0) { $0 + ($1.1 - $1.0) * log($1.1 / $1.0) }
    }

    /// The Jensen–Shannon divergence in bits (0 for equal distributions, 1
    /// at most): `½ KL(p‖m) + ½ KL(q‖m)`, `m = (p + q)/2`.
    package static func jensenShannon(reference: [Int], current: [Int]) -> Double {
        let p = shares(reference, 0), q = shares(current, 0)
        var divergence = 0.0
        for (a, b) in zip(p, q) {
            let m = (a + b) / 2
            if a > 0 { divergence += 0.5 * a * log2(a / m) }
            if b > 0 { divergence += 0.5 * b * log2(b / m) }
        }
        return max(0, divergence)
    }

    /// Pearson's chi-square goodness-of-fit of `current` counts against the
    /// `reference` shares: the statistic, its degrees of freedom (bins with
    /// a non-zero expectation, less one) and the p-value.
    package static func chiSquare(reference: [Int], current: [Int]) -> (statistic: Double, degreesOfFreedom: Int, pValue: Double) {
        let referenceTotal = Double(reference.reduce(0, +)), total = Double(current.reduce(0, +))
        guard referenceTotal > 0, total > 0 else { return (0, 0, 1) }
        var statistic = 0.0
        var bins = 0
        for (r, c) in zip(reference, current) where r > 0 || c > 0 {
            // A label seen in neither contributes nothing (so the result does
            // not depend on how many labels the dictionary knows). A label absent from the reference gets half a count, so that
            // a new label is a (strong) signal rather than an infinite one.
            let share = (r > 0 ? Double(r) : 0.5) / referenceTotal
            let expected = share * total
            statistic += (Double(c) - expected) * (Double(c) - expected) / expected
            bins += 1
        }
        let df = max(1, bins - 1)
        return (statistic, df, SpecialFunctions.chiSquareSurvival(statistic, degreesOfFreedom: df))
    }

    /// Pearson's chi-square test of homogeneity of two samples' counts over
    /// the same bins (a 2 × bins contingency table): the statistic and its
    /// degrees of freedom (bins with any count, less one). Unlike
    /// ``chiSquare(reference:current:)`` it allows for the reference's own
    /// sampling error, so a baseline learned from a few hundred records does
    /// not make ordinary intervals look surprising.
    ///
    /// - Complexity: O(bins).
    package static func chiSquareHomogeneity(reference: [Int], current: [Int]) -> (statistic: Double, degreesOfFreedom: Int) {
        let r = Double(reference.reduce(0, +)), c = Double(current.reduce(0, +))
        guard r > 0, c > 0 else { return (0, 1) }
        let total = r + c
        var statistic = 0.0, bins = 0
        for i in 0..<max(reference.count, current.count) {
            let a = Double(i < reference.count ? reference[i] : 0), b = Double(i < current.count ? current[i] : 0)
            guard a + b > 0 else { continue }
            bins += 1
            let ea = (a + b) * r / total, eb = (a + b) * c / total
            statistic += (a - ea) * (a - ea) / ea + (b - eb) * (b - eb) / eb
        }
        return (statistic, max(1, bins - 1))
    }

    private static func shares(_ counts: [Int], _ epsilon: Double) -> [Double] {
        let total = Double(max(1, counts.reduce(0, +)))
        return counts.map { max(Double($0) / total, epsilon) }
    }
}

/// Regularised incomplete gamma functions (Numerical Recipes §6.2).
package enum SpecialFunctions {
    /// `P(χ²_k > x) = Q(k/2, x/2)`.
    package static func chiSquareSurvival(_ x: Double, degreesOfFreedom k: Int) -> Double {
        x <= 0 ? 1 : upperRegularizedGamma(Double(k) / 2, x / 2)
    }

    /// `Q(a, x) = Γ(a, x) / Γ(a)`.
    package static func upperRegularizedGamma(_ a: Double, _ x: Double) -> Double {
        if x < a + 1 {
            // Series for P, then Q = 1 − P.
            var sum = 1 / a, term = sum, ap = a
            for _ in 0..<1_000 {
                ap += 1
                term *= x / ap
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return max(0, 1 - sum * exp(-x + a * log(x) - lgamma(a)))
        }
        // Continued fraction for Q (Lentz).
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...1_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b; if abs(d) < tiny { d = tiny }
            c = b + an / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-16 { break }
        }
        return min(1, exp(-x + a * log(x) - lgamma(a)) * h)
    }
}

extension SpecialFunctions {
    /// The standard normal quantile `Φ⁻¹(p)` (Acklam's rational
    /// approximation, relative error below 1.2e-9).
    package static func normalQuantile(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                 -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                 -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - low {
            let q = (-2 * log(1 - p)).squareRoot()
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let q = p - 0.5, r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }

    /// A count's surprise as a standard normal score: `Φ⁻¹(1 − p)` with the
    /// mid-p tail `p = P(X > x) + ½ P(X = x)` of `X ~ Poisson(expected)`.
    /// Unlike `(x − λ)/√λ` it is not heavy-tailed when λ is small.
    package static func poissonZ(observed x: Int, expected lambda: Double) -> Double {
        guard lambda > 0 else { return x > 0 ? 8 : 0 }
        let pmfAtX = exp(-lambda + Double(x) * log(lambda) - lgamma(Double(x) + 1))
        let tail: Double  // P(X > x) + ½ P(X = x)
        if Double(x) > lambda {
            // Sum the upper tail directly: no cancellation for tiny p.
            var term = pmfAtX, sum = 0.0
            var k = x
            repeat {
                k += 1
                term *= lambda / Double(k)
                sum += term
            } while term > sum * 1e-17 && k < x + 10_000
            tail = sum + 0.5 * pmfAtX
        } else {
            var term = exp(-lambda), below = 0.0
            for k in 0..<x {
                below += term
                term *= lambda / Double(k + 1)
            }
            tail = max(0, 1 - below - pmfAtX) + 0.5 * pmfAtX
        }
        let p = min(max(tail, 1e-300), 1 - 1e-16)
        return p < 0.5 ? -normalQuantile(p) : normalQuantile(1 - p)
    }

    /// A count's surprise under a Beta–Binomial predictive distribution, as
    /// a standard normal score `Φ⁻¹(1 − p)` with the mid-p upper tail
    /// `p = P(X > x) + ½ P(X = x)`, `X ~ BetaBinomial(n, a, b)`: the count of
    /// `n` trials whose rate is only known as Beta(`a`, `b`) from a baseline
    /// (`a` = successes + ½, `b` = failures + ½). The baseline's uncertainty
    /// widens the predictive, so a rate estimated from a quiet hour does not
    /// make ordinary counts look surprising.
    ///
    /// - Complexity: O(n) at most (the terms summed from `x` up until they
    ///   vanish, or up to `x` from 0).
    package static func betaBinomialZ(observed x: Int, trials n: Int, alpha a: Double, beta b: Double) -> Double {
        guard n > 0, a > 0, b > 0 else { return 0 }
        let x = min(max(x, 0), n)
        func logPMF(_ k: Int) -> Double {
            let nk = Double(n), kk = Double(k)
            return lgamma(nk + 1) - lgamma(kk + 1) - lgamma(nk - kk + 1)
                + lgamma(kk + a) + lgamma(nk - kk + b) - lgamma(nk + a + b) - (lgamma(a) + lgamma(b) - lgamma(a + b))
        }
        // pmf(k + 1) / pmf(k) = (n − k)(k + a) / ((k + 1)(n − k − 1 + b)).
        let pmfAtX = exp(logPMF(x))
        let mean = Double(n) * a / (a + b)
        let tail: Double
        if Double(x) > mean {
            var term = pmfAtX, sum = 0.0, k = x
            while k < n {
                term *= Double(n - k) * (Double(k) + a) / (Double(k + 1) * (Double(n - k - 1) + b))
                sum += term
                k += 1
                if term < sum * 1e-17 { break }
            }
            tail = sum + 0.5 * pmfAtX
        } else {
            var term = exp(logPMF(0)), below = 0.0
            for k in 0..<x {
                below += term
                term *= Double(n - k) * (Double(k) + a) / (Double(k + 1) * (Double(n - k - 1) + b))
            }
            tail = max(0, 1 - below - pmfAtX) + 0.5 * pmfAtX
        }
        let p = min(max(tail, 1e-300), 1 - 1e-16)
        return p < 0.5 ? -normalQuantile(p) : normalQuantile(1 - p)
    }

    /// The Wilson–Hilferty normal score of a chi-square statistic:
    /// `((X²/k)^{1/3} − (1 − 2/(9k))) / sqrt(2/(9k))`.
    package static func chiSquareZ(_ statistic: Double, degreesOfFreedom k: Int) -> Double {
        let df = Double(k)
        return (pow(max(statistic, 0) / df, 1.0 / 3) - (1 - 2 / (9 * df))) / (2 / (9 * df)).squareRoot()
    }
}
