import DriftDetection
import Foundation
import MonitorNumerics
import Synchronization

/// The live monitor: the reference's `PredictionMonitor`, safe to call from
/// many threads and tasks, with a durable JSON-lines log.
///
/// Recording takes one lock for a columnar append and a buffered log write;
/// the costly formatting of the log line happens before the lock. A
/// background loop (``start()``/``stop()``) snapshots metrics every
/// ``MonitorConfiguration/loopInterval``, raises alerts, and flushes pending
/// lines at least every ``MonitorConfiguration/FlushPolicy/maxDelay``.
public final class PredictionMonitor: Sendable {
    /// The monitor's files.
    public let directory: MonitorDirectory
    public let configuration: MonitorConfiguration
    /// What the restart restored and skipped (torn or garbage lines).
    public let loadReport: LoadReport
    /// Whether opening found a torn last line in a log and repaired it.
    public let repairedTornLines: [String]

    private let clock: any MonitorClock
    private let writesLogs: Bool
    private let alertHandler: (@Sendable (MonitorAlert) -> Void)?
    private let core: Mutex<Core>

    private struct Core: ~Copyable {
        var state: MonitorState
        var policy: AlertPolicy
        /// The logs; `nil` for an in-memory monitor.
        let predictionsLog: LogFile?
        let metricsLog: LogFile?
        let alertsLog: LogFile?
        var failedWrites = 0
        var lastWriteError: MonitorError?
        var headCache = PredictionLineEncoder.HeadCache()
        var loop: Task<Void, Never>?
        var flusher: Task<Void, Never>?
        /// Online drift detection; `nil` when no detector is configured.
        var drift: DriftTracking?

        mutating func flushPredictions(sync: Bool) {
            do {
                try predictionsLog?.flush(sync: sync)
            } catch {
                failedWrites += 1
                lastWriteError = error
            }
        }

        mutating func appendAndFlush(_ log: LogFile?, _ value: JSONValue, sync: Bool) {
            guard let log else { return }
            log.append(line: JSONWriter.string(value).utf8)
            do {
                try log.flush(sync: sync)
            } catch {
                failedWrites += 1
                lastWriteError = error
            }
        }
    }

    /// Opens (creating) a monitor directory, restores the last day as the
    /// reference does plus the lifetime counters, and repairs torn last lines.
    ///
    /// - Parameters:
    ///   - directory: Where the logs live.
    ///   - configuration: Window, loop, thresholds, flushing and rotation.
    ///   - clock: The time source (a ``ManualMonitorClock`` in tests).
    ///   - alertHandler: Called with each alert after it is logged.
    /// - Throws: ``MonitorError`` when the directory or a log cannot be opened.
    public init(directory: MonitorDirectory, configuration: MonitorConfiguration = MonitorConfiguration(),
                clock: any MonitorClock = SystemMonitorClock(),
                alertHandler: (@Sendable (MonitorAlert) -> Void)? = nil) throws(MonitorError) {
        self.directory = directory
        self.configuration = configuration
        self.clock = clock
        self.alertHandler = alertHandler
        writesLogs = true
        do {
            try FileManager.default.createDirectory(at: directory.monitorURL, withIntermediateDirectories: true)
        } catch {
            throw .unreadableFile(path: directory.monitorURL.path, reason: "\(error)")
        }
        let predictions = try LogFile(url: directory.predictionsURL, rotation: configuration.rotation)
        let metrics = try LogFile(url: directory.metricsURL, rotation: configuration.rotation)
        let alerts = try LogFile(url: directory.alertsURL, rotation: configuration.rotation)
        repairedTornLines = [predictions, metrics, alerts].filter(\.repairedTornLine).map(\.url.lastPathComponent)
        let loader = MonitorLoader(capacity: configuration.capacity,
                                   metricsHistoryCapacity: configuration.metricsHistoryCapacity,
                                   retention: configuration.restoreWindow.microseconds)
        let now = clock.now()
        let (state, report) = try loader.load(directory, now: now)
        loadReport = report
        var drift = Self.driftTracking(configuration)
        if drift != nil {
            let cutoff = now.adding(microseconds: -configuration.restoreWindow.microseconds)
            let events = try MonitorLoader.events(in: directory).0.filter { $0.timestamp >= cutoff }
            drift!.restore(events, reported: try MonitorLoader.reportedDrift(in: directory))
        }
        core = Mutex(Core(state: state,
                          policy: AlertPolicy(thresholds: configuration.performanceThresholds,
                                              cooldown: configuration.alertCooldown),
                          predictionsLog: predictions, metricsLog: metrics, alertsLog: alerts, drift: drift))
    }

