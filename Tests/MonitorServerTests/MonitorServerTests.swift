import Foundation
import Hummingbird
import Logging
import Monitoring
import MonitorServer
import NIOCore
import Testing

let serverTestStart = LocalTimestamp(isoformat: "2026-11-29T12:00:00")!

/// A server on a fresh directory, a manual clock, no background loop, port 0.
func makeServer(maxBodyBytes: Int = 1 << 20) throws -> (MonitorServer, MonitorDirectory, ManualMonitorClock) {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("driftlab-serve-\(UUID().uuidString)")
    let directory = MonitorDirectory(monitorURL: base.appendingPathComponent("monitor"))
    let clock = ManualMonitorClock(start: serverTestStart)
    var configuration = MonitorServerConfiguration()
    configuration.port = 0
    configuration.maxBodyBytes = maxBodyBytes
    configuration.runsLoop = false
    let server = try MonitorServer(directory: directory, clock: clock, configuration: configuration)
    return (server, directory, clock)
}

func fileLines(_ url: URL) -> [String] {
    let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").map(String.init)
}

func json(_ response: TestResponse) throws -> JSONValue {
    try JSONParser.parse(String(buffer: response.body))
}

func prediction(_ label: String, _ confidence: Double, _ time: Double, version: String = "v1") -> String {
    #"{"prediction": "\#(label)", "confidence": \#(confidence), "processing_time": \#(time), "text": "some words here", "model_version": "\#(version)"}"#
}

@Suite("notebooks serve over loopback")
struct MonitorServerTests {
    @Test("good lines are recorded, each bad line is reported by number and records nothing")
    func goodAndBadLines() async throws {
        let (server, directory, _) = try makeServer()
        let body = [
            prediction("positive", 0.9, 0.1),
            #"{"prediction": "positive", "confidence": 0.8"#,            // 2: torn JSON
            prediction("negative", 0.7, 0.2),
            #"{"prediction": "positive", "confidence": 1.5, "processing_time": 0.1}"#, // 4: out of range
            #"{"confidence": 0.5, "processing_time": 0.1}"#,            // 5: no label
            "",                                                            // 6: blank, skipped
            #"{"error_type": "timeout", "error_message": "slow"}"#,       // 7: an error on the wrong endpoint
            #"[1, 2]"#,                                                    // 8: not an object
            prediction("positive", 0.6, 0.3, version: "v2"),
            #"{"prediction": "", "confidence": 0.5, "processing_time": 0.1}"#, // 10: empty label
            #"{"prediction": "x", "confidence": 0.5, "processing_time": -1}"#,  // 11: negative time
        ].joined(separator: "\n") + "\n"
        try await server.application().test(.live) { client in
            try await client.execute(uri: "/v1/predictions", method: .post, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
                let answer = try json(response)
                #expect(answer["recorded"] == .int(3))
                guard case .array(let rejected)? = answer["rejected"] else { Issue.record("no rejected list"); return }
                #expect(rejected.map { $0["line"] } == [2, 4, 5, 7, 8, 10, 11].map { .int($0) })
                #expect(rejected[1]["reason"]?.stringValue == "confidence 1.5 is outside [0, 1]")
                #expect(rejected[2]["reason"]?.stringValue == #"missing "prediction" (a string)"#)
                #expect(rejected[4]["reason"]?.stringValue == "not a JSON object")
            }
            try await client.execute(uri: "/v1/flush", method: .post) { response in
                #expect(response.status == .ok)
                let answer1 = try json(response)
                #expect(answer1["predictions"] == .int(3))
            }
        }
        let logged = fileLines(directory.predictionsURL)
        #expect(logged.count == 3)
        #expect(logged.map { try? JSONParser.parse($0)["prediction"]?.stringValue } == ["positive", "negative", "positive"])
        #expect(server.monitor.totals.predictions == 3)
        #expect(server.monitor.totals.errors == 0)
    }

