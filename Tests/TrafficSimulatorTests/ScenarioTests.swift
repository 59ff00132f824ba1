import MonitorNumerics
import Foundation
import Monitoring
import MonitorNumerics
import Testing
@testable import TrafficSimulator

let simulationStart = LocalTimestamp(isoformat: "2026-01-05T00:00:00")!

/// Statistics of the predictions in `[from, to)` hours after the start.
struct WindowStats {
    var count = 0
    var meanConfidence = 0.0
    var medianTime = 0.0
    var p99Time = 0.0
    var topLabelShare = 0.0
    var errorShare = 0.0
    var versionShare: [String: Double] = [:]
    var labelShare: [String: Double] = [:]

    /// Total variation distance between two windows' label mixes.
    func labelDistance(to other: WindowStats) -> Double {
        Set(labelShare.keys).union(other.labelShare.keys)
            .reduce(0) { $0 + abs((labelShare[$1] ?? 0) - (other.labelShare[$1] ?? 0)) } / 2
    }

    init(_ events: [SimulatedEvent], from: Double, to: Double) {
        let lower = simulationStart.adding(microseconds: Int64(from * 3.6e9))
        let upper = simulationStart.adding(microseconds: Int64(to * 3.6e9))
        let inWindow = events.filter { $0.timestamp >= lower && $0.timestamp < upper }
        let records = inWindow.compactMap { event -> PredictionRecord? in
            if case .prediction(let r) = event { return r }
            return nil
        }
        count = records.count
        guard count > 0 else { return }
        errorShare = Double(inWindow.count - records.count) / Double(inWindow.count)
        let confidences = records.map(\.confidence)
        meanConfidence = confidences.withUnsafeBufferPointer { Moments.mean($0) }
        let times = records.map(\.processingTime)
        let q = times.withUnsafeBufferPointer { Quantiles.linear($0, percentiles: [50, 99]) }
        (medianTime, p99Time) = (q[0], q[1])
        var labels = StringDictionary()
        let codes = records.map { labels.encode($0.prediction) }
        let histogram = codes.withUnsafeBufferPointer { LabelHistogram(counting: $0, codeCount: labels.count) }
        topLabelShare = Double(histogram.dominant!.count) / Double(count)
        for r in records {
            versionShare[r.modelVersion, default: 0] += 1 / Double(count)
            labelShare[r.prediction, default: 0] += 1 / Double(count)
        }
    }
}

func simulate(_ name: String, seed: UInt64 = 11, hours: Double = 6, severity: Double = 1) -> [SimulatedEvent] {
    Array(TrafficGenerator(scenario: Scenario.named(name)!, seed: seed, start: simulationStart,
                           duration: .hours(hours), ratePerSecond: 3, severity: severity))
}

