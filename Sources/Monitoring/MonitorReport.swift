/// Everything `notebooks analyze` reports for a monitor directory at one
/// clock reading.
///
/// Its `Codable` form is `notebooks analyze`'s JSON: `{"current_metrics",
/// "prediction_patterns", "confidence_analysis", "historical_metrics"}`, each
/// as the reference returns it (an absent analysis is the reference's
/// `{"error": "No recent predictions found"}`). ``load`` is not part of it;
/// a decoded report has an empty one.
public struct MonitorReport: Sendable, Equatable, Codable {
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
    ///   - asOf: Leave out records stamped after `now` (the reference keeps them).
    /// - Throws: ``MonitorError`` when a log exists but cannot be read.
    public static func analyze(directory: MonitorDirectory, now: LocalTimestamp, hours: Double = 24,
                               capacity: Int = 10_000, asOf: Bool = false) throws(MonitorError) -> MonitorReport {
        try analyze(directory: directory, now: now, capacity: capacity, asOf: asOf) { state in
            (state.predictionPatterns(hours: hours, at: now), state.historicalMetrics(hours: hours, at: now))
        }
    }

    /// ``analyze(directory:now:hours:capacity:asOf:)`` with the look-back as
    /// a `Duration` (rounded to the microsecond, half to even).
    public static func analyze(directory: MonitorDirectory, now: LocalTimestamp, lookBack: Duration,
                               capacity: Int = 10_000, asOf: Bool = false) throws(MonitorError) -> MonitorReport {
        try analyze(directory: directory, now: now, capacity: capacity, asOf: asOf) { state in
            (state.predictionPatterns(lookBack: lookBack, at: now), state.historicalMetrics(lookBack: lookBack, at: now))
        }
    }

    private static func analyze(
        directory: MonitorDirectory, now: LocalTimestamp, capacity: Int, asOf: Bool,
        lookingBack: (inout MonitorState) -> (PredictionPatterns?, [MonitorState.HistoricalMetrics])
    ) throws(MonitorError) -> MonitorReport {
        var loader = MonitorLoader(capacity: capacity)
        loader.excludesFuture = asOf
        var (state, load) = try loader.load(directory, now: now)
        let currentMetrics = state.currentMetrics(at: now)
        let (patterns, history) = lookingBack(&state)
        return MonitorReport(currentMetrics: currentMetrics, predictionPatterns: patterns,
                             confidenceAnalysis: state.confidenceAnalysis(at: now), historicalMetrics: history, load: load)
    }

    public init(currentMetrics: MonitoringMetrics, predictionPatterns: PredictionPatterns?,
                confidenceAnalysis: ConfidenceAnalysis?, historicalMetrics: [MonitorState.HistoricalMetrics],
                load: LoadReport = LoadReport()) {
        self.currentMetrics = currentMetrics
        self.predictionPatterns = predictionPatterns
        self.confidenceAnalysis = confidenceAnalysis
        self.historicalMetrics = historicalMetrics
        self.load = load
    }

    private enum CodingKeys: String, CodingKey {
        case currentMetrics = "current_metrics"
        case predictionPatterns = "prediction_patterns"
        case confidenceAnalysis = "confidence_analysis"
        case historicalMetrics = "historical_metrics"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(currentMetrics, forKey: .currentMetrics)
        try container.encode(predictionPatterns.map(PatternsOrError.value) ?? .noRecentPredictions, forKey: .predictionPatterns)
        try container.encode(confidenceAnalysis.map(AnalysisOrError.value) ?? .noRecentPredictions, forKey: .confidenceAnalysis)
        try container.encode(historicalMetrics, forKey: .historicalMetrics)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        currentMetrics = try container.decode(MonitoringMetrics.self, forKey: .currentMetrics)
        predictionPatterns = try container.decode(PatternsOrError.self, forKey: .predictionPatterns).value
        confidenceAnalysis = try container.decode(AnalysisOrError.self, forKey: .confidenceAnalysis).value
        historicalMetrics = try container.decode([MonitorState.HistoricalMetrics].self, forKey: .historicalMetrics)
        load = LoadReport()
    }

    /// `notebooks analyze`'s JSON object.
    package var jsonValue: JSONValue { ReferenceJSON.tree(self) }
}

/// The reference's `{'error': 'No recent predictions found'}` in place of an
/// analysis of an empty window.
private struct NoRecentPredictions: Codable {
    static let message = "No recent predictions found"
    var error = message
}

private typealias PatternsOrError = AnalysisOrNoPredictions<PredictionPatterns>
private typealias AnalysisOrError = AnalysisOrNoPredictions<ConfidenceAnalysis>

/// An analysis, or the reference's error dict when its window is empty.
private enum AnalysisOrNoPredictions<Analysis: Codable>: Codable {
    case value(Analysis)
    case noRecentPredictions

    var value: Analysis? {
        if case .value(let analysis) = self { return analysis }
        return nil
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .value(let analysis): try analysis.encode(to: encoder)
        case .noRecentPredictions: try NoRecentPredictions().encode(to: encoder)
        }
    }

    init(from decoder: any Decoder) throws {
        if let error = try? NoRecentPredictions(from: decoder), error.error == NoRecentPredictions.message {
            self = .noRecentPredictions
        } else {
            self = .value(try Analysis(from: decoder))
        }
    }
}
