/// A metrics snapshot as the reference's `MonitoringMetrics` dataclass holds
/// it, with the same fields and JSON keys, maps in the reference's order.
public struct MonitoringMetrics: Sendable, Equatable {
    public var timestamp: LocalTimestamp
    public var totalPredictions: Int
    public var predictionsPerMinute: Double
    public var avgConfidence: Double
    public var avgProcessingTime: Double
    /// Bucket name to count, `very_low` first; empty when there was no traffic.
    public var confidenceDistribution: [(key: String, count: Int)]
    /// Label to count, in order of first appearance.
    public var predictionDistribution: [(key: String, count: Int)]
    public var errorRate: Double
    /// `p50`, `p90`, `p95`, `p99`; empty when there was no traffic.
    public var responseTimePercentiles: [(key: String, value: Double)]
    public var anomalyScore: Double

    public init(timestamp: LocalTimestamp, totalPredictions: Int, predictionsPerMinute: Double,
                avgConfidence: Double, avgProcessingTime: Double,
                confidenceDistribution: [(key: String, count: Int)],
                predictionDistribution: [(key: String, count: Int)], errorRate: Double,
                responseTimePercentiles: [(key: String, value: Double)], anomalyScore: Double) {
        self.timestamp = timestamp
        self.totalPredictions = totalPredictions
        self.predictionsPerMinute = predictionsPerMinute
        self.avgConfidence = avgConfidence
        self.avgProcessingTime = avgProcessingTime
        self.confidenceDistribution = confidenceDistribution
        self.predictionDistribution = predictionDistribution
        self.errorRate = errorRate
        self.responseTimePercentiles = responseTimePercentiles
        self.anomalyScore = anomalyScore
    }

    /// The snapshot of a window without predictions.
    public static func empty(at timestamp: LocalTimestamp, totalPredictions: Int) -> MonitoringMetrics {
        MonitoringMetrics(timestamp: timestamp, totalPredictions: totalPredictions, predictionsPerMinute: 0,
                          avgConfidence: 0, avgProcessingTime: 0, confidenceDistribution: [],
                          predictionDistribution: [], errorRate: 0, responseTimePercentiles: [], anomalyScore: 0)
    }

    public static func == (lhs: MonitoringMetrics, rhs: MonitoringMetrics) -> Bool {
        lhs.jsonValue == rhs.jsonValue
    }

    /// The JSON keys of the dataclass, in field order.
    public static let keys = ["timestamp", "total_predictions", "predictions_per_minute", "avg_confidence",
                              "avg_processing_time", "confidence_distribution", "prediction_distribution",
                              "error_rate", "response_time_percentiles", "anomaly_score"]

    /// The snapshot as `asdict(metrics)`.
    public var jsonValue: JSONValue {
        .object(JSONObject([
            ("timestamp", .string(timestamp.isoformat)),
            ("total_predictions", .int(totalPredictions)),
            ("predictions_per_minute", .double(predictionsPerMinute)),
            ("avg_confidence", .double(avgConfidence)),
            ("avg_processing_time", .double(avgProcessingTime)),
            ("confidence_distribution", .object(JSONObject(confidenceDistribution.map { ($0.key, .int($0.count)) }))),
            ("prediction_distribution", .object(JSONObject(predictionDistribution.map { ($0.key, .int($0.count)) }))),
            ("error_rate", .double(errorRate)),
            ("response_time_percentiles", .object(JSONObject(responseTimePercentiles.map { ($0.key, .double($0.value)) }))),
            ("anomaly_score", .double(anomalyScore)),
        ]))
    }
}
