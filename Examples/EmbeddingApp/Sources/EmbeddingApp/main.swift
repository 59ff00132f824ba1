import DriftDetection
import Foundation
import Monitoring
import MonitorNumerics

// Records a stream whose confidence drops, on a simulated clock, and prints the alerts the live
// monitor raises, taken from its alert stream: what README's library example does.
let base = FileManager.default.temporaryDirectory.appendingPathComponent("embedding-app-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: base) }
let clock = ManualMonitorClock(start: LocalTimestamp(isoformat: "2026-01-05T00:00:00")!)
var configuration = MonitorConfiguration()
configuration.driftDetector = .recommended
configuration.logger.logLevel = .warning  // swift-log: the alerts are printed from the stream below, not logged
let monitor = try PredictionMonitor(baseDirectory: base, configuration: configuration, clock: clock)

// Subscribe before recording: a stream gets the alerts raised after it was taken.
let alerts = monitor.alerts
let printer = Task {
    var count = 0
    for await alert in alerts {  // ends when the monitor stops
        count += 1
        switch (alert.status, alert.details) {
        case (.firing, .drift(let drift)):
            print(alert.message)
            print("  \(drift.statistic.rawValue): baseline \(drift.baseline ?? .nan) → \(drift.current ?? .nan) \(drift.units), "
                  + "score \(drift.score) (\(drift.detector))")
        case (.resolved, .drift(let drift)):
            print("resolved: \(drift.statistic.rawValue) back in its baseline band")
        case (.firing, .threshold(let threshold)):
            print("\(alert.message): \(threshold.metric) \(threshold.value) vs \(threshold.threshold)")
        case (.resolved, .threshold(let threshold)):
            print("resolved: \(alert.category.rawValue), \(threshold.metric) now \(threshold.value)")
        case (_, .errorRate(let errorRate)):
            print("\(alert.message) after \(errorRate.errorType)")
        }
    }
    return count
}

var rng = SplitMix64(seed: 7)
for minute in 0..<180 {
    for _ in 0..<30 {
        let confidence = (minute < 120 ? 0.85 : 0.55) + 0.1 * (rng.nextUnitDouble() - 0.5)
        try monitor.recordPrediction(prediction: rng.next() % 3 == 0 ? "negative" : "positive", confidence: confidence,
                                     processingTime: 0.2, text: "an example request")
    }
    clock.advance(by: .seconds(60))
    monitor.tick()
}
// The metrics as typed values, and as the reference's JSON.
let metrics = monitor.currentMetrics()
if let percentiles = metrics.responseTimePercentiles {
    print("p99 processing time \(percentiles.p99) s, \(metrics.predictionDistribution["positive", default: 0]) positive")
}
let encoded = try JSONEncoder().encode(metrics)
let decoded = try JSONDecoder().decode(MonitoringMetrics.self, from: encoded)
print("Codable round trip: \(decoded.responseTimePercentiles == metrics.responseTimePercentiles ? "same" : "different") percentiles")
print(try ReferenceJSON.string(metrics).prefix(80))

await monitor.stop()  // flushes, fsyncs and finishes the alert streams
let received = await printer.value
print("recorded \(monitor.totals.predictions) predictions; \(received) alerts from the stream")
