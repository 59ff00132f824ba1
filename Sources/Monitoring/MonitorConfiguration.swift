import DriftDetection
import Logging

/// How a ``PredictionMonitor`` keeps its window, raises alerts and writes its logs.
///
/// Each setting documents its range; ``validate()`` checks them all, and the
/// monitor's initialisers stop with that message (a precondition) when one
/// is out of range. Check a configuration built from user input with
/// ``validate()`` first.
public struct MonitorConfiguration: Sendable, Equatable {
    /// The most predictions held in memory (the reference's 10,000);
    /// 1...100,000,000 (40 bytes each).
    public var capacity = 10_000
    /// The most metrics snapshots held (the reference's 1,440); 1...10,000,000.
    public var metricsHistoryCapacity = 1_440
    /// Time between background snapshots (the reference's 60 s); 1 ms...1 day
    /// (the `record` command asks for at least 1 s).
    public var loopInterval: Duration = .seconds(60)
    /// The reference's `confidence_thresholds`; `low` also counts
    /// `low_confidence_alerts`.
    public var confidenceThresholds = ConfidenceThresholds()
    /// The reference's `performance_thresholds`, plus the anomaly score's.
    public var performanceThresholds = PerformanceThresholds()
    /// When pending log lines reach the disk.
    public var flush = FlushPolicy()
    /// Size-based rotation of the logs, or `nil` to let them grow.
    public var rotation: LogRotation?
    /// How long an alert category stays quiet after firing while its
    /// condition holds (it fires again at once after the condition clears).
    /// `.zero` repeats alerts every tick, as the reference; 0...365 days.
    public var alertCooldown: Duration = .seconds(15 * 60)
    /// How far back a restart restores predictions and snapshots (24 h);
    /// 0...3,650 days. The drift detector is rebuilt from the same stretch of the logs.
    public var restoreWindow: Duration = .seconds(24 * 3600)
    /// The drift detector run online on every closed interval (the
    /// recommended one by default), or `nil` for none. Its alarms become
    /// ``MonitorAlert/Category/drift`` alerts.
    public var driftDetector: DriftDetectorFactory? = .recommended
    /// The length of the intervals the drift detector sees (one minute, as
    /// `notebooks detect`); intervals are aligned to multiples of it.
    public var driftInterval: Duration = .seconds(60)
    /// Where the monitor logs (swift-log): write failures (`.error`, once per
    /// streak), a window truncated by ``capacity`` (`.warning`, once per
    /// run and at a restart), alerts fired (`.notice`) and resolved
    /// (`.info`), alerts dropped for a slow stream subscriber (`.warning`),
    /// restarts and rotations (`.info`). Silent by default (a
    /// `driftlab.monitor` logger with swift-log's no-op handler), so that an
    /// embedding app or a test sees nothing it did not ask for; pass
    /// `Logger(label: "driftlab.monitor")` to log wherever the process
    /// bootstrapped swift-log. Write failures are also in ``PredictionMonitor``'s
    /// `writeStatus` and its failure handler, whatever the logger.
    ///
    /// Not compared by `==` beyond its label and level.
    public var logger = Logger(label: "driftlab.monitor", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The defaults, the reference's settings.
    public init() {}

    public static func == (lhs: MonitorConfiguration, rhs: MonitorConfiguration) -> Bool {
        lhs.capacity == rhs.capacity && lhs.metricsHistoryCapacity == rhs.metricsHistoryCapacity
            && lhs.loopInterval == rhs.loopInterval && lhs.confidenceThresholds == rhs.confidenceThresholds
            && lhs.performanceThresholds == rhs.performanceThresholds && lhs.flush == rhs.flush
            && lhs.rotation == rhs.rotation && lhs.alertCooldown == rhs.alertCooldown
            && lhs.restoreWindow == rhs.restoreWindow && lhs.driftDetector == rhs.driftDetector
            && lhs.driftInterval == rhs.driftInterval && lhs.logger.label == rhs.logger.label
            && lhs.logger.logLevel == rhs.logger.logLevel
    }

    /// A setting outside its documented range.
    public struct RangeError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The setting's name, e.g. `loopInterval` or `flush.batchSize`.
        public var setting: String
        /// The value and the range it should be in.
        public var reason: String
        public var description: String { "MonitorConfiguration.\(setting): \(reason)" }
    }

