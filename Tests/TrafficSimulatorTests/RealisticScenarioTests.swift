import Foundation
import Monitoring
import MonitorNumerics
import Testing
@testable import TrafficSimulator

@Suite("Realistic traffic and the new drift kinds")
struct RealisticScenarioTests {
    static let n = 40_000

    func predictions(_ events: [SimulatedEvent]) -> [PredictionRecord] {
        events.compactMap { if case .prediction(let record) = $0 { return record } else { return nil } }
    }

    /// Two-sample Kolmogorov–Smirnov statistic.
    func ks(_ a: [Double], _ b: [Double]) -> Double {
        let x = a.sorted(), y = b.sorted()
        var i = 0, j = 0, d = 0.0
        while i < x.count && j < y.count {
            let v = min(x[i], y[j])
            while i < x.count && x[i] <= v { i += 1 }
            while j < y.count && y[j] <= v { j += 1 }
            d = max(d, abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
        }
        return d
    }

    @Test("the bimodal split keeps each class's mean and changes the shape (KS)", arguments: [(9.0, 1.5), (8.0, 1.8), (5.0, 2.5)])
    func bimodalKeepsMean(a: Double, b: Double) {
        var rng = SplitMix64(seed: 7)
        let m = a / (a + b)
        var before: [Double] = [], after: [Double] = []
        for _ in 0..<Self.n {
            let c = Samplers.beta(a, b, &rng)
            before.append(c)
            after.append(TrafficGenerator.bimodal(c, mean: m, lowShare: 0.25, low: Samplers.bernoulli(0.25, &rng)))
        }
        let meanBefore = before.reduce(0, +) / Double(Self.n), meanAfter = after.reduce(0, +) / Double(Self.n)
        #expect(abs(meanAfter - meanBefore) < 0.005, "means \(meanBefore) → \(meanAfter)")
        #expect(ks(before, after) > 0.15, "KS \(ks(before, after))")
    }

    @Test("the realistic drifts: bimodal keeps the mean confidence, spread keeps the median latency, a new label appears")
    func driftsOnStreams() {
        let start = LocalTimestamp(isoformat: "2026-01-05T12:00:00")!
        func stream(_ kind: DriftKind, amount: Double, label: String? = nil) -> (before: [PredictionRecord], after: [PredictionRecord]) {
            let scenario = Scenario(name: "t", summary: "", duration: .hours(2), drifts: [
                DriftSpec(kind: kind, onset: .hours(1), amount: amount, label: label)])
            let events = Array(TrafficGenerator(scenario: scenario, seed: 3, start: start, ratePerSecond: 5))
            let cut = start.adding(microseconds: LocalTimestamp.microsecondsPerHour)
            let records = predictions(events)
            return (records.filter { $0.timestamp < cut }, records.filter { $0.timestamp >= cut })
        }
        func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }

        let bimodal = stream(.confidenceBimodal, amount: 0.25)
        let c0 = bimodal.before.map(\.confidence), c1 = bimodal.after.map(\.confidence)
        let mean0: Double = c0.reduce(0, +) / Double(c0.count)
        let mean1: Double = c1.reduce(0, +) / Double(c1.count)
        #expect(abs(mean1 - mean0) < 0.01, "means \(mean0) → \(mean1)")
        #expect(ks(c0, c1) > 0.08, "KS \(ks(c0, c1))")  // two halves of the control differ by about 0.01 at this size

        let spread = stream(.latencySpread, amount: 0.5)
        let t0 = spread.before.map(\.processingTime), t1 = spread.after.map(\.processingTime)
        #expect(abs(log(median(t1) / median(t0))) < 0.05, "medians \(median(t0)) → \(median(t1))")
        let sorted0 = t0.sorted()
        let p5 = sorted0[t0.count / 20], p95 = sorted0[t0.count * 19 / 20]
        let outside = Double(t1.filter { $0 < p5 || $0 > p95 }.count) / Double(t1.count)
        #expect(outside > 0.2, "share outside the old [p5, p95]: \(outside)")

        let newLabel = stream(.newLabel, amount: 0.03, label: "unknown")
        #expect(!newLabel.before.contains { $0.prediction == "unknown" })
        let share = Double(newLabel.after.filter { $0.prediction == "unknown" }.count) / Double(newLabel.after.count)
        #expect(abs(share - 0.03) < 0.01, "share \(share)")
    }

    @Test("realistic traffic: quiet nights, the weekend level and the surges")
    func trafficShape() {
        let scenario = Scenario.named("realistic-none")!
        let start = LocalTimestamp(isoformat: scenario.start!)!
        let events = Array(TrafficGenerator(scenario: scenario, seed: 1, start: start, ratePerSecond: 1))
        func perMinute(_ fromHour: Double, _ toHour: Double) -> Double {
            let a = start.adding(microseconds: Int64(fromHour * 3.6e9)), b = start.adding(microseconds: Int64(toHour * 3.6e9))
            return Double(events.filter { $0.timestamp >= a && $0.timestamp < b }.count) / ((toHour - fromHour) * 60)
        }
        let sundayNight = perMinute(1, 3), mondayNight = perMinute(25, 27)
        let sundayAfternoon = perMinute(13, 15), mondayAfternoon = perMinute(37, 39)
        #expect(sundayNight < 6 && mondayNight < 10, "nights: \(sundayNight), \(mondayNight) a minute")
        #expect(mondayAfternoon > 15 * mondayNight)
        #expect(abs(sundayAfternoon / mondayAfternoon - 0.6) < 0.08, "weekend level \(sundayAfternoon / mondayAfternoon)")
        // The Sunday 20:00 surge triples the traffic of the hour around it.
        #expect(perMinute(20.2, 20.8) > 2.3 * perMinute(21.2, 21.8))
        let errors = events.filter { if case .error = $0 { return true } else { return false } }.count
        #expect(abs(Double(errors) / Double(events.count) - 0.005) < 0.0015)
    }

    @Test("scenario files without the new optional fields still decode, and the realistic ones round-trip")
    func optionalFields() throws {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let old = try encoder.encode(Scenario.named("none")!)
        let text = String(decoding: old, as: UTF8.self)
        #expect(!text.contains("weekend") && !text.contains("surges") && !text.contains("\"start\""))
        #expect(try decoder.decode(Scenario.self, from: old) == Scenario.named("none")!)
        for scenario in Scenario.realistic {
            #expect(try decoder.decode(Scenario.self, from: try encoder.encode(scenario)) == scenario)
        }
    }
}