    private static func driftTracking(_ configuration: MonitorConfiguration) -> DriftTracking? {
        configuration.driftDetector.map {
            DriftTracking(detector: $0.make(), intervalLength: max(1, configuration.driftInterval.microseconds))
        }
    }

    /// A monitor without logs: nothing is read at start or written, for
    /// embedding, replays and measuring the in-memory cost of recording.
    public init(inMemoryWith configuration: MonitorConfiguration = MonitorConfiguration(),
                clock: any MonitorClock = SystemMonitorClock(),
                alertHandler: (@Sendable (MonitorAlert) -> Void)? = nil) {
        directory = MonitorDirectory(monitorURL: URL(fileURLWithPath: "/dev/null"))
        self.configuration = configuration
        self.clock = clock
        self.alertHandler = alertHandler
        writesLogs = false
        repairedTornLines = []
        loadReport = LoadReport()
        core = Mutex(Core(state: MonitorState(capacity: configuration.capacity,
                                              metricsHistoryCapacity: configuration.metricsHistoryCapacity),
                          policy: AlertPolicy(thresholds: configuration.performanceThresholds,
                                              cooldown: configuration.alertCooldown),
                          predictionsLog: nil, metricsLog: nil, alertsLog: nil, drift: Self.driftTracking(configuration)))
    }

    /// Convenience: the monitor of a base directory, as `PredictionMonitor(base_dir)`.
    public convenience init(baseDirectory: URL, configuration: MonitorConfiguration = MonitorConfiguration(),
                            clock: any MonitorClock = SystemMonitorClock(),
                            alertHandler: (@Sendable (MonitorAlert) -> Void)? = nil) throws(MonitorError) {
        try self.init(directory: MonitorDirectory(monitorURL: baseDirectory.appendingPathComponent("monitor")),
                      configuration: configuration, clock: clock, alertHandler: alertHandler)
    }

    deinit {
        core.withLock { core in
            core.loop?.cancel()
            core.flusher?.cancel()
        }
    }

    // MARK: Recording

    /// Records one prediction, as `record_prediction`.
    ///
    /// - Parameters:
    ///   - prediction: The label; not empty.
    ///   - confidence: In `0...1`.
    ///   - processingTime: Seconds; finite and not negative.
    ///   - text: The input text: hashed, measured in code points and words.
    ///   - modelVersion: Defaults to `"unknown"`, as the reference.
    /// - Returns: The text hash (first 16 hex digits of its MD5), inline;
    ///   its ``TextHash/string`` is the reference's return value.
    /// - Throws: ``RecordingError``; nothing is recorded then.
    /// - Complexity: O(length of the text) outside the lock; O(1) amortised
    ///   inside it (one write per ``MonitorConfiguration/FlushPolicy/batchSize`` records).
    @discardableResult
    public func recordPrediction(prediction: String, confidence: Double, processingTime: Double, text: String,
                                 modelVersion: String = "unknown", clientID: String? = nil, userAgent: String? = nil,
                                 sessionID: String? = nil) throws(RecordingError) -> TextHash {
        try Self.validate(prediction: prediction, confidence: confidence, processingTime: processingTime)
        let hash = TextHash(of: text)
        let (length, words) = PythonText.measure(text)
        append(hash: hash, prediction: prediction, confidence: confidence, processingTime: processingTime,
               modelVersion: modelVersion, textLength: length, wordCount: words,
               clientID: clientID, userAgent: userAgent, sessionID: sessionID)
        return hash
    }

    /// Records a prediction whose text fields are already known (a replay or
    /// an import): its hash, length and word count are kept, its timestamp is
    /// replaced by the clock's reading.
    ///
    /// - Throws: ``RecordingError``; nothing is recorded then.
    public func recordPrediction(_ record: PredictionRecord) throws(RecordingError) {
        try Self.validate(prediction: record.prediction, confidence: record.confidence,
                          processingTime: record.processingTime)
        append(hash: record.textHash, prediction: record.prediction, confidence: record.confidence,
               processingTime: record.processingTime, modelVersion: record.modelVersion,
               textLength: record.textLength, wordCount: record.wordCount,
               clientID: record.clientID, userAgent: record.userAgent, sessionID: record.sessionID)
    }

    private static func validate(prediction: String, confidence: Double, processingTime: Double) throws(RecordingError) {
        guard !prediction.isEmpty else { throw .emptyLabel }
        guard confidence.isFinite else { throw .confidenceNotFinite(confidence) }
        guard (0...1).contains(confidence) else { throw .confidenceOutOfRange(confidence) }
        guard processingTime.isFinite, processingTime >= 0 else { throw .processingTimeInvalid(processingTime) }
    }

