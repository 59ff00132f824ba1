/// Everything `notebooks analyze` reports for a monitor directory at one
/// clock reading.
public struct MonitorReport: Sendable {
    public var currentMetrics: MonitoringMetrics
    /// `nil` when no prediction is in the look-back.
    public var predictionPatterns: PredictionPatterns?
    /// `nil` when no prediction is in the last hour.
    public var confidenceAnalysis: ConfidenceAnalysis?
    public var historicalMetrics: [MonitorState.HistoricalMetrics]
    /// What loading read and skipped.
    public var load: LoadReport

    /// Loads `directory` as the reference would at `now` and computes its
    /// four analyses.
    ///
    /// - Parameters:
    ///   - directory: The monitor's files.
    ///   - now: The clock reading.
    ///   - hours: The look-back of the patterns and the history.
    ///   - capacity: The most predictions held.
    /// - Throws: ``MonitorError`` when a log exists but cannot be read.
    ///   - asOf: Leave out records stamped after `now` (the reference keeps them).
    public static func analyze(directory: MonitorDirectory, now: LocalTimestamp, hours: Double = 24,
                               capacity: Int = 10_000, asOf: Bool = false) throws(MonitorError) -> MonitorReport {
        var loader = MonitorLoader(capacity: capacity)
        loader.excludesFuture = asOf
        var (state, load) = try loader.load(directory, now: now)
        return MonitorReport(currentMetrics: state.currentMetrics(at: now),
                             predictionPatterns: state.predictionPatterns(hours: hours, at: now),
                             confidenceAnalysis: state.confidenceAnalysis(at: now),
                             historicalMetrics: state.historicalMetrics(hours: hours, at: now),
                             load: load)
    }

    /// `{"current_metrics", "prediction_patterns", "confidence_analysis",
    /// "historical_metrics"}`, each as the reference returns it.
    public var jsonValue: JSONValue {
        .object(JSONObject([
            ("current_metrics", currentMetrics.jsonValue),
            ("prediction_patterns", predictionPatterns?.jsonValue ?? PredictionPatterns.noRecentPredictions),
            ("confidence_analysis", confidenceAnalysis?.jsonValue ?? PredictionPatterns.noRecentPredictions),
            ("historical_metrics", .array(historicalMetrics.map { .object($0.json) })),
        ]))
    }
}
