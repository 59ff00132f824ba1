import DriftDetection
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif
import MonitorNumerics
import ServiceLifecycle
import Synchronization

/// The live monitor: the reference's `PredictionMonitor`, safe to call from
/// many threads and tasks, with a durable JSON-lines log.
///
/// Recording takes one lock for a columnar append and a buffered log write;
/// the costly formatting of the log line happens before the lock. A
/// background loop (``start()``/``stop()``) snapshots metrics every
/// ``MonitorConfiguration/loopInterval``, raises alerts, and flushes pending
/// lines at least every ``MonitorConfiguration/FlushPolicy/maxDelay``.
///
/// Alerts, firing and resolved, reach consumers through ``alerts`` (an
/// `AsyncStream` per subscriber) and the `alertHandler` of the initialisers;
/// the monitor logs through ``MonitorConfiguration/logger``. As a
/// swift-service-lifecycle `Service` its ``run()`` runs the loop until a
/// graceful shutdown, then flushes and fsyncs the logs.
public final class PredictionMonitor: Sendable {
    /// The monitor's files.
    public let directory: MonitorDirectory
    public let configuration: MonitorConfiguration
    /// What the restart restored and skipped (torn or garbage lines).
    public let loadReport: LoadReport
    /// Whether opening found a torn last line in a log and repaired it (or,
    /// on a full disk, deferred the repair: see ``startupWriteError``).
    public let repairedTornLines: [String]
    /// Why a log could not be written when the monitor opened (a full or
    /// read-only file system): the monitor then opens degraded, serving reads
    /// from what it restored, with any torn-line repair deferred and every
    /// write retried. `nil` when the logs were writable.
    public let startupWriteError: MonitorError?

    private let clock: any MonitorClock
    private let writesLogs: Bool
    private let alertHandler: (@Sendable (MonitorAlert) -> Void)?
    private let core: Mutex<Core>
    private let subscribers = Mutex(Subscribers())
    /// ``MonitorConfiguration/logger``.
    private let logger: Logger

    /// The alert stream's subscribers, apart from the core's lock so that a
    /// subscriber's termination never waits on recording.
    private struct Subscribers {
        var nextID = 0
        var continuations: [Int: AsyncStream<MonitorAlert>.Continuation] = [:]
        /// Alerts dropped from full subscriber buffers.
        var dropped = 0
        /// The subscribers that dropped an alert (each is logged once).
        var dropping: Set<Int> = []
    }

    private struct Core: ~Copyable {
        var state: MonitorState
        var policy: AlertPolicy
        /// The logs; `nil` for an in-memory monitor.
        let predictionsLog: LogFile?
        let metricsLog: LogFile?
        let alertsLog: LogFile?
        /// The exclusive writer lock, held for the monitor's life.
        let writerLock: WriterLock?
        /// ``MonitorConfiguration/FlushPolicy/maxPendingLines``.
        let maxPendingLines: Int
        var failedWrites = 0
        var lastWriteError: MonitorError?
        /// Whether the last write failed (a failure streak is reported once).
        var failing = false
        /// Snapshot and alert lines not queued because their log's backlog was full.
        var droppedLines = 0
        /// Predictions refused with ``RecordingError/logBacklogFull(pendingLines:reason:)``.
        var refusedPredictions = 0
        var failureHandler: (@Sendable (MonitorError) -> Void)?
        var headCache = PredictionLineEncoder.HeadCache()
        var loop: Task<Void, Never>?
        var flusher: Task<Void, Never>?
        /// Online drift detection; `nil` when no detector is configured.
        var drift: DriftTracking?
        /// Where write failures and rotations are logged (``MonitorConfiguration/logger``).
        let logger: Logger
        /// Whether the window has dropped a record for its capacity (at
        /// recording, or when the restart loaded the logs).
        var windowEvicted = false
        /// Whether the live warning of a truncated 5-minute window was logged.
        var warnedTruncation = false

