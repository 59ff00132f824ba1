import MonitorNumerics
import Foundation
import Testing
@testable import Monitoring

func temporaryMonitorDirectory() throws -> MonitorDirectory {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("driftlab-monitor-\(UUID().uuidString)")
    let monitor = base.appendingPathComponent("monitor")
    try FileManager.default.createDirectory(at: monitor, withIntermediateDirectories: true)
    return MonitorDirectory(monitorURL: monitor)
}

func lines(of url: URL) throws -> [String] {
    let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
}

let testStart = LocalTimestamp(isoformat: "2026-11-29T12:00:00")!

@Suite("Python's text fields")
struct PythonTextTests {
    @Test("MD5 prefix, code points and words as Python counts them")
    func textFields() {
        #expect(PythonText.hash("hello world") == "5eb63bbbe01eeed0")
        #expect(PythonText.hash("naïve café 😀") == "8c5be7c3604c8667")
        let text = "  naïve\u{a0}café\tand\u{2003}more\u{200b}words  "
        #expect(PythonText.length(text) == 29)
        #expect(PythonText.wordCount(text) == 4)
        #expect(PythonText.wordCount("") == 0)
    }

    @Test("Python's .2f and .2% formats")
    func formats() {
        #expect(PythonFormat.fixed2(0.125) == "0.12")
        #expect(PythonFormat.fixed2(0.135) == "0.14")
        #expect(PythonFormat.percent2(0.0512) == "5.12%")
        #expect(PythonFormat.percent2(1.0 / 3) == "33.33%")
    }
}

