import Foundation
import Monitoring
import MonitorNumerics
import Testing
import TrafficSimulator
@testable import DriftDetection
import DriftEvaluation

@Suite("The recommended detector's shape and sparse-count channels")
struct ShapeChannelTests {
    let start = LocalTimestamp(isoformat: "2026-01-05T00:00:00")!

    /// Minutes of `perMinute` records each, confidences and times drawn by `draw`, errors with probability `errorRate`.
    func intervals(minutes: Range<Int>, perMinute: Int, seed: UInt64, errorRate: Double = 0.005,
                   label: (Int, inout SplitMix64) -> UInt32 = { _, _ in 0 },
                   draw: (Int, inout SplitMix64) -> (Double, Double)) -> [IntervalSummary] {
        var rng = SplitMix64(seed: seed)
        return minutes.map { m in
            let from = start.adding(microseconds: Int64(m) * LocalTimestamp.microsecondsPerMinute)
            var interval = IntervalSummary(start: from, end: from.adding(microseconds: LocalTimestamp.microsecondsPerMinute))
            for _ in 0..<perMinute {
                if Samplers.bernoulli(errorRate, &rng) { interval.addError(); continue }
                let (c, t) = draw(m, &rng)
                interval.addPrediction(confidence: c, processingTime: t, label: label(m, &rng))
            }
            return interval
        }
    }

    func firing(_ intervals: [IntervalSummary], _ statistic: DriftStatistic? = nil) -> [Alarm] {
        var detector = RecommendedDetector()
        return intervals.flatMap { detector.update($0) }.filter { $0.kind == .firing && (statistic == nil || $0.statistic == statistic) }
    }

    func normal(_ rng: inout SplitMix64) -> Double { Samplers.standardNormal(&rng) }

    @Test("a bimodal confidence with the mean kept: the shape channel fires within minutes, the mean channel not in the hour after")
    func bimodal() {
        let stream = intervals(minutes: 0..<300, perMinute: 100, seed: 1) { m, rng in
            let base = 0.8 + 0.05 * Samplers.standardNormal(&rng)
            let c = m < 150 ? base : (Samplers.bernoulli(0.5, &rng) ? 0.7 : 0.9) + 0.01 * Samplers.standardNormal(&rng)
            return (c, exp(log(0.25) + 0.6 * Samplers.standardNormal(&rng)))
        }
        let shape = firing(stream, .confidenceShape)
        #expect(shape.first.map { $0.timestamp > start.adding(microseconds: 150 * 60_000_000)
            && $0.timestamp <= start.adding(microseconds: 160 * 60_000_000) } == true, "\(shape.prefix(2))")
        // The split quadruples the variance, so the mean's z-scores spread and its CUSUM may cross at last; not soon.
        #expect(firing(stream, .meanConfidence).allSatisfy { $0.timestamp > start.adding(microseconds: 210 * 60_000_000) })
        #expect(shape.first.map { $0.current! > 0.2 } == true)
    }

    @Test("a latency spread change with the median kept: the band channel fires, the typical latency does not")
    func spread() {
        let stream = intervals(minutes: 0..<300, perMinute: 100, seed: 2) { m, rng in
            (0.8, exp(log(0.25) + (m < 150 ? 0.6 : 0.9) * Samplers.standardNormal(&rng)))
        }
        let band = firing(stream, .latencySpread)
        #expect(band.first.map { $0.timestamp > start.adding(microseconds: 150 * 60_000_000)
            && $0.timestamp <= start.adding(microseconds: 160 * 60_000_000) } == true)
        #expect(band.first.map { $0.baseline! < 0.15 && $0.current! > 0.2 } == true)
        #expect(firing(stream, .latency).isEmpty)
    }

    @Test("an error rate rising from 0.5% to 2.5% fires the error channel; a tenfold volume change alone fires nothing")
    func errorsAndVolume() {
        let draw: (Int, inout SplitMix64) -> (Double, Double) = { _, rng in
            (min(1, max(0, 0.8 + 0.05 * Samplers.standardNormal(&rng))), exp(log(0.25) + 0.6 * Samplers.standardNormal(&rng)))
        }
        let errors = intervals(minutes: 0..<200, perMinute: 100, seed: 3, draw: draw)
            + intervals(minutes: 200..<400, perMinute: 100, seed: 4, errorRate: 0.025, draw: draw)
        let alarm = firing(errors, .errorRate).first
        #expect(alarm.map { $0.timestamp > start.adding(microseconds: 200 * 60_000_000)
            && $0.timestamp <= start.adding(microseconds: 230 * 60_000_000) } == true, "\(String(describing: alarm))")
        for seed in 5..<8 as Range<UInt64> {
            let volume = intervals(minutes: 0..<200, perMinute: 10, seed: seed, draw: draw)
                + intervals(minutes: 200..<400, perMinute: 150, seed: seed + 100, draw: draw)
                + intervals(minutes: 400..<600, perMinute: 4, seed: seed + 200, draw: draw)
            #expect(firing(volume).isEmpty, "seed \(seed): \(firing(volume).prefix(3))")
        }
    }

    @Test("Beta–Binomial scores: a baseline of 3 errors in 600 makes 2 errors in 60 unremarkable, 40 of 600 remarkable")
    func betaBinomial() {
        let sparse = SpecialFunctions.betaBinomialZ(observed: 2, trials: 60, alpha: 3.5, beta: 597.5)
        let poisson = SpecialFunctions.poissonZ(observed: 2, expected: 60 * 3.5 / 601)
        #expect(sparse < poisson && sparse < 2.5, "\(sparse) vs Poisson \(poisson)")
        #expect(SpecialFunctions.betaBinomialZ(observed: 40, trials: 600, alpha: 30.5, beta: 5970.5) > 4)
        // At the mean the mid-p score is near 0; it is monotone in the count.
        let zs = (0...10).map { SpecialFunctions.betaBinomialZ(observed: $0, trials: 200, alpha: 5.5, beta: 995.5) }
        #expect(zip(zs, zs.dropFirst()).allSatisfy { $0 < $1 })
        #expect(abs(zs[1]) < 0.5)
    }

    @Test("chi-square homogeneity: equal shares give 0, and the statistic grows with the gap")
    func homogeneity() {
        #expect(DistributionDistance.chiSquareHomogeneity(reference: [100, 100, 100], current: [10, 10, 10]).statistic == 0)
        let small = DistributionDistance.chiSquareHomogeneity(reference: [100, 800, 100], current: [10, 80, 10])
        let large = DistributionDistance.chiSquareHomogeneity(reference: [100, 800, 100], current: [30, 40, 30])
        #expect(small.degreesOfFreedom == 2 && small.statistic < 1e-12 && large.statistic > 30)
    }
}
