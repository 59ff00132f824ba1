import MonitorNumerics
import Foundation

/// Random variates from the distributions the simulator needs, each drawn
/// from a ``SplitMix64`` so that a seed fixes every value on every machine.
///
/// Only integer arithmetic and IEEE-754 basic operations plus `log`, `exp`,
/// `sqrt`, `pow`, `cos` are used; on one machine the same seed gives the same
/// bits. (Transcendental functions may differ in the last bit across libm
/// builds; the committed samples record which seed made them.)
public enum Samplers {
    /// Uniform in the open interval (0, 1): never exactly 0, so logs are finite.
    @inlinable
    public static func openUnit(_ rng: inout SplitMix64) -> Double {
        (Double(rng.next() >> 11) + 0.5) * 0x1.0p-53
    }

    /// Exponential with the given rate (mean `1 / rate`), by inversion.
    ///
    /// - Complexity: O(1).
    public static func exponential(rate: Double, _ rng: inout SplitMix64) -> Double {
        -log(openUnit(&rng)) / rate
    }

    /// Standard normal by the Box–Muller transform (one of the pair).
    public static func standardNormal(_ rng: inout SplitMix64) -> Double {
        let u1 = openUnit(&rng), u2 = openUnit(&rng)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Log-normal: `exp(mu + sigma * Z)`; its median is `exp(mu)`.
    public static func logNormal(mu: Double, sigma: Double, _ rng: inout SplitMix64) -> Double {
        exp(mu + sigma * standardNormal(&rng))
    }

    /// Pareto (type I) with scale `xm` and shape `alpha`, by inversion.
    public static func pareto(scale xm: Double, shape alpha: Double, _ rng: inout SplitMix64) -> Double {
        xm / pow(openUnit(&rng), 1 / alpha)
    }

    /// Gamma(shape, 1) by Marsaglia & Tsang (2000), with the `U^(1/shape)`
    /// boost for shape < 1.
    public static func gamma(shape: Double, _ rng: inout SplitMix64) -> Double {
        precondition(shape > 0, "gamma shape must be positive")
        if shape < 1 {
            return gamma(shape: shape + 1, &rng) * pow(openUnit(&rng), 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                x = standardNormal(&rng)
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = openUnit(&rng)
            if u < 1 - 0.0331 * (x * x) * (x * x) { return d * v }
            if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// Beta(a, b) as `X / (X + Y)` with `X ~ Gamma(a)`, `Y ~ Gamma(b)`.
    public static func beta(_ a: Double, _ b: Double, _ rng: inout SplitMix64) -> Double {
        let x = gamma(shape: a, &rng)
        let y = gamma(shape: b, &rng)
        return x / (x + y)
    }

    /// `true` with probability `p`.
    public static func bernoulli(_ p: Double, _ rng: inout SplitMix64) -> Bool {
        openUnit(&rng) < p
    }

    /// Poisson(mean) by multiplying uniforms for small means and the
    /// normal approximation with continuity correction beyond 60.
    public static func poisson(mean: Double, _ rng: inout SplitMix64) -> Int {
        if mean <= 0 { return 0 }
        if mean > 60 {
            return max(0, Int((mean + mean.squareRoot() * standardNormal(&rng) + 0.5).rounded(.down)))
        }
        let limit = exp(-mean)
        var product = openUnit(&rng)
        var count = 0
        while product > limit {
            product *= openUnit(&rng)
            count += 1
        }
        return count
    }

    /// An index drawn with the given (not necessarily normalised) weights.
    public static func categorical(_ weights: [Double], _ rng: inout SplitMix64) -> Int {
        let total = weights.reduce(0, +)
        var target = openUnit(&rng) * total
        for (i, w) in weights.enumerated() {
            target -= w
            if target < 0 { return i }
        }
        return weights.count - 1
    }
}
