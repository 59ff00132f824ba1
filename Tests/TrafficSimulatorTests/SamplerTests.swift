import MonitorNumerics
import Foundation
import Testing
@testable import TrafficSimulator

func moments(_ xs: [Double]) -> (mean: Double, variance: Double) {
    let mean = xs.reduce(0, +) / Double(xs.count)
    return (mean, xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count))
}

@Suite("Samplers")
struct SamplerTests {
    static let n = 40_000

    func draw(_ seed: UInt64, _ sampler: (inout SplitMix64) -> Double) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<Self.n).map { _ in sampler(&rng) }
    }

    @Test("Beta: mean, variance and a Kolmogorov–Smirnov test against the exact CDF",
          arguments: [(9.0, 1.5), (5.0, 2.5), (0.5, 0.5), (2.0, 8.0)])
    func beta(a: Double, b: Double) {
        let xs = draw(1) { Samplers.beta(a, b, &$0) }
        let (mean, variance) = moments(xs)
        let exactMean = a / (a + b)
        let exactVariance = a * b / ((a + b) * (a + b) * (a + b + 1))
        #expect(abs(mean - exactMean) < 4 * (exactVariance / Double(Self.n)).squareRoot())
        #expect(abs(variance / exactVariance - 1) < 0.05)
        let d = Distributions.ksStatistic(xs) { Distributions.betaCDF($0, a, b) }
        #expect(Distributions.ksPValue(d, n: Self.n) > 0.001, "D = \(d)")
    }

    @Test("Log-normal and Pareto pass KS; exponential has mean 1/rate")
    func continuous() {
        let lognormal = draw(2) { Samplers.logNormal(mu: log(0.25), sigma: 0.6, &$0) }
        let d1 = Distributions.ksStatistic(lognormal) { Distributions.logNormalCDF($0, mu: log(0.25), sigma: 0.6) }
        #expect(Distributions.ksPValue(d1, n: Self.n) > 0.001)
        let pareto = draw(3) { Samplers.pareto(scale: 1.5, shape: 1.6, &$0) }
        let d2 = Distributions.ksStatistic(pareto) { Distributions.paretoCDF($0, scale: 1.5, shape: 1.6) }
        #expect(Distributions.ksPValue(d2, n: Self.n) > 0.001)
        let exponential = draw(4) { Samplers.exponential(rate: 2, &$0) }
        let d3 = Distributions.ksStatistic(exponential) { Distributions.exponentialCDF($0, rate: 2) }
        #expect(Distributions.ksPValue(d3, n: Self.n) > 0.001)
        #expect(abs(moments(exponential).mean - 0.5) < 0.01)
    }

    @Test("the KS test rejects a wrong distribution")
    func ksHasPower() {
        let xs = draw(5) { Samplers.beta(5, 2.5, &$0) }
        let d = Distributions.ksStatistic(xs) { Distributions.betaCDF($0, 5, 2.0) }
        #expect(Distributions.ksPValue(d, n: Self.n) < 1e-6)
    }

    @Test("Poisson and categorical frequencies", arguments: [0.5, 4.0, 17.0, 90.0])
    func poisson(mean: Double) {
        var rng = SplitMix64(seed: 6)
        let xs = (0..<Self.n).map { _ in Double(Samplers.poisson(mean: mean, &rng)) }
        let (m, v) = moments(xs)
        #expect(abs(m - mean) < 4 * (mean / Double(Self.n)).squareRoot())
        #expect(abs(v / mean - 1) < 0.05)
    }

    @Test("categorical draws follow the weights")
    func categorical() {
        var rng = SplitMix64(seed: 8)
        var counts = [0, 0, 0]
        for _ in 0..<Self.n { counts[Samplers.categorical([5, 3, 2], &rng)] += 1 }
        for (count, p) in zip(counts, [0.5, 0.3, 0.2]) {
            #expect(abs(Double(count) / Double(Self.n) - p) < 4 * (p * (1 - p) / Double(Self.n)).squareRoot())
        }
    }

    @Test("the Beta CDF matches known values")
    func betaCDFValues() {
        #expect(abs(Distributions.betaCDF(0.5, 2, 2) - 0.5) < 1e-12)
        #expect(abs(Distributions.betaCDF(0.3, 1, 1) - 0.3) < 1e-12)
        // scipy.stats.beta.cdf(0.8, 9, 1.5) = 0.17647...; closed form for b = 1: x^a
        #expect(abs(Distributions.betaCDF(0.8, 3, 1) - 0.512) < 1e-12)
    }
}
