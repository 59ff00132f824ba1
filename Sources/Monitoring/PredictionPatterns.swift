import MonitorNumerics

/// What the reference's `get_prediction_patterns` returns for a window with
/// predictions.
public struct PredictionPatterns: Sendable, Equatable {
    public var totalPredictions: Int
    /// Hour of day to count, in order of first appearance.
    public var hourlyDistribution: [(hour: Int, count: Int)]
    public var confidenceStats: Moments.Summary
    public var processingTimeStats: Moments.Summary
    /// The reference's indicator sentences, character for character.
    public var anomalyIndicators: [String]

    public static func == (lhs: PredictionPatterns, rhs: PredictionPatterns) -> Bool {
        lhs.jsonValue == rhs.jsonValue
    }

    /// The reference's answer when the window is empty.
    public static let noRecentPredictions: JSONValue = ["error": "No recent predictions found"]

    /// The dictionary the reference returns; hours become string keys as
    /// `json.dumps` writes them.
    public var jsonValue: JSONValue {
        func stats(_ s: Moments.Summary) -> JSONValue {
            ["mean": .double(s.mean), "std": .double(s.standardDeviation), "min": .double(s.minimum), "max": .double(s.maximum)]
        }
        return .object(JSONObject([
            ("total_predictions", .int(totalPredictions)),
            ("hourly_distribution", .object(JSONObject(hourlyDistribution.map { (String($0.hour), .int($0.count)) }))),
            ("confidence_stats", stats(confidenceStats)),
            ("processing_time_stats", stats(processingTimeStats)),
            ("anomaly_indicators", .array(anomalyIndicators.map { .string($0) })),
        ]))
    }
}
