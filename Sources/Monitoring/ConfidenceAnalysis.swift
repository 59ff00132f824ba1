import MonitorNumerics

/// What the reference's `get_confidence_analysis` returns for an hour with
/// predictions.
public struct ConfidenceAnalysis: Sendable, Equatable {
    /// One 10-minute window's mean confidence.
    public struct Trend: Sendable, Equatable {
        public var windowStart: LocalTimestamp
        public var windowEnd: LocalTimestamp
        public var avgConfidence: Double
        public var predictionCount: Int
    }

    public var totalPredictions: Int
    public var overallAvgConfidence: Double
    public var confidenceStd: Double
    public var distribution: ConfidenceBuckets
    /// Windows with predictions, oldest first.
    public var trends: [Trend]
    /// Confidences below 0.7 (`confidence_thresholds['low']`).
    public var lowConfidenceAlerts: Int

    /// The dictionary the reference returns.
    public var jsonValue: JSONValue {
        .object(JSONObject([
            ("total_predictions", .int(totalPredictions)),
            ("overall_avg_confidence", .double(overallAvgConfidence)),
            ("confidence_std", .double(confidenceStd)),
            ("distribution", .object(JSONObject(zip(ConfidenceBuckets.keys, distribution.counts).map { ($0, .int($1)) }))),
            ("trends", .array(trends.map { trend in
                ["window_start": .string(trend.windowStart.isoformat), "window_end": .string(trend.windowEnd.isoformat),
                 "avg_confidence": .double(trend.avgConfidence), "prediction_count": .int(trend.predictionCount)]
            })),
            ("low_confidence_alerts", .int(lowConfidenceAlerts)),
        ]))
    }
}