@Suite("The live monitor")
struct PredictionMonitorTests {
    @Test("a recorded line is byte-identical to the reference's json.dumps")
    func lineFormat() throws {
        let directory = try temporaryMonitorDirectory()
        let clock = ManualMonitorClock(start: LocalTimestamp(isoformat: "2026-11-29T12:00:00.000250")!)
        let monitor = try PredictionMonitor(directory: directory, clock: clock)
        let hash = try monitor.recordPrediction(prediction: "café", confidence: 0.1, processingTime: 1e-05,
                                                text: "hello world", modelVersion: "v2", userAgent: "ua \"x\"", sessionID: "s1")
        #expect(hash.string == "5eb63bbbe01eeed0")
        try monitor.flush()
        // json.dumps of the same record, from Python (except text_length/word_count, here of "hello world").
        #expect(try lines(of: directory.predictionsURL) == [
            #"{"timestamp": "2026-11-29T12:00:00.000250", "text_hash": "5eb63bbbe01eeed0", "prediction": "caf\u00e9", "confidence": 0.1, "processing_time": 1e-05, "model_version": "v2", "text_length": 11, "word_count": 2, "client_id": null, "user_agent": "ua \"x\"", "session_id": "s1"}"#,
        ])
    }

    @Test("invalid input throws a typed error and records nothing", arguments: [
        ("", 0.5, 1.0, RecordingError.emptyLabel),
        ("a", .nan, 1.0, RecordingError.confidenceNotFinite(.nan)),
        ("a", 1.5, 1.0, RecordingError.confidenceOutOfRange(1.5)),
        ("a", -0.1, 1.0, RecordingError.confidenceOutOfRange(-0.1)),
        ("a", 0.5, -1.0, RecordingError.processingTimeInvalid(-1)),
        ("a", 0.5, .infinity, RecordingError.processingTimeInvalid(.infinity)),
    ])
    func validation(label: String, confidence: Double, time: Double, expected: RecordingError) throws {
        let directory = try temporaryMonitorDirectory()
        let monitor = try PredictionMonitor(directory: directory, clock: ManualMonitorClock(start: testStart))
        try monitor.recordPrediction(prediction: "ok", confidence: 0.9, processingTime: 0.1, text: "x")
        do {
            try monitor.recordPrediction(prediction: label, confidence: confidence, processingTime: time, text: "x")
            Issue.record("no error thrown")
        } catch {
            if confidence.isNaN { #expect(error.description == expected.description) } else { #expect(error == expected) }
        }
        try monitor.flush()
        #expect(monitor.totals.predictions == 1)
        #expect(try lines(of: directory.predictionsURL).count == 1)
        #expect(monitor.currentMetrics().predictionDistribution.keys.elements == ["ok"])
    }

    @Test("8 tasks × 100,000 records: exact counts, each record in the log exactly once")
    func concurrentRecording() async throws {
        let directory = try temporaryMonitorDirectory()
        var configuration = MonitorConfiguration()
        configuration.capacity = 1_000_000
        let monitor = try PredictionMonitor(directory: directory, configuration: configuration,
                                            clock: ManualMonitorClock(start: testStart))
        let perTask = 100_000
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for i in 0..<perTask {
                        try monitor.recordPrediction(prediction: "l\(i % 3)", confidence: 0.5, processingTime: 0.1,
                                                     text: "t", sessionID: "\(task)-\(i)")
                    }
                }
            }
            try await group.waitForAll()
        }
        try monitor.flush()
        #expect(monitor.totals.predictions == 8 * perTask)
        #expect(monitor.predictionPatterns()?.totalPredictions == 8 * perTask)
        let data = try Data(contentsOf: directory.predictionsURL)
        var seen = Set<String>()
        var lineCount = 0
        for line in data.split(separator: UInt8(ascii: "\n")) {
            lineCount += 1
            // The session id is the last string on the line: ..."session_id": "T-I"}
            let bytes = Array(line)
            guard bytes.count > 3, bytes[bytes.count - 1] == UInt8(ascii: "}") else { continue }
            let end = bytes.count - 2
            var start = end - 1
            while start > 0, bytes[start] != UInt8(ascii: "\"") { start -= 1 }
            seen.insert(String(decoding: bytes[(start + 1)..<end], as: UTF8.self))
        }
        #expect(lineCount == 8 * perTask)
        #expect(seen.count == 8 * perTask)
    }

    @Test("a tick snapshots metrics and raises alerts; a cooldown stops repeats; an empty window raises none")
    func loopTick() throws {
        let directory = try temporaryMonitorDirectory()
        let clock = ManualMonitorClock(start: testStart)
        var configuration = MonitorConfiguration()
        configuration.alertCooldown = .seconds(300)
        let monitor = try PredictionMonitor(directory: directory, configuration: configuration, clock: clock)

        let quiet = monitor.tick()
        #expect(quiet.alerts.isEmpty)  // the reference would alert "low average confidence: 0.00"

        for i in 0..<20 {
            try monitor.recordPrediction(prediction: "spam", confidence: 0.3, processingTime: i < 10 ? 12 : 9, text: "x")
        }
        let first = monitor.tick()
        #expect(first.alerts.map(\.category) == [.responseTime, .confidence, .anomaly])
        #expect(first.alerts.map(\.message) == ["Critical response time: 10.50s", "Low average confidence: 0.30",
                                                 "Anomaly detected: score 0.83"])
        clock.advance(by: .seconds(60))
        #expect(monitor.tick().alerts.isEmpty)  // within the cooldown
        clock.advance(by: .seconds(300))
        try monitor.recordPrediction(prediction: "spam", confidence: 0.3, processingTime: 12, text: "x")
        #expect(monitor.tick().alerts.count == 3)  // cooldown over, condition still holds

        #expect(try lines(of: directory.metricsURL).count == 4)
        #expect(monitor.historicalMetrics().count == 4)
        let alerts = try lines(of: directory.alertsURL)
        #expect(alerts.count == 6)
        guard case .object(let alert) = try JSONParser.parse(alerts[0]) else { Issue.record("not an object"); return }
        #expect(alert.keys == ["type", "category", "message", "threshold", "timestamp", "metrics_snapshot"])
    }

    @Test("errors count before the first prediction, and the error-rate alert fires once per cooldown")
    func errorsAndErrorRate() throws {
        let directory = try temporaryMonitorDirectory()
        let clock = ManualMonitorClock(start: testStart)
        let monitor = try PredictionMonitor(directory: directory, clock: clock)
        monitor.recordError(type: "timeout", message: "upstream", context: JSONObject([("request", "r1")]))
        #expect(monitor.currentErrorRate() == 1.0)
        monitor.recordError(type: "timeout", message: "again")
        let records = try lines(of: directory.alertsURL)
        #expect(records.count == 3)  // error, alert, error (the second alert is in its cooldown)
        #expect(records[0] == #"{"timestamp": "2026-11-29T12:00:00", "error_type": "timeout", "error_message": "upstream", "context": {"request": "r1"}, "total_errors": 1, "error_rate": 1.0}"#)
        #expect(records[1] == #"{"timestamp": "2026-11-29T12:00:00", "type": "critical", "category": "error_rate", "message": "Critical error rate reached: 100.00%", "error_count": 1, "total_requests": 1}"#)
    }

    @Test("a restart restores the day's predictions, the history and the lifetime counters")
    func restart() throws {
        let directory = try temporaryMonitorDirectory()
        let clock = ManualMonitorClock(start: testStart)
        do {
            let monitor = try PredictionMonitor(directory: directory, clock: clock)
            for i in 0..<50 {
                try monitor.recordPrediction(prediction: i % 2 == 0 ? "a" : "b", confidence: 0.8, processingTime: 0.3, text: "x")
            }
            for _ in 0..<5 { monitor.recordError(type: "e", message: "m") }
            monitor.tick()
            try monitor.flush()
        }
        clock.advance(by: .seconds(30))
        let restarted = try PredictionMonitor(directory: directory, clock: clock)
        #expect(restarted.totals == (50, 5))
        #expect(restarted.currentErrorRate() == 5.0 / 55.0)
        #expect(restarted.currentMetrics().predictionDistribution.values.elements == [25, 25])
        #expect(restarted.historicalMetrics().count == 1)
        #expect(restarted.loadReport.skippedLines == 0)
    }

    @Test("a torn last line is repaired by appending a newline, never by truncating")
    func tornLineRepair() throws {
        let directory = try temporaryMonitorDirectory()
        let good = #"{"timestamp": "2026-11-29T11:59:00", "text_hash": "h", "prediction": "a", "confidence": 0.9, "processing_time": 0.1, "model_version": "v", "text_length": 1, "word_count": 1}"#
        let torn = good + "\n" + String(good.prefix(40))
        try Data(torn.utf8).write(to: directory.predictionsURL)
        let clock = ManualMonitorClock(start: testStart)
        do {  // one writer at a time: the first monitor ends (and releases its lock) before the restart
            let monitor = try PredictionMonitor(directory: directory, clock: clock)
            #expect(monitor.repairedTornLines == ["predictions.json"])
            #expect(monitor.loadReport.predictions.skipped == 1)
            try monitor.recordPrediction(prediction: "b", confidence: 0.9, processingTime: 0.1, text: "x")
            try monitor.flush()
        }
        let content = try String(contentsOf: directory.predictionsURL, encoding: .utf8)
        #expect(content.hasPrefix(torn + "\n"))
        let restarted = try PredictionMonitor(directory: directory, clock: clock)
        #expect(restarted.totals.predictions == 2)
        #expect(restarted.loadReport.predictions.skipped == 1)
    }

    @Test("rotation keeps the logs bounded and a restart reads the rotated files")
    func rotation() throws {
        let directory = try temporaryMonitorDirectory()
        var configuration = MonitorConfiguration()
        configuration.rotation = .init(maxBytes: 10_000, retainedFiles: 2)
        configuration.flush.batchSize = 10
        let clock = ManualMonitorClock(start: testStart)
        do {  // one writer at a time
            let monitor = try PredictionMonitor(directory: directory, configuration: configuration, clock: clock)
            for _ in 0..<300 { try monitor.recordPrediction(prediction: "a", confidence: 0.9, processingTime: 0.1, text: "x") }
            try monitor.flush()
        }
        let fm = FileManager.default
        #expect(fm.fileExists(atPath: directory.predictionsURL.path + ".1"))
        #expect(fm.fileExists(atPath: directory.predictionsURL.path + ".2"))
        #expect(!fm.fileExists(atPath: directory.predictionsURL.path + ".3"))
        let kept = try [".2", ".1", ""].flatMap { try lines(of: URL(fileURLWithPath: directory.predictionsURL.path + $0)) }
        #expect(kept.count < 300)
        let restarted = try PredictionMonitor(directory: directory, configuration: configuration, clock: clock)
        #expect(restarted.totals.predictions == kept.count)
    }

    @Test("start runs the loop on the clock; stop ends it promptly and flushes")
    func startStop() async throws {
        let directory = try temporaryMonitorDirectory()
        let clock = ManualMonitorClock(start: testStart)
        var configuration = MonitorConfiguration()
        configuration.flush.batchSize = 1_000
        let monitor = try PredictionMonitor(directory: directory, configuration: configuration, clock: clock)
        monitor.start()
        #expect(monitor.isRunning)
        try await waitUntil { clock.sleeperCount == 2 }  // the loop and the flusher sleep
        try monitor.recordPrediction(prediction: "a", confidence: 0.9, processingTime: 0.1, text: "x")
        clock.advance(by: .seconds(1))  // the flusher writes the pending line
        try await waitUntil { ((try? lines(of: directory.predictionsURL)) ?? []).count == 1 }
        clock.advance(by: .seconds(59))  // the second tick
        try await waitUntil { ((try? lines(of: directory.metricsURL)) ?? []).count == 2 }
        await monitor.stop()
        #expect(!monitor.isRunning)
        #expect(clock.sleeperCount == 0)
    }

    func waitUntil(_ condition: @escaping () -> Bool) async throws {
        for _ in 0..<2_000 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("condition not reached in 10 s")
    }
}