@Suite("Scenarios")
struct ScenarioTests {
    @Test("the same seed gives the same bytes; another seed does not")
    func determinism() throws {
        func bytes(seed: UInt64) throws -> Data {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("driftlab-sim-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: url) }
            let generator = TrafficGenerator(scenario: Scenario.named("compound")!, seed: seed, start: simulationStart,
                                             duration: .hours(1))
            let writer = SimulationWriter(baseURL: url)
            _ = try writer.write(generator)
            return try Data(contentsOf: writer.directory.predictionsURL) + Data(contentsOf: writer.directory.alertsURL)
                + Data(contentsOf: writer.groundTruthURL)
        }
        let a = try bytes(seed: 42), b = try bytes(seed: 42), c = try bytes(seed: 43)
        #expect(a == b)
        #expect(a != c)
        #expect(a.count > 100_000)
    }

    @Test("the control is stationary: the same metrics before and after the midpoint")
    func controlIsStationary() {
        let events = simulate("none")
        let before = WindowStats(events, from: 2, to: 3), after = WindowStats(events, from: 3, to: 4)
        #expect(abs(before.meanConfidence - after.meanConfidence) < 0.01)
        #expect(abs(before.medianTime / after.medianTime - 1) < 0.06)
        #expect(before.labelDistance(to: after) < 0.03)
        #expect(abs(before.errorShare - after.errorShare) < 0.005)
    }

    @Test("each drift shows in the metrics it claims to affect", arguments: [
        "sudden-confidence-drop", "gradual-confidence-decay", "label-prior-shift", "single-label-collapse",
        "latency-regression", "latency-tail", "error-burst", "model-version-rollout", "compound",
    ])
    func driftVisible(name: String) {
        let events = simulate(name)
        let before = WindowStats(events, from: 1, to: 2), after = WindowStats(events, from: 5, to: 6)
        let burst = WindowStats(events, from: 3, to: 3.5)
        let affected = Scenario.named(name)!.affectedMetrics
        for metric in affected {
            switch metric {
            case "confidence": #expect(after.meanConfidence < before.meanConfidence - 0.05, "\(name)")
            case "processing_time":
                if name == "latency-tail" {
                    #expect(after.p99Time > 2 * before.p99Time, "\(name)")
                    #expect(abs(after.medianTime / before.medianTime - 1) < 0.15, "\(name): median should barely move")
                } else {
                    #expect(after.medianTime > 1.5 * before.medianTime, "\(name)")
                }
            case "label": #expect(after.labelDistance(to: before) > 0.15, "\(name)")
            case "error_rate": #expect(burst.errorShare > before.errorShare + 0.1, "\(name)")
            case "model_version": #expect((after.versionShare["v2"] ?? 0) > 0.95, "\(name)")
            default: Issue.record("unknown metric \(metric)")
            }
        }
        // Metrics a scenario does not claim stay put.
        if !affected.contains("confidence") { #expect(abs(after.meanConfidence - before.meanConfidence) < 0.02, "\(name)") }
        if !affected.contains("error_rate") { #expect(abs(after.errorShare - before.errorShare) < 0.01, "\(name)") }
    }

    @Test("recurring drift switches on and off, and its ground truth lists every interval")
    func recurring() {
        let events = simulate("recurring-drift")
        let on = WindowStats(events, from: 1, to: 1.5), off = WindowStats(events, from: 1.5, to: 2.5)
        #expect(on.meanConfidence < off.meanConfidence - 0.1)
        let truth = GroundTruth(scenario: Scenario.named("recurring-drift")!, seed: 1, severity: 1, ratePerSecond: 3,
                                start: simulationStart, duration: .hours(6), predictions: 0, errors: 0)
        #expect(truth.drifts[0].intervals.count == 4)
        #expect(truth.drifts[0].intervals[1].onset.isoformat == "2026-01-05T02:30:00")
        #expect(truth.drifts[0].intervals[1].offset?.isoformat == "2026-01-05T03:00:00")
    }

    @Test("severity scales the drift; severity 0 is the control")
    func severity() {
        let mild = WindowStats(simulate("sudden-confidence-drop", severity: 0.5), from: 5, to: 6)
        let full = WindowStats(simulate("sudden-confidence-drop", severity: 1), from: 5, to: 6)
        let none = WindowStats(simulate("sudden-confidence-drop", severity: 0), from: 5, to: 6)
        #expect(full.meanConfidence < mild.meanConfidence && mild.meanConfidence < none.meanConfidence)
    }

    @Test("the reference's loader reads what the simulator writes: DriftLab's loader, which matches it, loads every line")
    func writtenLogsLoad() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("driftlab-sim-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        let writer = SimulationWriter(baseURL: url)
        let truth = try writer.write(TrafficGenerator(scenario: Scenario.named("error-burst")!, seed: 3,
                                                      start: simulationStart, duration: .hours(4)))
        let (events, report) = try MonitorLoader.events(in: writer.directory)
        #expect(report.skippedLines == 0)
        #expect(events.count == truth.predictions + truth.errors)
        let json = try JSONParser.parse(String(contentsOf: writer.groundTruthURL, encoding: .utf8))
        #expect(GroundTruth(json: json) == truth)
    }
}