    /// The columnar append and the log line, under the lock. The line is
    /// written straight into the log's pending buffer (no array or string
    /// per record); the strings are borrowed, not retained.
    private func append<Hash: LineStringField>(
        hash: Hash, prediction: String, confidence: Double, processingTime: Double, modelVersion: String,
        textLength: Int, wordCount: Int, clientID: String?, userAgent: String?, sessionID: String?
    ) {
        let maxCount = writesLogs
            ? PredictionLineEncoder.maxLineCount(hash: hash, prediction: prediction, modelVersion: modelVersion,
                                                 clientID: clientID, userAgent: userAgent, sessionID: sessionID)
            : 0
        let batchSize = configuration.flush.batchSize
        let syncEveryWrite = configuration.flush.sync == .everyWrite
        core.withLock { core in
            let now = clock.now()
            core.state.append(timestamp: now, prediction: prediction, confidence: confidence,
                              processingTime: processingTime, modelVersion: modelVersion,
                              textLength: Int32(clamping: textLength), wordCount: Int32(clamping: wordCount))
            core.state.totalPredictions += 1
            core.drift?.addPrediction(at: now, label: prediction, confidence: confidence, processingTime: processingTime)
            guard let log = core.predictionsLog else { return }
            log.appendLine(maxCount: maxCount) { writer in
                PredictionLineEncoder.writeHead(now, cache: &core.headCache, to: &writer)
                PredictionLineEncoder.writeTail(hash: hash, prediction: prediction, confidence: confidence,
                                                processingTime: processingTime, modelVersion: modelVersion,
                                                textLength: textLength, wordCount: wordCount, clientID: clientID,
                                                userAgent: userAgent, sessionID: sessionID, to: &writer)
            }
            if log.pendingLines >= batchSize { core.flushPredictions(sync: syncEveryWrite) }
        }
    }

    /// Records one error, as `record_error`: the error record goes to
    /// `alerts.json` at once, then the critical error-rate alert if due.
    ///
    /// - Parameters:
    ///   - type: `error_type`.
    ///   - message: `error_message`.
    ///   - context: `context` (an empty object by default).
    public func recordError(type: String, message: String, context: JSONObject = JSONObject()) {
        recordErrorReturningAlert(type: type, message: message, context: context)
    }

    /// ``recordError(type:message:context:)``, returning the alert it raised, if any.
    @discardableResult
    public func recordErrorReturningAlert(type: String, message: String, context: JSONObject = JSONObject()) -> MonitorAlert? {
        let syncEveryWrite = configuration.flush.sync == .everyWrite
        let alert: MonitorAlert? = core.withLock { core in
            let now = clock.now()
            core.state.errorCount += 1
            core.drift?.addError(at: now)
            let record: JSONValue = .object(JSONObject([
                ("timestamp", .string(now.isoformat)), ("error_type", .string(type)), ("error_message", .string(message)),
                ("context", .object(context)), ("total_errors", .int(core.state.errorCount)),
                ("error_rate", .double(core.state.errorRate)),
            ]))
            core.appendAndFlush(core.alertsLog, record, sync: syncEveryWrite)
            let alert = core.policy.errorRateAlert(errorRate: core.state.errorRate, errorCount: core.state.errorCount,
                                                   totalRequests: core.state.totalPredictions + core.state.errorCount, at: now)
            if let alert { core.appendAndFlush(core.alertsLog, alert.jsonValue, sync: syncEveryWrite) }
            return alert
        }
        if let alert { alertHandler?(alert) }
        return alert
    }

    // MARK: Reading

    /// `get_current_metrics()`: the last five minutes.
    public func currentMetrics() -> MonitoringMetrics {
        core.withLock { $0.state.currentMetrics(at: clock.now()) }
    }

    /// `get_historical_metrics(hours)`: the snapshots of the look-back.
    public func historicalMetrics(hours: Double = 24) -> [MonitorState.HistoricalMetrics] {
        core.withLock { $0.state.historicalMetrics(hours: hours, at: clock.now()) }
    }

    /// `get_prediction_patterns(hours)`; `nil` for the reference's
    /// "No recent predictions found".
    public func predictionPatterns(hours: Double = 24) -> PredictionPatterns? {
        core.withLock { $0.state.predictionPatterns(hours: hours, at: clock.now()) }
    }

    /// `get_confidence_analysis()`; `nil` when the last hour is empty.
    public func confidenceAnalysis() -> ConfidenceAnalysis? {
        core.withLock { $0.state.confidenceAnalysis(at: clock.now()) }
    }

