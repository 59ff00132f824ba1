import Foundation
@testable import Monitoring
import Testing

/// The `window_over_capacity` fixture: 1,500 predictions in the last 4.5
/// minutes, and the reference's answers with its `deque(maxlen=10000)`
/// (`expected.json`) and with `deque(maxlen=500)` (`expected_capacity_500.json`).
@Suite("Capacity truncation is never silent")
struct CapacityTruncationTests {
    static let name = "window_over_capacity"
    static var caseURL: URL { ReferenceFixtures.root.appendingPathComponent(name) }

    static func expected(_ file: String) throws -> JSONObject {
        let data = try Data(contentsOf: caseURL.appendingPathComponent(file))
        guard case .object(let object) = try data.withUnsafeBytes({ try JSONParser.parse($0.bindMemory(to: UInt8.self)) }) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return object
    }

    static let now = LocalTimestamp(isoformat: "2026-11-29T12:00:00")!

    @Test("a capacity of 500 gives the reference's figures for deque(maxlen=500), and the report says what it dropped")
    func loadReportFlagsTruncation() throws {
        let expected = try Self.expected("expected_capacity_500.json")
        let report = try MonitorReport.analyze(directory: MonitorDirectory.resolve(Self.caseURL.path), now: Self.now,
                                               hours: 24, capacity: 500)
        guard case .object(let actual) = report.jsonValue else { Issue.record("not an object"); return }
        for key in ["current_metrics", "prediction_patterns", "confidence_analysis"] {
            let differences = jsonDifferences(expected[key]!, actual[key]!, path: key,
                                              ignoring: ["current_metrics/timestamp", "current_metrics/total_predictions",
                                                         "current_metrics/error_rate"])
            #expect(differences.isEmpty, "\(differences.prefix(5))")
        }
        #expect(actual["current_metrics"]?["predictions_per_minute"] == .double(100))  // 300 a minute in truth
        #expect(report.load.truncatedByCapacity == LoadReport.CapacityTruncation(
            capacity: 500, droppedRecords: 1_000, requiredCapacity: 1_500, truncatesCurrentWindow: true))
        #expect(report.load.truncatedByCapacity?.suggestedCapacity == 1_500)
        #expect(report.load.truncatedByCapacity?.summary
                == "the window capacity of 500 dropped 1000 of the 1500 predictions of the load window, so the 5-minute metrics (current_metrics) see only the newest 500; a capacity of 1500 holds them")
    }

    @Test("the suggested capacity holds the window: the reference's figures for its own deque, and no truncation", arguments: [1_500, 10_000])
    func suggestedCapacityFits(capacity: Int) throws {
        let expected = try Self.expected("expected.json")
        let report = try MonitorReport.analyze(directory: MonitorDirectory.resolve(Self.caseURL.path), now: Self.now,
                                               hours: 24, capacity: capacity)
        guard case .object(let actual) = report.jsonValue else { Issue.record("not an object"); return }
        let differences = jsonDifferences(expected["current_metrics"]!, actual["current_metrics"]!, path: "current_metrics",
                                          ignoring: ["current_metrics/timestamp", "current_metrics/total_predictions",
                                                     "current_metrics/error_rate"])
        #expect(differences.isEmpty, "\(differences.prefix(5))")
        #expect(actual["current_metrics"]?["predictions_per_minute"] == .double(300))
        #expect(report.load.truncatedByCapacity == nil)
        #expect(report.load.predictions.evicted == 0)
    }

    @Test("dropped records older than five minutes leave current_metrics complete, and the report says so")
    func olderRecordsDropped() throws {
        // The 500 kept span the last ~90 s before 12:00; at 12:04:40 the five minutes start at 11:59:40, after the
        // oldest kept record, so every record of the window is held though the capacity dropped 1,000.
        let later = LocalTimestamp(isoformat: "2026-11-29T12:04:40")!
        let report = try MonitorReport.analyze(directory: MonitorDirectory.resolve(Self.caseURL.path), now: later,
                                               hours: 24, capacity: 500)
        let truncation = try #require(report.load.truncatedByCapacity)
        #expect(!truncation.truncatesCurrentWindow)
        #expect(truncation.summary.contains("the 5-minute metrics are complete"))
    }

    @Test("a restart over capacity logs one warning with the capacity that holds the day")
    func restartWarns() throws {
        let directory = try temporaryMonitorDirectory()
        try FileManager.default.removeItem(at: directory.monitorURL)
        try FileManager.default.copyItem(at: Self.caseURL.appendingPathComponent("monitor"), to: directory.monitorURL)
        let capture = LogCapture()
        var configuration = MonitorConfiguration()
        configuration.capacity = 500
        configuration.logger = capture.logger
        let monitor = try PredictionMonitor(directory: directory, configuration: configuration,
                                            clock: ManualMonitorClock(start: Self.now))
        #expect(monitor.loadReport.truncatedByCapacity?.droppedRecords == 1_000)
        let warnings = capture.messages(at: .warning)
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasSuffix("a capacity of 1500 holds them") == true)
        // Its first snapshot is cut too (the ring dropped records and its oldest is inside the five minutes): one live warning more.
        #expect(monitor.currentMetrics().predictionsPerMinute == 100)
        #expect(capture.messages(at: .warning).count == 2)
    }

    @Test("live: a full ring newer than five minutes logs one warning per run, with a capacity that fits")
    func liveWarning() throws {
        let clock = ManualMonitorClock(start: Self.now)
        let capture = LogCapture()
        var configuration = MonitorConfiguration()
        configuration.capacity = 500
        configuration.driftDetector = nil
        configuration.logger = capture.logger
        let monitor = PredictionMonitor(inMemoryWith: configuration, clock: clock)
        // 10 a second for two minutes: 1,200 predictions, of which the ring holds the last 50 seconds.
        for _ in 0..<1_200 {
            try monitor.recordPrediction(prediction: "a", confidence: 0.9, processingTime: 0.1, text: "x")
            clock.advance(by: .milliseconds(100))
        }
        #expect(capture.messages(at: .warning).isEmpty)  // nothing computed yet
        let metrics = monitor.tick().metrics
        #expect(metrics.predictionsPerMinute == 100)  // 500 / 5, as the reference's deque(maxlen=500) gives; 240 in truth
        let warnings = capture.messages(at: .warning)
        #expect(warnings.count == 1)
        // The ring spans 49.9 s: five minutes at that rate need 500 × 300 / 49.9 = 3,006.01, rounded up.
        #expect(warnings.first == "the window capacity of 500 holds only the last 49.9 s of predictions, so the 5-minute metrics see only part of them; a capacity of about 3007 holds five minutes at this rate")
        clock.advance(by: .seconds(10))
        monitor.tick()
        _ = monitor.currentMetrics()
        #expect(capture.messages(at: .warning).count == 1)  // once per run
    }

    @Test("live: a ring that is full but spans more than five minutes, or never dropped a record, does not warn")
    func noFalseWarning() throws {
        for (count, step) in [(600, Duration.seconds(1)), (500, Duration.milliseconds(100))] {
            let clock = ManualMonitorClock(start: Self.now)
            let capture = LogCapture()
            var configuration = MonitorConfiguration()
            configuration.capacity = 500
            configuration.driftDetector = nil
            configuration.logger = capture.logger
            let monitor = PredictionMonitor(inMemoryWith: configuration, clock: clock)
            for _ in 0..<count {
                try monitor.recordPrediction(prediction: "a", confidence: 0.9, processingTime: 0.1, text: "x")
                clock.advance(by: step)
            }
            monitor.tick()
            #expect(capture.messages(at: .warning).isEmpty, "\(count) records, one every \(step)")
        }
    }
}
