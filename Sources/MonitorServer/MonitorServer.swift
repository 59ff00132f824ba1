import DriftDetection
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Monitoring
import NIOCore
import ServiceLifecycle
import UnixSignals

/// How a ``MonitorServer`` listens and bounds its requests.
public struct MonitorServerConfiguration: Sendable, Equatable {
    /// The address to bind (`127.0.0.1` by default: the monitor sits beside its replica).
    public var host = "127.0.0.1"
    /// The port; 0 picks a free one (reported to `onServerRunning`).
    public var port = 9464
    /// The largest request body accepted; larger ones get 413.
    public var maxBodyBytes = 16 * 1024 * 1024
    /// Whether the monitor's background loop (snapshots, alerts, the
    /// one-second flusher) runs while serving.
    public var runsLoop = true
    /// How many alerts `GET /v1/alerts` can return.
    public var recentAlertCapacity = 1_000

    public init() {}

    /// Parses `HOST:PORT` (IPv6 as `[::1]:PORT`).
    ///
    /// - Returns: `nil` when the text is not an address with a port in `0...65535`.
    public static func parseListen(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(where: \.isWhitespace) else { return nil }
        return (host, port)
    }
}

/// `notebooks serve`: a live ``PredictionMonitor`` behind an HTTP server
/// (Hummingbird 2), with its series exported for Prometheus.
///
/// Endpoints: `POST /v1/predictions`, `POST /v1/errors`, `POST /v1/flush`,
/// `GET /v1/metrics`, `GET /v1/alerts?since=…`, `GET /metrics`, `GET /healthz`.
/// ``run(gracefulShutdownSignals:logger:onServerRunning:)`` serves until
/// SIGTERM or SIGINT, then stops taking requests, finishes those in flight,
/// stops the monitor's loop and flushes and fsyncs its logs.
public final class MonitorServer: Sendable {
    public let monitor: PredictionMonitor
    package let metrics: ServerMetrics
    package let recentAlerts: RecentAlerts
    public let configuration: MonitorServerConfiguration

    /// Opens (creating) the monitor directory and restores its last day.
    ///
    /// - Parameters:
    ///   - directory: The monitor's files.
    ///   - monitorConfiguration: Window, loop, thresholds, flushing and rotation.
    ///   - clock: The monitor's time source.
    ///   - configuration: Address and limits.
    ///   - onAlert: Called with each alert after it is logged and counted.
    /// - Throws: ``MonitorError`` when the directory or a log cannot be opened.
    public init(directory: MonitorDirectory, monitorConfiguration: MonitorConfiguration = MonitorConfiguration(),
                clock: any MonitorClock = SystemMonitorClock(),
                configuration: MonitorServerConfiguration = MonitorServerConfiguration(),
                onAlert: (@Sendable (MonitorAlert) -> Void)? = nil) throws(MonitorError) {
        let metrics = ServerMetrics()
        let recentAlerts = RecentAlerts(capacity: configuration.recentAlertCapacity)
        self.metrics = metrics
        self.recentAlerts = recentAlerts
        self.configuration = configuration
        monitor = try PredictionMonitor(directory: directory, configuration: monitorConfiguration, clock: clock,
                                        alertHandler: { alert in
                                            if alert.status == .firing { metrics.recordAlert(alert) }
                                            recentAlerts.record(alert)
                                            onAlert?(alert)
                                        })
    }

    // MARK: Routes

    /// The routes, for an application or a test.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        let ingestor = Ingestor(monitor: monitor, metrics: metrics)
        let limit = configuration.maxBodyBytes
        let monitor = self.monitor
        let metrics = self.metrics
        let recentAlerts = self.recentAlerts

