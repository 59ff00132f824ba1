import MonitorNumerics

/// A monitor's in-memory state: the recent predictions in columnar form, the
/// metrics history, and the lifetime counters.
///
/// This is what the reference's `PredictionMonitor` holds in
/// `recent_predictions`, `metrics_history`, `total_predictions` and
/// `error_count`; the analyses (``currentMetrics(at:)`` and the others)
/// compute from it what the reference's methods return.
public struct MonitorState: Sendable {
    /// The recent predictions, at most ``PredictionColumns/capacity`` of them.
    public var columns: PredictionColumns
    /// The labels' dictionary encoding.
    public var labels = StringDictionary()
    /// The model versions' dictionary encoding.
    public var modelVersions = StringDictionary()
    /// Metrics snapshots, oldest first, as their JSON objects.
    public private(set) var metricsHistory: [HistoricalMetrics] = []
    /// The most snapshots kept (the reference's `deque(maxlen=1440)`).
    public let metricsHistoryCapacity: Int
    /// How non-string labels display, by code (the first appearance's form).
    public var labelDisplays: [UInt32: PythonLabel] = [:]
    /// Predictions recorded over the monitor's life (restored from the log).
    public var totalPredictions = 0
    /// Errors recorded over the monitor's life (restored from the log).
    public var errorCount = 0

    /// A snapshot in the history, kept as read so that it is reported as is.
    public struct HistoricalMetrics: Sendable, Equatable {
        public var timestamp: LocalTimestamp
        public var json: JSONObject
    }

    /// The reference's `deque(maxlen=1440)`: one day of minute snapshots.
    public static let defaultMetricsHistoryCapacity = 1440

    public init(capacity: Int = PredictionColumns.defaultCapacity,
                metricsHistoryCapacity: Int = MonitorState.defaultMetricsHistoryCapacity) {
        columns = PredictionColumns(capacity: capacity)
        self.metricsHistoryCapacity = metricsHistoryCapacity
    }

    /// Adds a prediction to the window.
    ///
    /// - Complexity: O(1) amortised (two dictionary look-ups).
    ///
    /// - Returns: The label's code in ``labels``.
    @discardableResult
    public mutating func append(timestamp: LocalTimestamp, prediction: String, confidence: Double,
                                processingTime: Double, modelVersion: String, textLength: Int32, wordCount: Int32) -> UInt32 {
        let label = labels.encode(prediction)
        columns.append(EncodedPrediction(
            timestamp: timestamp.microseconds, confidence: confidence, processingTime: processingTime,
            label: label, modelVersion: modelVersions.encode(modelVersion),
            textLength: textLength, wordCount: wordCount))
        return label
    }

    /// Adds a snapshot to the history, dropping the oldest beyond capacity.
    public mutating func appendMetrics(_ snapshot: HistoricalMetrics) {
        metricsHistory.append(snapshot)
        if metricsHistory.count > metricsHistoryCapacity * 2 {
            metricsHistory.removeFirst(metricsHistory.count - metricsHistoryCapacity)
        }
    }

    /// The history trimmed to its capacity, oldest first.
    public var retainedMetricsHistory: ArraySlice<HistoricalMetrics> {
        metricsHistory.suffix(metricsHistoryCapacity)
    }

    /// The reference's `get_current_error_rate`, corrected to count errors
    /// that came before the first prediction: `errors / (predictions + errors)`.
    public var errorRate: Double {
        let requests = totalPredictions + errorCount
        return requests == 0 ? 0.0 : Double(errorCount) / Double(requests)
    }
}