        var logs: [LogFile] { [predictionsLog, metricsLog, alertsLog].compactMap { $0 } }

        mutating func flushPredictions(sync: Bool) {
            flush(predictionsLog, sync: sync)
        }

        /// Flushes one log, recording a failure (and reporting the first of a streak).
        @discardableResult
        mutating func flush(_ log: LogFile?, sync: Bool) -> MonitorError? {
            guard let log else { return nil }
            let rotations = log.rotations
            do {
                try log.flush(sync: sync)
                if failing, logs.allSatisfy({ $0.failure == nil }) {
                    failing = false
                    logger.notice("log writes succeed again", metadata: ["path": "\(log.url.path)"])
                }
                if log.rotations != rotations {
                    logger.info("rotated \(log.url.lastPathComponent)", metadata: ["path": "\(log.url.path)"])
                }
                return nil
            } catch {
                noteFailure(error)
                return error
            }
        }

        mutating func noteFailure(_ error: MonitorError) {
            failedWrites += 1
            lastWriteError = error
            if !failing {
                failing = true
                logger.error("\(error); unwritten lines stay in memory (up to \(maxPendingLines)) and are retried",
                             metadata: ["pending_predictions": "\(predictionsLog?.pendingLines ?? 0)"])
                failureHandler?(error)
            }
        }

        /// Whether the 5-minute window at `now` is cut by the capacity: the
        /// ring is full, has dropped records, and its oldest record is inside
        /// the window. True once per run (the first time), for the live warning.
        mutating func windowTruncationDue(at now: LocalTimestamp) -> Bool {
            guard !warnedTruncation, windowEvicted, state.columns.count == state.columns.capacity,
                  state.columns[0].timestamp > now.microseconds - MonitorState.currentWindow else { return false }
            warnedTruncation = true
            return true
        }

        /// Queues a snapshot or alert line and writes it; past the backlog
        /// limit the line is not queued but counted in ``droppedLines``.
        mutating func appendAndFlush(_ log: LogFile?, _ value: JSONValue, sync: Bool) {
            guard let log else { return }
            if log.pendingLines >= maxPendingLines {
                flush(log, sync: sync)
                if log.pendingLines >= maxPendingLines {
                    droppedLines += 1
                    return
                }
            }
            log.append(line: JSONWriter.string(value).utf8)
            flush(log, sync: sync)
        }
    }

    /// Opens (creating) a monitor directory for writing, restores the last
    /// day as the reference does plus the lifetime counters, and repairs torn
    /// last lines.
    ///
    /// The monitor holds an exclusive advisory lock on the directory
    /// (`flock` on `writer.lock`, which records its pid) for its whole life;
    /// readers such as ``MonitorLoader`` take none. On a full or read-only
    /// file system it still opens (see ``startupWriteError``).
    ///
    /// - Parameters:
    ///   - directory: Where the logs live.
    ///   - configuration: Window, loop, thresholds, flushing and rotation.
    ///   - clock: The time source (a ``ManualMonitorClock`` in tests).
    ///   - alertHandler: Called with each alert after it is logged.
    /// - Throws: ``MonitorError/lockedByAnotherWriter(path:pid:)`` when
    ///   another monitor (in this or another process) writes the directory;
    ///   ``MonitorError`` when the directory or a log cannot be opened or read.
    public convenience init(directory: MonitorDirectory, configuration: MonitorConfiguration = MonitorConfiguration(),
                            clock: any MonitorClock = SystemMonitorClock(),
                            alertHandler: (@Sendable (MonitorAlert) -> Void)? = nil) throws(MonitorError) {
        try self.init(directory: directory, configuration: configuration, clock: clock, alertHandler: alertHandler,
                      write: { Glibc.write($0, $1, $2) })
    }

