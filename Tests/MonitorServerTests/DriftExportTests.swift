import Foundation
import Monitoring
import MonitorServer
import Testing

@Suite("Drift in serve: gauges and alerts")
struct DriftExportTests {
    @Test("a confidence drop gives a drift score gauge at or above 1, a firing drift record in /v1/alerts, and its resolution")
    func driftExport() throws {
        let (server, directory, clock) = try makeServer()
        defer { try? FileManager.default.removeItem(at: directory.monitorURL.deletingLastPathComponent()) }
        let monitor = server.monitor
        func minute(_ confidence: Double) throws {
            for i in 0..<40 {
                try monitor.recordPrediction(prediction: i % 2 == 0 ? "a" : "b",
                                             confidence: confidence + 0.002 * Double(i % 10), processingTime: 0.2, text: "t")
            }
            clock.advance(by: .seconds(60))
            monitor.tick()
            server.updateDriftGauges()
        }
        for _ in 0..<70 { try minute(0.85) }
        let quiet = String(decoding: server.metrics.exposition(), as: UTF8.self)
        #expect(quiet.contains("driftlab_drift_score{metric=\"mean_confidence\"}"))
        for _ in 0..<10 { try minute(0.55) }
        let exposition = String(decoding: server.metrics.exposition(), as: UTF8.self)
        let scoreLine = exposition.split(separator: "\n").first { $0.hasPrefix("driftlab_drift_score{metric=\"mean_confidence\"}") }
        let records = server.recentAlerts.records()
        let drift = records.compactMap { record -> MonitorAlert? in
            if case .firing(let alert) = record, alert.category == .drift { return alert } else { return nil }
        }
        #expect(drift.contains { $0.metric == "mean_confidence" }, "\(records)")
        #expect(scoreLine != nil)
        // Back to the old level: the detector's resolution record resolves the statistic.
        for _ in 0..<60 { try minute(0.85) }
        let resolved = server.recentAlerts.records().contains { record in
            if case .resolved(let category, _, _) = record { return category == "drift/mean_confidence" } else { return false }
        }
        #expect(resolved)
    }
}