    /// Checks every setting against its documented range.
    ///
    /// - Throws: ``RangeError`` naming the first setting out of range.
    public func validate() throws(RangeError) {
        func check(_ ok: Bool, _ setting: String, _ reason: @autoclosure () -> String) throws(RangeError) {
            if !ok { throw RangeError(setting: setting, reason: reason()) }
        }
        let day = Duration.seconds(86_400)
        try check((1...100_000_000).contains(capacity), "capacity", "\(capacity) is not in 1...100,000,000")
        try check((1...10_000_000).contains(metricsHistoryCapacity), "metricsHistoryCapacity",
                  "\(metricsHistoryCapacity) is not in 1...10,000,000")
        try check(loopInterval >= .milliseconds(1) && loopInterval <= day, "loopInterval", "\(loopInterval) is not in 1 ms...1 day")
        try check(alertCooldown >= .zero && alertCooldown <= day * 365, "alertCooldown", "\(alertCooldown) is not in 0...365 days")
        try check(restoreWindow >= .zero && restoreWindow <= day * 3_650, "restoreWindow",
                  "\(restoreWindow) is not in 0...3,650 days")
        try check((1...1_000_000).contains(flush.batchSize), "flush.batchSize", "\(flush.batchSize) is not in 1...1,000,000")
        try check(flush.maxDelay >= .milliseconds(1) && flush.maxDelay <= .seconds(3600), "flush.maxDelay",
                  "\(flush.maxDelay) is not in 1 ms...1 hour")
        let c = confidenceThresholds
        try check([c.veryLow, c.low, c.medium, c.high].allSatisfy { $0.isFinite && (0...1).contains($0) }
                  && c.veryLow <= c.low && c.low <= c.medium && c.medium <= c.high,
                  "confidenceThresholds", "\(c) must be in 0...1 and ascending")
        let p = performanceThresholds
        try check([p.responseTimeWarning, p.responseTimeCritical, p.confidenceWarning, p.errorRateWarning,
                   p.errorRateCritical, p.anomalyScore].allSatisfy { $0.isFinite && $0 >= 0 },
                  "performanceThresholds", "\(p) must be finite and non-negative")
        if let rotation {
            try check(rotation.maxBytes >= 1, "rotation.maxBytes", "\(rotation.maxBytes) is not positive")
            try check((0...1_000).contains(rotation.retainedFiles), "rotation.retainedFiles",
                      "\(rotation.retainedFiles) is not in 0...1,000")
        }
    }

    /// Stops with the ``RangeError``'s message when a setting is out of range
    /// (the monitor's initialisers call this).
    func preconditionValid() {
        do { try validate() } catch { preconditionFailure(error.description) }
    }

    /// The bucket edges of the confidence distribution.
    public struct ConfidenceThresholds: Sendable, Equatable {
        public var veryLow = 0.5
        public var low = 0.7
        public var medium = 0.8
        public var high = 0.9
        public init() {}
    }

    /// Alert thresholds.
    public struct PerformanceThresholds: Sendable, Equatable {
        public var responseTimeWarning = 5.0
        public var responseTimeCritical = 10.0
        public var confidenceWarning = 0.6
        public var errorRateWarning = 0.05
        public var errorRateCritical = 0.10
        public var anomalyScore = 0.3
        public init() {}
    }

    /// When buffered log lines are written, and whether they are synced.
    public struct FlushPolicy: Sendable, Equatable {
        /// Write after this many predictions (the reference's 100).
        public var batchSize = 100
        /// Write pending lines at least this often while the monitor runs.
        public var maxDelay: Duration = .seconds(1)
        /// When to `fsync`: after explicit ``PredictionMonitor/flush()`` calls
        /// and `stop()` (so that a flush survives power loss), after every
        /// write, or never (a flushed write survives a killed process either
        /// way, since it is in the kernel).
        public var sync: SyncPolicy = .onExplicitFlush
        /// The most lines a log holds in memory while its writes fail (a full
        /// disk): past it ``PredictionMonitor/recordPrediction(prediction:confidence:processingTime:text:modelVersion:clientID:userAgent:sessionID:)``
        /// refuses records with ``RecordingError/logBacklogFull(pendingLines:reason:)``,
        /// and snapshot and alert lines are counted as dropped
        /// (``PredictionMonitor/WriteStatus/droppedLines``). About 250 bytes a
        /// prediction line: the default bounds the backlog near 25 MB per log.
        public var maxPendingLines = 100_000
        public init() {}
    }

    public enum SyncPolicy: Sendable, Equatable {
        case never
        case onExplicitFlush
        case everyWrite
    }

    /// Size-based rotation: `name.json` becomes `name.json.1`, older ones
    /// shift up, and beyond `retainedFiles` the oldest is deleted.
    public struct LogRotation: Sendable, Equatable {
        public var maxBytes: Int
        public var retainedFiles: Int
        public init(maxBytes: Int, retainedFiles: Int) {
            self.maxBytes = maxBytes
            self.retainedFiles = retainedFiles
        }
    }
}