    /// `errors / (predictions + errors)` over the monitor's life, restarts
    /// included (the reference returns 0 before the first prediction).
    public func currentErrorRate() -> Double { core.withLock { $0.state.errorRate } }

    /// Predictions and errors recorded over the monitor's life.
    public var totals: (predictions: Int, errors: Int) {
        core.withLock { ($0.state.totalPredictions, $0.state.errorCount) }
    }

    /// The online drift detector's latest score per statistic (empty
    /// without a detector or before its first score). For the recommended
    /// detector a score of 1 is the alarm threshold.
    public var driftScores: [DriftStatistic: Double] {
        core.withLock { $0.drift?.scores ?? [:] }
    }

    /// Writes that failed (the lines stay pending and are retried) and the last reason.
    public var writeFailures: (count: Int, last: MonitorError?) {
        core.withLock { ($0.failedWrites, $0.lastWriteError) }
    }

    // MARK: Flushing and the loop

    /// Writes every pending line and, unless the sync policy is `.never`,
    /// `fsync`s the logs: after it returns the records survive a killed
    /// process (and, when synced, a power loss).
    ///
    /// - Throws: ``MonitorError`` when a write fails; unwritten lines stay pending.
    public func flush() throws(MonitorError) {
        let sync = configuration.flush.sync != .never
        let result = core.withLock { core -> MonitorError? in
            do throws(MonitorError) {
                try core.predictionsLog?.flush(sync: sync)
                try core.metricsLog?.flush(sync: sync)
                try core.alertsLog?.flush(sync: sync)
                return nil
            } catch {
                core.failedWrites += 1
                core.lastWriteError = error
                return error
            }
        }
        if let result { throw result }
    }

    /// The result of one loop iteration.
    public struct Tick: Sendable {
        public var metrics: MonitoringMetrics
        public var alerts: [MonitorAlert]
    }

    /// One iteration of the background loop, as `_monitoring_loop`: flush the
    /// pending predictions, snapshot the metrics into the history and
    /// `metrics.json`, and raise the performance alerts; then close the
    /// drift detector's interval if it has ended and report its alarms
    /// (stamped with their interval's end) as drift alerts.
    @discardableResult
    public func tick() -> Tick {
        let syncEveryWrite = configuration.flush.sync == .everyWrite
        let tick: Tick = core.withLock { core in
            let now = clock.now()
            core.flushPredictions(sync: syncEveryWrite)
            let windowIsEmpty = core.state.columns.withRecords(after: now.microseconds - MonitorState.currentWindow) { $0.isEmpty }
            let metrics = core.state.currentMetrics(at: now)
            guard case .object(let snapshot) = metrics.jsonValue else { preconditionFailure("metrics encode as an object") }
            core.state.appendMetrics(.init(timestamp: now, json: snapshot))
            core.appendAndFlush(core.metricsLog, .object(snapshot), sync: syncEveryWrite)
            var alerts = core.policy.performanceAlerts(for: metrics, windowIsEmpty: windowIsEmpty, at: now)
            if var drift = core.drift {
                for alarm in drift.takeAlarms(at: now) {
                    let alert = MonitorAlert.drift(alarm, labelName: drift.labelName(alarm.label))
                    if core.policy.admitDrift(alert) { alerts.append(alert) }
                }
                core.drift = drift
            }
            for alert in alerts { core.appendAndFlush(core.alertsLog, alert.jsonValue, sync: syncEveryWrite) }
            return Tick(metrics: metrics, alerts: alerts)
        }
        if let alertHandler { tick.alerts.forEach(alertHandler) }
        return tick
    }

    /// Whether the background loop runs.
    public var isRunning: Bool { core.withLock { $0.loop != nil } }

    /// Starts the background loop (a tick now, then one per interval) and the
    /// time-based flusher. Does nothing if already running.
    public func start() {
        let interval = configuration.loopInterval
        let maxDelay = configuration.flush.maxDelay
        let clock = self.clock
        core.withLock { core in
            guard core.loop == nil else { return }
            core.loop = Task { [weak self] in
                while !Task.isCancelled {
                    self?.tick()
                    do { try await clock.sleep(for: interval) } catch { return }
                }
            }
            core.flusher = Task { [weak self] in
                while !Task.isCancelled {
                    do { try await clock.sleep(for: maxDelay) } catch { return }
                    self?.core.withLock { $0.flushPredictions(sync: false) }
                }
            }
        }
    }

    /// Stops the loop promptly, waits for it to end, and flushes.
    public func stop() async {
        let tasks = core.withLock { core -> [Task<Void, Never>] in
            defer { core.loop = nil; core.flusher = nil }
            return [core.loop, core.flusher].compactMap { $0 }
        }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        try? flush()
    }
}
