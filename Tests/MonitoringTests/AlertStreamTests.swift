import Foundation
import Logging
@testable import Monitoring
import ServiceLifecycle
import Testing

/// Collects a stream until it finishes.
private func collect(_ stream: AsyncStream<MonitorAlert>) -> Task<[MonitorAlert], Never> {
    Task {
        var alerts: [MonitorAlert] = []
        for await alert in stream { alerts.append(alert) }
        return alerts
    }
}

/// A configuration whose only rule that fires on the records below is the confidence one (one
/// label at low confidence would also raise the anomaly alert).
private func confidenceOnly() -> MonitorConfiguration {
    var configuration = MonitorConfiguration()
    configuration.performanceThresholds.anomalyScore = 10
    configuration.driftDetector = nil
    return configuration
}

/// A monitor whose window is low on confidence: the confidence alert fires at the next tick.
private func recordLowConfidence(_ monitor: PredictionMonitor, count: Int = 10) throws {
    for _ in 0..<count { try monitor.recordPrediction(prediction: "a", confidence: 0.3, processingTime: 0.1, text: "x") }
}

@Suite("Alert stream")
struct AlertStreamTests {
    @Test("every subscriber gets every alert, firing then resolved, with typed details; stop() finishes the streams")
    func firingAndResolved() async throws {
        let directory = try temporaryMonitorDirectory()
        let clock = ManualMonitorClock(start: testStart)
        let monitor = try PredictionMonitor(directory: directory, configuration: confidenceOnly(), clock: clock)
        let first = collect(monitor.alerts), second = collect(monitor.alerts)

        try recordLowConfidence(monitor)
        clock.advance(by: .seconds(1))
        let firing = monitor.tick()
        #expect(firing.alerts.map(\.status) == [.firing])
        for _ in 0..<40 { try monitor.recordPrediction(prediction: "a", confidence: 0.95, processingTime: 0.1, text: "x") }
        clock.advance(by: .seconds(60))
        let resolving = monitor.tick()
        #expect(resolving.alerts.map(\.status) == [.resolved])
        await monitor.stop()
        let got = await first.value
        #expect(got == (await second.value))
        #expect(got.map(\.status) == [.firing, .resolved])
        #expect(got.map(\.category) == [.confidence, .confidence])
        #expect(got.first?.details == .threshold(.init(metric: "avg_confidence", value: firing.metrics.avgConfidence,
                                                      threshold: 0.6, firesAbove: false, units: "fraction")))
        #expect(got.first?.snapshot == firing.metrics)
        // The resolution carries the value of the snapshot that resolved it: (10 × 0.3 + 40 × 0.95) / 50.
        guard case .threshold(let resolved)? = got.last?.details else { Issue.record("not a threshold alert"); return }
        #expect(resolved.value == resolving.metrics.avgConfidence && resolved.value > 0.6 && resolved.threshold == 0.6)
        #expect(got.last?.message == "confidence back within its threshold")
        #expect(got.last?.timestamp == clock.now())
        // alerts.json has the firing line only, as the reference writes it: no line for the resolution.
        let logged = try lines(of: directory.alertsURL)
        #expect(logged.count == 1)
        #expect(logged.first == (got.first.map { JSONWriter.string($0.jsonValue) }))
        #expect(logged.first?.hasPrefix(#"{"type": "warning", "category": "confidence", "message": "Low average confidence: 0.30", "threshold": 0.6, "timestamp": "2026-11-29T12:00:01", "metrics_snapshot": {"#) == true)
    }

    @Test("an empty window resolves a firing alert, with its own reason")
    func emptyWindowResolves() throws {
        let clock = ManualMonitorClock(start: testStart)
        let monitor = PredictionMonitor(inMemoryWith: confidenceOnly(), clock: clock)
        try recordLowConfidence(monitor)
        #expect(monitor.tick().alerts.count == 1)
        clock.advance(by: .seconds(301))
        let alerts = monitor.tick().alerts
        #expect(alerts.map(\.status) == [.resolved])
        #expect(alerts.first?.message == "no predictions in the last five minutes")
        #expect(monitor.tick().alerts.isEmpty)  // resolved once
    }

    @Test("the error-rate alert carries the error that raised it")
    func errorRateDetails() throws {
        let clock = ManualMonitorClock(start: testStart)
        let monitor = PredictionMonitor(inMemoryWith: MonitorConfiguration(), clock: clock)
        try monitor.recordPrediction(prediction: "a", confidence: 0.9, processingTime: 0.1, text: "x")
        let alert = try #require(monitor.recordErrorReturningAlert(type: "timeout", message: "upstream took 30 s"))
        #expect(alert.details == .errorRate(.init(errorRate: 0.5, threshold: 0.1, errorCount: 1, totalRequests: 2,
                                                  errorType: "timeout", errorMessage: "upstream took 30 s")))
        #expect(JSONWriter.string(alert.jsonValue)
                == #"{"timestamp": "2026-11-29T12:00:00", "type": "critical", "category": "error_rate", "message": "Critical error rate reached: 50.00%", "error_count": 1, "total_requests": 2}"#)
    }

    @Test("a slow consumer loses the oldest alerts beyond its buffer, counted and logged once; the loop never waits")
    func slowConsumer() async throws {
        let clock = ManualMonitorClock(start: testStart)
        let capture = LogCapture()
        var configuration = confidenceOnly()
        configuration.alertCooldown = .zero  // the condition holds: an alert every tick
        configuration.logger = capture.logger
        let monitor = PredictionMonitor(inMemoryWith: configuration, clock: clock)
        let stream = monitor.alerts(bufferingNewest: 2)
        let fast = collect(monitor.alerts)
        try recordLowConfidence(monitor)
        var raised: [MonitorAlert] = []
        for _ in 0..<5 {
            clock.advance(by: .seconds(10))
            raised += monitor.tick().alerts
        }
        #expect(raised.count == 5)
        #expect(monitor.droppedAlerts == 3)
        await monitor.stop()
        var kept: [MonitorAlert] = []
        for await alert in stream { kept.append(alert) }
        #expect(kept == Array(raised.suffix(2)))
        #expect(await fast.value == raised)
        #expect(capture.messages(at: .warning).count == 1)
        #expect(capture.messages(at: .notice).count == 5)  // each alert fired
    }

    @Test("a subscriber that stops listening is forgotten; the others go on")
    func cancelledSubscriber() async throws {
        let clock = ManualMonitorClock(start: testStart)
        var configuration = confidenceOnly()
        configuration.alertCooldown = .zero
        let monitor = PredictionMonitor(inMemoryWith: configuration, clock: clock)
        let gone = collect(monitor.alerts)
        gone.cancel()
        _ = await gone.value
        let kept = collect(monitor.alerts)
        try recordLowConfidence(monitor)
        monitor.tick()
        await monitor.stop()
        #expect(await kept.value.count == 1)
        #expect(monitor.droppedAlerts == 0)
    }

    @Test("alerts encode and decode as Codable with typed details")
    func codable() throws {
        let clock = ManualMonitorClock(start: testStart)
        let monitor = PredictionMonitor(inMemoryWith: MonitorConfiguration(), clock: clock)
        try recordLowConfidence(monitor)
        let alert = try #require(monitor.tick().alerts.first)
        let data = try JSONEncoder().encode(alert)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""kind":"threshold""#) && text.contains(#""metric":"avg_confidence""#))
        let decoded = try JSONDecoder().decode(MonitorAlert.self, from: data)
        #expect(decoded.details == alert.details && decoded.status == alert.status && decoded.message == alert.message
                && decoded.timestamp == alert.timestamp && decoded.severity == alert.severity)
        // The threshold alert's snapshot travels as the reference's `metrics_snapshot`.
        #expect(alert.snapshot != nil && text.contains(#""metrics_snapshot":{"#))
        #expect(decoded.snapshot == alert.snapshot)
        #expect(decoded == alert)
        let drift = MonitorAlert(severity: .warning, category: .drift, status: .resolved, message: "m", timestamp: testStart,
                                 details: .drift(.init(statistic: .labelMix, detector: "recommended", score: 0.5,
                                                       baseline: 0.6, current: nil, units: "fraction", label: "spam")))
        #expect(try JSONDecoder().decode(MonitorAlert.self, from: JSONEncoder().encode(drift)) == drift)
    }
}