    /// The writing monitor with an injected `write(2)` (tests simulate a full disk with it).
    ///
    /// - Precondition: `configuration` is in range (``MonitorConfiguration/validate()``).
    init(directory: MonitorDirectory, configuration: MonitorConfiguration, clock: any MonitorClock,
         alertHandler: (@Sendable (MonitorAlert) -> Void)?, write: @escaping LogFile.WriteFunction) throws(MonitorError) {
        configuration.preconditionValid()
        self.directory = directory
        self.configuration = configuration
        self.clock = clock
        self.alertHandler = alertHandler
        logger = configuration.logger
        writesLogs = true
        do {
            try FileManager.default.createDirectory(at: directory.monitorURL, withIntermediateDirectories: true)
        } catch {
            throw .writeFailed(path: directory.monitorURL.path, reason: "cannot create the directory: \((error as NSError).localizedDescription)")
        }
        let lock = try WriterLock.acquire(directory)
        let predictions = try LogFile(url: directory.predictionsURL, rotation: configuration.rotation, write: write)
        let metrics = try LogFile(url: directory.metricsURL, rotation: configuration.rotation, write: write)
        let alerts = try LogFile(url: directory.alertsURL, rotation: configuration.rotation, write: write)
        repairedTornLines = [predictions, metrics, alerts].filter(\.repairedTornLine).map(\.url.lastPathComponent)
        let startFailures = [predictions, metrics, alerts].compactMap(\.failure)
        startupWriteError = startFailures.first
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
        var core = Core(state: state,
                        policy: AlertPolicy(thresholds: configuration.performanceThresholds,
                                            cooldown: configuration.alertCooldown),
                        predictionsLog: predictions, metricsLog: metrics, alertsLog: alerts, writerLock: lock,
                        maxPendingLines: configuration.flush.maxPendingLines, drift: drift, logger: configuration.logger)
        core.windowEvicted = report.predictions.evicted > 0
        if let first = startFailures.first {
            core.failing = true
            core.failedWrites = startFailures.count
            core.lastWriteError = first
        }
        self.core = Mutex(core)
        logger.info("opened \(directory.monitorURL.path)", metadata: [
            "restored_predictions": "\(state.columns.count)", "lifetime_predictions": "\(state.totalPredictions)",
            "lifetime_errors": "\(state.errorCount)", "skipped_lines": "\(report.skippedLines)"])
        if let truncation = report.truncatedByCapacity {
            logger.warning("\(directory.monitorURL.path): \(truncation.summary)",
                           metadata: ["suggested_capacity": "\(truncation.suggestedCapacity)"])
        }
        for name in repairedTornLines { logger.notice("repaired a torn last line in \(name)") }
        if let first = startFailures.first {
            let deferred = repairedTornLines.isEmpty ? "" : ", the torn-line repair is deferred"
            logger.error("\(first); opened read-only for now (restored \(state.totalPredictions) predictions), every write is retried\(deferred)")
        }
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
        configuration.preconditionValid()
        directory = MonitorDirectory(monitorURL: URL(fileURLWithPath: "/dev/null"))
        self.configuration = configuration
        self.clock = clock
        self.alertHandler = alertHandler
        logger = configuration.logger
        writesLogs = false
        repairedTornLines = []
        startupWriteError = nil
        loadReport = LoadReport()
        core = Mutex(Core(state: MonitorState(capacity: configuration.capacity,
                                              metricsHistoryCapacity: configuration.metricsHistoryCapacity),
                          policy: AlertPolicy(thresholds: configuration.performanceThresholds,
                                              cooldown: configuration.alertCooldown),
                          predictionsLog: nil, metricsLog: nil, alertsLog: nil, writerLock: nil,
                          maxPendingLines: configuration.flush.maxPendingLines, drift: Self.driftTracking(configuration),
                          logger: configuration.logger))
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
        finishAlertStreams()
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
    /// - Throws: ``RecordingError``; nothing is recorded then. While writes
    ///   fail, lines pend in memory up to
    ///   ``MonitorConfiguration/FlushPolicy/maxPendingLines``; past it each
    ///   record is refused with ``RecordingError/logBacklogFull(pendingLines:reason:)``
    ///   (after one more write attempt), never dropped silently.
    /// - Complexity: O(length of the text) outside the lock; O(1) amortised
    ///   inside it (one write per ``MonitorConfiguration/FlushPolicy/batchSize`` records).
    @discardableResult
    public func recordPrediction(prediction: String, confidence: Double, processingTime: Double, text: String,
                                 modelVersion: String = "unknown", clientID: String? = nil, userAgent: String? = nil,
                                 sessionID: String? = nil) throws(RecordingError) -> TextHash {
        try Self.validate(prediction: prediction, confidence: confidence, processingTime: processingTime)
        let hash = TextHash(of: text)
        let (length, words) = PythonText.measure(text)
        try append(hash: hash, prediction: prediction, confidence: confidence, processingTime: processingTime,
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
        try append(hash: record.textHash, prediction: record.prediction, confidence: record.confidence,
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
    /// per record); the strings are borrowed, not retained. Past the pending
    /// limit (writes failing) the record is refused, never dropped.
    private func append<Hash: LineStringField>(
        hash: Hash, prediction: String, confidence: Double, processingTime: Double, modelVersion: String,
        textLength: Int, wordCount: Int, clientID: String?, userAgent: String?, sessionID: String?
    ) throws(RecordingError) {
        let maxCount = writesLogs
            ? PredictionLineEncoder.maxLineCount(hash: hash, prediction: prediction, modelVersion: modelVersion,
                                                 clientID: clientID, userAgent: userAgent, sessionID: sessionID)
            : 0
        let batchSize = configuration.flush.batchSize
        let limit = configuration.flush.maxPendingLines
        let syncEveryWrite = configuration.flush.sync == .everyWrite
        let refusal = core.withLock { core -> RecordingError? in
            if let log = core.predictionsLog, log.pendingLines >= limit {
                core.flushPredictions(sync: syncEveryWrite)
                if log.pendingLines >= limit {
                    core.refusedPredictions += 1
                    return .logBacklogFull(pendingLines: log.pendingLines,
                                           reason: (log.failure ?? core.lastWriteError)?.description ?? "writes fail")
                }
            }
            let now = clock.now()
            if core.state.columns.count == core.state.columns.capacity { core.windowEvicted = true }
            let label = core.state.append(timestamp: now, prediction: prediction, confidence: confidence,
                                          processingTime: processingTime, modelVersion: modelVersion,
                                          textLength: Int32(clamping: textLength), wordCount: Int32(clamping: wordCount))
            core.state.totalPredictions += 1
            core.drift?.addPrediction(at: now, stateCode: label, generation: core.state.dictionaryGeneration,
                                      label: prediction, confidence: confidence, processingTime: processingTime)
            guard let log = core.predictionsLog else { return nil }
            log.appendLine(maxCount: maxCount) { writer in
                PredictionLineEncoder.writeHead(now, cache: &core.headCache, to: &writer)
                PredictionLineEncoder.writeTail(hash: hash, prediction: prediction, confidence: confidence,
                                                processingTime: processingTime, modelVersion: modelVersion,
                                                textLength: textLength, wordCount: wordCount, clientID: clientID,
                                                userAgent: userAgent, sessionID: sessionID, to: &writer)
            }
            if log.pendingLines >= batchSize { core.flushPredictions(sync: syncEveryWrite) }
            return nil
        }
        if let refusal { throw refusal }
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
                                                   totalRequests: core.state.totalPredictions + core.state.errorCount,
                                                   errorType: type, errorMessage: message, at: now)
            if let alert { core.appendAndFlush(core.alertsLog, alert.jsonValue, sync: syncEveryWrite) }
            return alert
        }
        if let alert { publish([alert]) }
        return alert
    }

    // MARK: Reading

    /// `get_current_metrics()`: the last five minutes.
    ///
    /// When the window's ``MonitorConfiguration/capacity`` cuts those five
    /// minutes (the ring is full, has dropped records, and its oldest record
    /// is newer than five minutes ago), the figures cover only the newest
    /// `capacity` predictions, as the reference's would: the first time per
    /// run, a warning is logged with the capacity that would hold them.
    public func currentMetrics() -> MonitoringMetrics {
        let (metrics, truncated) = core.withLock { core in
            let now = clock.now()
            return (core.state.currentMetrics(at: now), core.windowTruncationDue(at: now))
        }
        if truncated { warnTruncatedWindow() }
        return metrics
    }

    /// The live warning of a 5-minute window cut by the capacity.
    private func warnTruncatedWindow() {
        let (capacity, span) = core.withLock { core -> (Int, Int64) in
            let columns = core.state.columns
            guard let newest = columns.isEmpty ? nil : columns[columns.count - 1].timestamp else { return (columns.capacity, 0) }
            return (columns.capacity, newest - columns[0].timestamp)
        }
        let seconds = Double(max(span, 1)) / 1e6
        let needed = Int((Double(capacity) * 300 / seconds).rounded(.up))
        let suggested = min(needed, LoadReport.CapacityTruncation.maximumCapacity)
        let spanText = String(format: "%.1f", seconds)
        logger.warning("the window capacity of \(capacity) holds only the last \(spanText) s of predictions, so the 5-minute metrics see only part of them; a capacity of about \(suggested) holds five minutes at this rate",
                       metadata: ["capacity": "\(capacity)", "suggested_capacity": "\(suggested)"])
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

    /// The health of the monitor's writes: its error state.
    public struct WriteStatus: Sendable, Equatable {
        /// Whether the last write of some log failed (and none has succeeded since).
        public var isFailing: Bool
        /// Failed write attempts over the monitor's life.
        public var failedWrites: Int
        /// The last failure's path and reason.
        public var lastError: MonitorError?
        /// Prediction lines accepted but not yet (wholly) written.
        public var pendingPredictions: Int
        /// Snapshot and alert lines accepted but not yet written.
        public var pendingOtherLines: Int
        /// Snapshot and alert lines not kept because their log's backlog was full.
        public var droppedLines: Int
        /// Predictions refused with ``RecordingError/logBacklogFull(pendingLines:reason:)``.
        public var refusedPredictions: Int
        /// Everything accepted that is not on disk: pending lines plus dropped ones.
        public var unwrittenLines: Int { pendingPredictions + pendingOtherLines + droppedLines }
    }

    /// The monitor's write error state, for callers that must know whether
    /// what they recorded reached the disk (`notebooks record` exits non-zero
    /// when ``WriteStatus/unwrittenLines`` is not 0 at the end).
    public var writeStatus: WriteStatus {
        core.withLock { core in
            WriteStatus(isFailing: core.failing, failedWrites: core.failedWrites, lastError: core.lastWriteError,
                        pendingPredictions: core.predictionsLog?.pendingLines ?? 0,
                        pendingOtherLines: (core.metricsLog?.pendingLines ?? 0) + (core.alertsLog?.pendingLines ?? 0),
                        droppedLines: core.droppedLines, refusedPredictions: core.refusedPredictions)
        }
    }

    /// Sets the function called at once when a write fails after writes had
    /// succeeded (the first failure of each streak; the loop's and the
    /// flusher's writes included), besides the `.error` message to
    /// ``MonitorConfiguration/logger``. It runs under the monitor's lock, so it
    /// must not call back into the monitor. A monitor that opened degraded
    /// is already failing: ``startupWriteError`` says so, and the handler is
    /// next called after writes have succeeded and failed again.
    public func setWriteFailureHandler(_ handler: @escaping @Sendable (MonitorError) -> Void) {
        core.withLock { $0.failureHandler = handler }
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
            // Each log is tried, so that one full log does not hold back the others.
            var first: MonitorError?
            for log in [core.predictionsLog, core.metricsLog, core.alertsLog] {
                if let error = core.flush(log, sync: sync), first == nil { first = error }
            }
            return first
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
    /// `metrics.json`, and raise the performance alerts and resolve those
    /// whose condition no longer holds; then close the drift detector's
    /// interval if it has ended and report its alarms (stamped with their
    /// interval's end) as drift alerts. The tick's alerts go to `alerts.json`
    /// (all but the resolutions of threshold alerts, which the reference has
    /// no line for), the alert handler and the ``alerts`` streams.
    @discardableResult
    public func tick() -> Tick {
        let syncEveryWrite = configuration.flush.sync == .everyWrite
        let (tick, truncated): (Tick, Bool) = core.withLock { core in
            let now = clock.now()
            core.flushPredictions(sync: syncEveryWrite)
            let windowIsEmpty = core.state.columns.withRecords(after: now.microseconds - MonitorState.currentWindow) { $0.isEmpty }
            let metrics = core.state.currentMetrics(at: now)
            guard case .object(let snapshot) = metrics.jsonValue else { preconditionFailure("metrics encode as an object") }
            core.state.appendMetrics(.init(timestamp: now, json: snapshot))
            core.appendAndFlush(core.metricsLog, .object(snapshot), sync: syncEveryWrite)
            var alerts = core.policy.performanceAlerts(for: metrics, windowIsEmpty: windowIsEmpty, at: now)
            // In place: a copy of the tracking would copy the detector's baseline arrays at every tick.
            for alarm in core.drift?.takeAlarms(at: now) ?? [] {
                let alert = MonitorAlert.drift(alarm, labelName: core.drift?.labelName(alarm.label))
                if core.policy.admitDrift(alert) { alerts.append(alert) }
            }
            for alert in alerts where alert.status == .firing || alert.category == .drift {
                core.appendAndFlush(core.alertsLog, alert.jsonValue, sync: syncEveryWrite)
            }
            return (Tick(metrics: metrics, alerts: alerts), core.windowTruncationDue(at: now))
        }
        if truncated { warnTruncatedWindow() }
        publish(tick.alerts)
        return tick
    }

    // MARK: Alerts

    /// The alert buffer of each ``alerts`` subscriber.
    public static let alertBufferSize = 1_024

    /// A new subscription to the monitor's alerts: every alert raised from
    /// now on, firing and resolved (threshold alerts of the loop, the
    /// error-rate alert of ``recordError(type:message:context:)``, drift
    /// alarms and their resolutions), in the order they were raised. Each
    /// read of this property is a new subscriber that gets every alert.
    ///
    /// The stream finishes when the monitor stops (``stop()``, or the end
    /// of ``run()``) or is deallocated. A consumer that falls behind loses
    /// the oldest alerts beyond ``alertBufferSize`` (`.bufferingNewest`):
    /// the loop never waits for a consumer. Drops are counted in
    /// ``droppedAlerts`` and logged (`.warning`, once per subscriber).
    ///
    /// ```swift
    /// for await alert in monitor.alerts {
    ///     switch alert.details {
    ///     case .threshold(let t): print(alert.status, t.metric, t.value, t.threshold)
    ///     case .drift(let d): print(alert.status, d.statistic, d.baseline ?? .nan, d.current ?? .nan)
    ///     case .errorRate(let e): print(e.errorRate, e.errorType)
    ///     }
    /// }
    /// ```
    public var alerts: AsyncStream<MonitorAlert> { alerts(bufferingNewest: Self.alertBufferSize) }

    /// A new subscription to the monitor's alerts (see ``alerts``) that keeps
    /// at most `limit` alerts its consumer has not taken yet, dropping the
    /// oldest beyond it.
    ///
    /// - Precondition: `limit` is positive.
    public func alerts(bufferingNewest limit: Int) -> AsyncStream<MonitorAlert> {
        precondition(limit > 0, "the alert buffer must hold at least one alert")
        let (stream, continuation) = AsyncStream.makeStream(of: MonitorAlert.self, bufferingPolicy: .bufferingNewest(limit))
        let id = subscribers.withLock { subscribers in
            defer { subscribers.nextID += 1 }
            subscribers.continuations[subscribers.nextID] = continuation
            return subscribers.nextID
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    /// Alerts dropped from the buffers of ``alerts`` subscribers that fell
    /// behind, over the monitor's life.
    public var droppedAlerts: Int { subscribers.withLock { $0.dropped } }

    /// Logs the alerts, calls the handler, and yields them to every subscriber.
    private func publish(_ alerts: [MonitorAlert]) {
        guard !alerts.isEmpty else { return }
        for alert in alerts {
            let metadata: Logger.Metadata = ["category": "\(alert.category.rawValue)", "severity": "\(alert.severity.rawValue)",
                                             "metric": "\(alert.metric)", "timestamp": "\(alert.timestamp.isoformat)"]
            if alert.status == .firing {
                logger.notice("alert: \(alert.message)", metadata: metadata)
            } else {
                logger.info("resolved: \(alert.message)", metadata: metadata)
            }
            alertHandler?(alert)
        }
        let newlyDropping = subscribers.withLock { subscribers -> Int in
            var newlyDropping = 0
            for (id, continuation) in subscribers.continuations {
                for alert in alerts {
                    guard case .dropped = continuation.yield(alert) else { continue }
                    subscribers.dropped += 1
                    if subscribers.dropping.insert(id).inserted { newlyDropping += 1 }
                }
            }
            return newlyDropping
        }
        if newlyDropping > 0 {
            logger.warning("an alert stream consumer fell behind by \(Self.alertBufferSize) or more alerts; the oldest are dropped",
                           metadata: ["dropped_alerts": "\(droppedAlerts)"])
        }
    }

    /// Finishes every alert stream (their consumers' loops end).
    private func finishAlertStreams() {
        let continuations = subscribers.withLock { subscribers in
            defer { subscribers.continuations.removeAll() }
            return Array(subscribers.continuations.values)
        }
        for continuation in continuations { continuation.finish() }
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

    /// Stops the loop promptly, waits for it to end, flushes, and finishes
    /// the ``alerts`` streams. A failed flush is logged, and ``writeStatus``
    /// keeps it; ``run()`` throws it.
    public func stop() async {
        let tasks = core.withLock { core -> [Task<Void, Never>] in
            defer { core.loop = nil; core.flusher = nil }
            return [core.loop, core.flusher].compactMap { $0 }
        }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        try? flush()
        finishAlertStreams()
        if !tasks.isEmpty { logger.info("stopped", metadata: ["path": "\(directory.monitorURL.path)"]) }
    }
}

/// The monitor as a swift-service-lifecycle service: a `ServiceGroup` runs
/// it beside a server and shuts it down gracefully.
extension PredictionMonitor: Service {
    /// Runs the background loop (``start()``) until the service group's
    /// graceful shutdown or the task's cancellation, then stops the loop,
    /// writes every pending line, fsyncs the logs (unless the sync policy is
    /// `.never`) and finishes the ``alerts`` streams.
    ///
    /// In a group, put it before the services that record into it (an HTTP
    /// server): the group shuts services down in reverse order, so those
    /// finish their requests first.
    ///
    /// - Throws: The ``MonitorError`` of the final flush when a log cannot
    ///   be written (the lines stay pending in memory).
    public func run() async throws {
        start()
        // Returns on graceful shutdown; throws on cancellation, when the logs must be flushed all the same.
        try? await gracefulShutdown()
        await stop()
        try flush()
    }
}
