import DriftDetection
import Foundation
import Monitoring
import MonitorNumerics

// Records a stream whose confidence drops, on a simulated clock, and prints
// the drift alert the live monitor raises: what README's library example does.
let base = FileManager.default.temporaryDirectory.appendingPathComponent("embedding-app-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: base) }
let clock = ManualMonitorClock(start: LocalTimestamp(isoformat: "2026-01-05T00:00:00")!)
var configuration = MonitorConfiguration()
configuration.driftDetector = .recommended
let monitor = try PredictionMonitor(baseDirectory: base, configuration: configuration, clock: clock) { alert in
    if alert.category == .drift { print(alert.message) }
}
var rng = SplitMix64(seed: 7)
for minute in 0..<180 {
    for _ in 0..<30 {
        let confidence = (minute < 120 ? 0.85 : 0.6) + 0.1 * (rng.nextUnitDouble() - 0.5)
        try monitor.recordPrediction(prediction: rng.next() % 3 == 0 ? "negative" : "positive", confidence: confidence,
                                     processingTime: 0.2, text: "an example request")
    }
    clock.advance(by: .seconds(60))
    monitor.tick()
}
try monitor.flush()
print("recorded \(monitor.totals.predictions) predictions")

// The metrics as typed values, and as the reference's JSON.
let metrics = monitor.currentMetrics()
if let percentiles = metrics.responseTimePercentiles {
    print("p99 processing time \(percentiles.p99) s, \(metrics.predictionDistribution["positive", default: 0]) positive")
}
let encoded = try JSONEncoder().encode(metrics)
let decoded = try JSONDecoder().decode(MonitoringMetrics.self, from: encoded)
print("Codable round trip: \(decoded.responseTimePercentiles == metrics.responseTimePercentiles ? "same" : "different") percentiles")
print(try ReferenceJSON.string(metrics).prefix(80))