    @Test("all lines bad, an empty body, or a body of blanks: 400 and nothing recorded")
    func allRejected() async throws {
        let (server, _, _) = try makeServer()
        try await server.application().test(.live) { client in
            let bad = "{\"prediction\": 3}\nnot json\n"
            try await client.execute(uri: "/v1/predictions", method: .post, body: ByteBuffer(string: bad)) { response in
                #expect(response.status == .badRequest)
                let answer = try json(response)
                #expect(answer["recorded"] == .int(0))
                #expect(answer["rejected"].map { if case .array(let a) = $0 { a.count } else { 0 } } == 2)
            }
            try await client.execute(uri: "/v1/predictions", method: .post, body: ByteBuffer()) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/predictions", method: .post, body: ByteBuffer(string: "\n  \n")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/errors", method: .post, body: ByteBuffer(string: prediction("a", 0.5, 0.1))) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains(#"missing \"error_type\""#))
            }
        }
        #expect(server.monitor.totals.predictions == 0)
        #expect(server.monitor.totals.errors == 0)
    }

    @Test("one pretty-printed object spanning lines is one prediction")
    func prettyObject() async throws {
        let (server, _, _) = try makeServer()
        let body = "{\n  \"prediction\": \"positive\",\n  \"confidence\": 0.75,\n  \"processing_time\": 0.5\n}\n"
        try await server.application().test(.live) { client in
            try await client.execute(uri: "/v1/predictions", method: .post, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
                let answer2 = try json(response)
                #expect(answer2["recorded"] == .int(1))
            }
            // The same without its confidence: one rejection that names the field, not one per line.
            let incomplete = "{\n  \"prediction\": \"positive\",\n  \"processing_time\": 0.5\n}\n"
            try await client.execute(uri: "/v1/predictions", method: .post, body: ByteBuffer(string: incomplete)) { response in
                #expect(response.status == .badRequest)
                let answer = try json(response)
                #expect(answer["rejected"] == [["line": 1, "reason": #"missing "confidence" (a number)"#]])
            }
        }
        #expect(server.monitor.totals.predictions == 1)
    }

    @Test("a body over the limit gets 413, records nothing, and the server keeps serving")
    func bodyLimit() async throws {
        let (server, _, _) = try makeServer(maxBodyBytes: 4_096)
        let big = Array(repeating: prediction("positive", 0.9, 0.1), count: 100).joined(separator: "\n")
        #expect(big.utf8.count > 4_096)
        try await server.application().test(.live) { client in
            try await client.execute(uri: "/v1/predictions", method: .post, body: ByteBuffer(string: big)) { response in
                #expect(response.status == .contentTooLarge)
            }
            try await client.execute(uri: "/v1/predictions", method: .post,
                                     body: ByteBuffer(string: prediction("positive", 0.9, 0.1))) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(server.monitor.totals.predictions == 1)
    }

    @Test("malformed query parameters and unknown routes get clean 4xx answers")
    func malformedRequests() async throws {
        let (server, _, _) = try makeServer()
        try await server.application().test(.live) { client in
            try await client.execute(uri: "/v1/alerts?since=yesterday", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/metrics?hours=-1", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/nothing", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                let answer3 = try json(response)
                #expect(answer3["status"] == "ok")
            }
        }
    }

    @Test("lines reach the disk only when due or flushed; POST /v1/flush returns after they are written")
    func flush() async throws {
        let (server, directory, _) = try makeServer()
        let body = (0..<5).map { prediction("p\($0 % 2)", 0.9, 0.1) }.joined(separator: "\n")
        try await server.application().test(.live) { client in
            try await client.execute(uri: "/v1/predictions", method: .post, body: ByteBuffer(string: body)) { response in
                let answer4 = try json(response)
                #expect(answer4["recorded"] == .int(5))
            }
            // Fewer than a batch of 100 and no loop: still pending.
            #expect(fileLines(directory.predictionsURL).count == 0)
            try await client.execute(uri: "/v1/flush", method: .post) { response in
                #expect(response.status == .ok)
            }
            #expect(fileLines(directory.predictionsURL).count == 5)
        }
    }

    @Test("GET /v1/metrics is exactly what notebooks analyze computes from the directory")
    func metricsMatchAnalyze() async throws {
        let (server, directory, clock) = try makeServer()
        let body = (0..<40).map { i in prediction(["a", "b", "c"][i % 3], 0.3 + Double(i % 7) / 10, 0.01 * Double(i % 11)) }
            .joined(separator: "\n")
        let fromServer: JSONValue = try await server.application().test(.live) { client in
            try await client.execute(uri: "/v1/predictions", method: .post, body: ByteBuffer(string: body)) { _ in }
            clock.advance(by: .seconds(30))
            try await client.execute(uri: "/v1/errors", method: .post,
                                     body: ByteBuffer(string: #"{"error_type": "timeout", "error_message": "slow"}"#)) { _ in }
            clock.advance(by: .seconds(30))
            try await client.execute(uri: "/v1/flush", method: .post) { _ in }
            return try await client.execute(uri: "/v1/metrics", method: .get) { try json($0) }
        }
        let analyzed = try MonitorReport.analyze(directory: directory, now: clock.now())
        #expect(fromServer == analyzed.jsonValue)
        #expect(fromServer["current_metrics"]?["total_predictions"] == .int(40))
    }

    @Test("GET /metrics counts predictions by label and version, errors by type, alerts, and fills the histograms")
    func prometheusExposition() async throws {
        let (server, _, _) = try makeServer()
        let body = [
            prediction("positive", 0.95, 0.004), prediction("positive", 0.55, 7.0),
            prediction("negative", 0.5, 0.3), prediction("positive", 0.9, 0.2, version: "v2"),
        ].joined(separator: "\n")
        let text: String = try await server.application().test(.live) { client in
            try await client.execute(uri: "/v1/predictions", method: .post, body: ByteBuffer(string: body)) { _ in }
            // 1 error in 5 requests: over the critical 10%, so record_error raises an alert.
            try await client.execute(uri: "/v1/errors", method: .post,
                                     body: ByteBuffer(string: #"{"error_type": "timeout", "error_message": "slow"}"#)) { response in
                #expect(response.status == .ok)
            }
            return try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                return String(buffer: response.body)
            }
        }
        let lines = Set(text.split(separator: "\n").map(String.init))
        #expect(lines.contains(#"driftlab_predictions_total{label="positive",model_version="v1"} 2"#))
        #expect(lines.contains(#"driftlab_predictions_total{label="negative",model_version="v1"} 1"#))
        #expect(lines.contains(#"driftlab_predictions_total{label="positive",model_version="v2"} 1"#))
        #expect(lines.contains(#"driftlab_errors_total{error_type="timeout"} 1"#))
        #expect(lines.contains(#"driftlab_alerts_total{category="error_rate",severity="critical"} 1"#))
        // Cumulative buckets: 0.5 | 0.55 | 0.9 | 0.95.
        #expect(lines.contains(#"driftlab_prediction_confidence_bucket{le="0.5"} 1"#))
        #expect(lines.contains(#"driftlab_prediction_confidence_bucket{le="0.55"} 2"#))
        #expect(lines.contains(#"driftlab_prediction_confidence_bucket{le="0.9"} 3"#))
        #expect(lines.contains(#"driftlab_prediction_confidence_bucket{le="0.95"} 4"#))
        #expect(lines.contains(#"driftlab_prediction_confidence_count 4"#))
        // 0.004 | 0.2 | 0.3 | 7.0 against the edges 0.005, 0.2, 0.3, 5, 7.5.
        #expect(lines.contains(#"driftlab_processing_time_seconds_bucket{le="0.005"} 1"#))
        #expect(lines.contains(#"driftlab_processing_time_seconds_bucket{le="0.2"} 2"#))
        #expect(lines.contains(#"driftlab_processing_time_seconds_bucket{le="5.0"} 3"#))
        #expect(lines.contains(#"driftlab_processing_time_seconds_bucket{le="7.5"} 4"#))
        // The drift gauges are set from the detector's scores before each scrape: 0 before its baseline is ready.
        let gauge = lines.first { $0.hasPrefix(#"driftlab_drift_score{metric="mean_confidence"} "#) }
        #expect(gauge.flatMap { Double($0.split(separator: " ").last ?? "") } == 0)
        server.metrics.setDriftScore(1.25, metric: "confidence")
        #expect(String(decoding: server.metrics.exposition(), as: UTF8.self)
            .contains(#"driftlab_drift_score{metric="confidence"} 1.25"#))
    }

    @Test("GET /v1/alerts lists the monitor's alerts since a time")
    func alerts() async throws {
        let (server, _, clock) = try makeServer()
        try await server.application().test(.live) { client in
            try await client.execute(uri: "/v1/predictions", method: .post, body: ByteBuffer(string: prediction("a", 0.9, 0.1))) { _ in }
            clock.advance(by: .seconds(10))
            try await client.execute(uri: "/v1/errors", method: .post,
                                     body: ByteBuffer(string: #"{"error_type": "oom", "error_message": "x"}"#)) { _ in }
            try await client.execute(uri: "/v1/alerts", method: .get) { response in
                #expect(response.status == .ok)
                guard case .array(let alerts)? = try json(response)["alerts"] else { Issue.record("no alerts list"); return }
                #expect(alerts.count == 1)
                #expect(alerts.first?["status"] == "firing")
                #expect(alerts.first?["category"] == "error_rate")
                #expect(alerts.first?["type"] == "critical")
                #expect(alerts.first?["timestamp"] == "2026-11-29T12:00:10")
            }
            try await client.execute(uri: "/v1/alerts?since=2026-11-29T12:00:11", method: .get) { response in
                let answer5 = try json(response)
                #expect(answer5["alerts"] == .array([]))
            }
        }
    }
}

@Suite("Alert states")
struct AlertStateTests {
    @Test("a firing category gets a resolved record once a later snapshot no longer meets its condition")
    func resolved() async throws {
        let (server, _, clock) = try makeServer()
        let low = (0..<10).map { _ in prediction("a", 0.3, 0.1) }.joined(separator: "\n")
        let high = (0..<300).map { _ in prediction("a", 0.95, 0.1) }.joined(separator: "\n")
        let records: [JSONValue] = try await server.application().test(.live) { client in
            try await client.execute(uri: "/v1/predictions", method: .post, body: ByteBuffer(string: low)) { _ in }
            clock.advance(by: .seconds(1))
            let tick = server.monitor.tick()
            #expect(tick.alerts.contains { $0.category == .confidence })
            // The tick's own snapshot: nothing resolves.
            #expect(server.recentAlerts.firingCategories.contains("confidence"))
            try await client.execute(uri: "/v1/predictions", method: .post, body: ByteBuffer(string: high)) { _ in }
            clock.advance(by: .seconds(60))
            server.monitor.tick()  // its snapshot no longer meets the condition: the monitor resolves the alert
            return try await client.execute(uri: "/v1/alerts", method: .get) { response in
                guard case .array(let alerts)? = try json(response)["alerts"] else { return [] }
                return alerts.filter { $0["category"] == "confidence" }
            }
        }
        #expect(records.map { $0["status"] } == ["firing", "resolved"])
        #expect(records.last?["timestamp"] == "2026-11-29T12:01:01")
        #expect(!server.recentAlerts.firingCategories.contains("confidence"))
    }

    @Test("an empty window resolves every firing threshold category; drift waits for its detector")
    func emptyWindow() throws {
        let clock = ManualMonitorClock(start: serverTestStart)
        let alerts = RecentAlerts()
        let monitor = PredictionMonitor(inMemoryWith: MonitorConfiguration(), clock: clock, alertHandler: alerts.record)
        try monitor.recordPrediction(prediction: "a", confidence: 0.9, processingTime: 0.1, text: "")
        #expect(monitor.recordErrorReturningAlert(type: "e", message: "") != nil)  // 50% of requests
        clock.advance(by: .seconds(60))
        monitor.tick()
        #expect(alerts.firingCategories == ["error_rate"])
        clock.advance(by: .seconds(360))
        monitor.tick()
        #expect(alerts.firingCategories.isEmpty)
        #expect(alerts.records().last == .resolved(category: "error_rate", timestamp: clock.now(),
                                                   reason: "no predictions in the last five minutes"))
        alerts.resolve(category: "drift", at: clock.now(), reason: "never fired")
        #expect(alerts.records().count == 2)
    }
}

@Suite("The fleet's rules")
struct PrometheusRulesTests {
    @Test("the rules aggregate over replicas with the reference's thresholds")
    func rules() {
        let text = PrometheusRules().render()
        #expect(text.contains("histogram_quantile(0.95, sum by (le) (rate(driftlab_processing_time_seconds_bucket[5m]))) > 5"))
        #expect(text.contains("histogram_quantile(0.95, sum by (le) (rate(driftlab_processing_time_seconds_bucket[5m]))) > 10"))
        #expect(text.contains("sum(rate(driftlab_prediction_confidence_sum[5m])) / sum(rate(driftlab_prediction_confidence_count[5m])) < 0.6"))
        #expect(text.contains("> 0.05'"))
        #expect(text.contains("> 0.1'"))
        #expect(text.contains("max by (metric) (driftlab_drift_score) >= 1"))
        var fast = PrometheusRules()
        fast.window = "15s"
        fast.forOverride = "2s"
        let fastText = fast.render()
        #expect(fastText.contains("[15s]"))
        #expect(!fastText.contains("for: 2m"))
        #expect(fastText.components(separatedBy: "for: 2s").count - 1 == fast.rules.count)
    }

    @Test("--listen parses HOST:PORT and refuses anything else")
    func listen() {
        #expect(MonitorServerConfiguration.parseListen("127.0.0.1:9464")! == ("127.0.0.1", 9464))
        #expect(MonitorServerConfiguration.parseListen("[::1]:0")! == ("::1", 0))
        #expect(MonitorServerConfiguration.parseListen("localhost") == nil)
        #expect(MonitorServerConfiguration.parseListen("127.0.0.1:70000") == nil)
        #expect(MonitorServerConfiguration.parseListen(":80") == nil)
    }
}

@Suite("Server metrics and alerts")
struct ServerMetricsTests {
    @Test("label values past the series limit are counted as __other__")
    func seriesLimit() {
        let metrics = ServerMetrics(seriesLimit: 2)
        metrics.recordPredictions([
            EventLine.Prediction(label: "a", confidence: 0.9, processingTime: 0.1),
            EventLine.Prediction(label: "a", confidence: 0.9, processingTime: 0.1),
        ])
        metrics.recordPredictions([EventLine.Prediction(label: "b", confidence: 0.9, processingTime: 0.1)])
        metrics.recordPredictions([
            EventLine.Prediction(label: "c", confidence: 0.9, processingTime: 0.1),
            EventLine.Prediction(label: "d", confidence: 0.9, processingTime: 0.1, modelVersion: "v9"),
        ])
        for type in ["e1", "e2", "e3", "e1"] { metrics.recordError(type: type) }
        let lines = Set(String(decoding: metrics.exposition(), as: UTF8.self).split(separator: "\n").map(String.init))
        #expect(lines.contains(#"driftlab_predictions_total{label="a",model_version="unknown"} 2"#))
        #expect(lines.contains(#"driftlab_predictions_total{label="b",model_version="unknown"} 1"#))
        #expect(lines.contains(#"driftlab_predictions_total{label="__other__",model_version="__other__"} 2"#))
        #expect(!lines.contains { $0.contains(#"label="c""#) || $0.contains(#"label="d""#) })
        #expect(lines.contains(#"driftlab_errors_total{error_type="e1"} 2"#))
        #expect(lines.contains(#"driftlab_errors_total{error_type="__other__"} 1"#))
        #expect(lines.contains(#"driftlab_prediction_confidence_count 5"#))
    }

    @Test("recent alerts keep the newest up to their capacity")
    func recentAlerts() {
        let alerts = RecentAlerts(capacity: 2)
        var policy = AlertPolicy(thresholds: MonitorConfiguration.PerformanceThresholds(), cooldown: .zero)
        let times = (0..<3).map { serverTestStart.adding(microseconds: Int64($0) * 1_000_000) }
        for time in times {
            guard let alert = policy.errorRateAlert(errorRate: 0.5, errorCount: 1, totalRequests: 2, at: time) else {
                Issue.record("no alert at an error rate of 50%")
                return
            }
            alerts.record(alert)
        }
        #expect(alerts.alerts().map(\.timestamp) == Array(times[1...]))
        #expect(alerts.alerts(since: serverTestStart.adding(microseconds: 1_500_000)).map(\.timestamp) == [times[2]])
    }
}

@Suite("Running the server")
struct ServerRunTests {
    @Test("run: the monitor is a service of the group; cancelling the run stops the server and flushes the logs",
          arguments: [true, false])
    func runFlushes(runsLoop: Bool) async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("driftlab-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let directory = MonitorDirectory(monitorURL: base.appendingPathComponent("monitor"))
        var monitorConfiguration = MonitorConfiguration()
        monitorConfiguration.flush.maxDelay = .seconds(3600)  // only the shutdown writes the pending lines
        monitorConfiguration.loopInterval = .seconds(3600)
        var configuration = MonitorServerConfiguration()
        configuration.port = 0
        configuration.runsLoop = runsLoop
        let server = try MonitorServer(directory: directory, monitorConfiguration: monitorConfiguration,
                                       configuration: configuration)
        let (ports, portsContinuation) = AsyncStream.makeStream(of: Int.self)
        let running = Task {
            try await server.run(gracefulShutdownSignals: [], logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }) { port in
                portsContinuation.yield(port)
            }
        }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next()
        #expect((port ?? 0) > 0)
        #expect(server.monitor.isRunning == runsLoop)
        for _ in 0..<7 { try server.monitor.recordPrediction(prediction: "a", confidence: 0.9, processingTime: 0.1, text: "x") }
        #expect(fileLines(directory.predictionsURL).isEmpty)  // pending: fewer than a batch
        running.cancel()
        _ = await running.result
        #expect(!server.monitor.isRunning)
        #expect(fileLines(directory.predictionsURL).count == 7)
        #expect(server.monitor.writeStatus.unwrittenLines == 0)
    }
}