        router.post("/v1/predictions") { request, _ -> Response in
            try await Self.ingest(request, limit: limit, ingestor: ingestor, as: .predictions)
        }
        router.post("/v1/errors") { request, _ -> Response in
            try await Self.ingest(request, limit: limit, ingestor: ingestor, as: .errors)
        }
        router.post("/v1/flush") { _, _ -> Response in
            do {
                try monitor.flush()
            } catch {
                return Self.json(.serviceUnavailable, ["error": .string("flush failed: \(error)")])
            }
            let totals = monitor.totals
            return Self.json(.ok, .object(JSONObject([("flushed", .bool(true)), ("predictions", .int(totals.predictions)),
                                                      ("errors", .int(totals.errors))])))
        }
        router.get("/v1/metrics") { request, _ -> Response in
            var hours = 24.0
            if let text = request.uri.queryParameters["hours"] {
                guard let value = Double(String(text)), value.isFinite, value > 0 else {
                    return Self.json(.badRequest, ["error": .string("hours must be a positive number, not '\(text)'")])
                }
                hours = value
            }
            return Self.json(.ok, MonitorReport(monitor: monitor, hours: hours).jsonValue)
        }
        router.get("/v1/alerts") { request, _ -> Response in
            var since: LocalTimestamp?
            if let text = request.uri.queryParameters["since"] {
                guard let value = LocalTimestamp(isoformat: String(text)) else {
                    return Self.json(.badRequest, ["error": .string("since must be a local ISO-8601 date-time, not '\(text)'")])
                }
                since = value
            }
            let records = recentAlerts.records(since: since)
            return Self.json(.ok, .object(JSONObject([("alerts", .array(records.map(\.jsonValue)))])))
        }
        router.get("/metrics") { [weak self] _, _ -> Response in
            self?.updateDriftGauges()
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers,
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
        router.get("/healthz") { _, _ -> Response in
            let totals = monitor.totals
            let failures = monitor.writeFailures
            var members: [(String, JSONValue)] = [("status", "ok"), ("predictions", .int(totals.predictions)),
                                                  ("errors", .int(totals.errors)), ("write_failures", .int(failures.count))]
            if let last = failures.last { members.append(("last_write_error", .string(last.description))) }
            return Self.json(.ok, .object(JSONObject(members)))
        }
        return router
    }

    /// Sets the drift-score gauges from the online detector's latest scores
    /// (1 = its alarm threshold), one per statistic; `GET /metrics` does it
    /// before each scrape.
    public func updateDriftGauges() {
        for (statistic, score) in monitor.driftScores { metrics.setDriftScore(score, metric: statistic.rawValue) }
    }

    private static func ingest(_ request: Request, limit: Int, ingestor: Ingestor,
                               as kind: Ingestor.Kind) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            return json(.contentTooLarge, ["error": .string("the body is \(length) bytes; the limit is \(limit)")])
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            return json(.contentTooLarge, ["error": .string("the body is over the limit of \(limit) bytes")])
        }
        guard body.readableBytes > 0 else { return json(.badRequest, ["error": "the body is empty"]) }
        let result = body.withUnsafeReadableBytes { raw in
            ingestor.ingest(raw.assumingMemoryBound(to: UInt8.self), as: kind)
        }
        if result.recorded == 0 && result.refusedForBacklog > 0 { return json(.serviceUnavailable, result.jsonValue) }
        guard result.recorded > 0 || result.rejected.isEmpty else { return json(.badRequest, result.jsonValue) }
        guard result.recorded > 0 else { return json(.badRequest, ["error": "the body holds no JSON line"]) }
        return json(.ok, result.jsonValue)
    }

    static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        var text = JSONWriter.string(value)
        text.append("\n")
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    // MARK: Running

    /// The Hummingbird application around ``router()``.
    public func application(logger: Logger? = nil,
                            onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol {
        Application(router: router(),
                    configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                            serverName: "driftlab"),
                    onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
                    logger: logger)
    }

    /// Serves until one of `gracefulShutdownSignals` arrives (or the task is
    /// cancelled), then stops accepting requests, lets those in flight
    /// finish, stops the monitor's loop and flushes and fsyncs the logs.
    ///
    /// The monitor is itself a service of the group (``PredictionMonitor/run()``),
    /// before the HTTP server, so that the group shuts the server down first.
    ///
    /// - Parameters:
    ///   - onServerRunning: Called with the bound port once the server listens.
    /// - Throws: What the server or the final flush threw.
    public func run(gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint], logger: Logger,
                    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = application(logger: logger, onServerRunning: onServerRunning)
        let services: [any Service] = configuration.runsLoop ? [monitor, app] : [app]
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: gracefulShutdownSignals,
                                                      logger: logger))
        guard !configuration.runsLoop else { return try await group.run() }
        // Without the loop the monitor is not a service of the group: flush it once the server has stopped.
        do {
            try await group.run()
        } catch {
            await monitor.stop()
            throw error
        }
        await monitor.stop()
        try monitor.flush()
    }
}