@Suite("The monitor as a service")
struct MonitorServiceTests {
    @Test("a ServiceGroup runs the loop; graceful shutdown stops it, flushes, fsyncs and finishes the alert streams")
    func gracefulShutdown() async throws {
        let directory = try temporaryMonitorDirectory()
        var configuration = MonitorConfiguration()
        configuration.loopInterval = .seconds(3600)  // one tick, at start
        configuration.flush.maxDelay = .seconds(3600)  // only the shutdown's flush writes the predictions
        configuration.driftDetector = nil
        let monitor = try PredictionMonitor(directory: directory, configuration: configuration)
        let alerts = collect(monitor.alerts)
        let group = ServiceGroup(configuration: .init(services: [monitor], logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }))
        let running = Task { try await group.run() }
        for _ in 0..<250 where !monitor.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        #expect(monitor.isRunning)
        for _ in 0..<30 { try monitor.recordPrediction(prediction: "a", confidence: 0.9, processingTime: 0.1, text: "x") }
        for _ in 0..<4 { monitor.recordError(type: "timeout", message: "upstream") }  // 4 of 34 requests: the critical error rate
        #expect(try lines(of: directory.predictionsURL).isEmpty)  // fewer than a batch: pending
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(!monitor.isRunning)
        #expect(try lines(of: directory.predictionsURL).count == 30)
        #expect(monitor.writeStatus.unwrittenLines == 0)
        let received = await alerts.value  // finished by the shutdown
        #expect(received.map(\.category) == [.errorRate])
    }
}
