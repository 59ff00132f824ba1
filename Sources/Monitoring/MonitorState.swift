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
    package var columns: PredictionColumns
    /// The labels' dictionary encoding.
    package var labels = StringDictionary()
    /// The model versions' dictionary encoding.
    package var modelVersions = StringDictionary()
    /// Metrics snapshots, oldest first, as their JSON objects.
    public private(set) var metricsHistory: [HistoricalMetrics] = []
    /// The most snapshots kept (the reference's `deque(maxlen=1440)`).
    public let metricsHistoryCapacity: Int
    /// How non-string labels display, by code (the first appearance's form).
    package var labelDisplays: [UInt32: PythonLabel] = [:]
    /// Predictions recorded over the monitor's life (restored from the log).
    public var totalPredictions = 0
    /// Errors recorded over the monitor's life (restored from the log).
    public var errorCount = 0
    /// Incremented each time the dictionaries are pruned and codes change.
    package private(set) var dictionaryGeneration = 0

    /// The reference's `deque(maxlen=1440)`: one day of minute snapshots.
    public static let defaultMetricsHistoryCapacity = 1440

    /// An empty state holding at most `capacity` predictions (the
    /// reference's 10,000) and `metricsHistoryCapacity` snapshots.
    public init(capacity: Int = 10_000,
                metricsHistoryCapacity: Int = MonitorState.defaultMetricsHistoryCapacity) {
        columns = PredictionColumns(capacity: capacity)
        self.metricsHistoryCapacity = metricsHistoryCapacity
    }

    /// Adds a prediction to the window.
    ///
    /// - Complexity: O(1) amortised (two dictionary look-ups).
    ///
    /// - Returns: The label's code in the state's label dictionary.
    @discardableResult
    public mutating func append(timestamp: LocalTimestamp, prediction: String, confidence: Double,
                                processingTime: Double, modelVersion: String, textLength: Int32, wordCount: Int32) -> UInt32 {
        pruneDictionariesIfNeeded()
        let label = labels.encode(prediction)
        columns.append(EncodedPrediction(
            timestamp: timestamp.microseconds, confidence: confidence, processingTime: processingTime,
            label: label, modelVersion: modelVersions.encode(modelVersion),
            textLength: textLength, wordCount: wordCount))
        return label
    }

    /// The most distinct labels (or model versions) the dictionaries hold
    /// before codes no record in the window uses are pruned: twice the
    /// window's capacity, at least 4,096. Memory for labels is therefore
    /// bounded by the window, however many distinct labels a log holds.
    package var dictionaryLimit: Int { max(4_096, 2 * columns.capacity) }

    /// Prunes the label and model-version dictionaries down to the codes
    /// the records in the window use, when either has reached
    /// ``dictionaryLimit``; codes keep their first-appearance order.
    ///
    /// - Complexity: O(capacity + distinct strings) when it prunes, which
    ///   happens at most once per `capacity` new strings: amortised O(1).
    package mutating func pruneDictionariesIfNeeded() {
        guard labels.count >= dictionaryLimit || modelVersions.count >= dictionaryLimit else { return }
        let used = columns.codesInUse(labelCount: labels.count, modelVersionCount: modelVersions.count)
        let (newLabels, labelTable) = labels.pruned(keeping: used.labels)
        let (newVersions, versionTable) = modelVersions.pruned(keeping: used.modelVersions)
        columns.remapCodes(labels: labelTable, modelVersions: versionTable)
        var displays: [UInt32: PythonLabel] = [:]
        for (code, display) in labelDisplays where Int(code) < labelTable.count && labelTable[Int(code)] != .max {
            displays[labelTable[Int(code)]] = display
        }
        labelDisplays = displays
        labels = newLabels
        modelVersions = newVersions
        dictionaryGeneration += 1
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
