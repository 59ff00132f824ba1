import OrderedCollections

/// A metrics snapshot as the reference's `MonitoringMetrics` dataclass holds
/// it: the same fields, and, as `Codable`, the same JSON keys
/// (`total_predictions`, `response_time_percentiles`, …) in the same order.
///
/// Encoding through `Foundation.JSONEncoder` gives the reference's field
/// names; ``ReferenceJSON`` gives the reference's bytes (`json.dumps` of
/// `asdict(metrics)`, floats in Python's `repr`, keys in order). A window
/// without predictions has no distributions or percentiles (`nil`, written
/// `{}` as the reference writes its empty dicts).
public struct MonitoringMetrics: Sendable, Equatable, Codable {
    /// When the snapshot was taken (naive local time).
    public var timestamp: LocalTimestamp
    /// Predictions recorded over the monitor's life.
    public var totalPredictions: Int
    /// Predictions in the last five minutes, divided by 5.
    public var predictionsPerMinute: Double
    /// Mean confidence of the last five minutes.
    public var avgConfidence: Double
    /// Mean processing time of the last five minutes, in seconds.
    public var avgProcessingTime: Double
    /// The five confidence buckets, `very_low` first; `nil` when there was no traffic.
    public var confidenceDistribution: ConfidenceBuckets?
    /// Label to count, in order of first appearance; empty when there was no traffic.
    ///
    /// Labels are keyed as the reference's JSON writes them (`"1"` for the
    /// integer label `1`, `"null"` for `None`).
    public var predictionDistribution: OrderedDictionary<String, Int>
    /// Errors over requests, over the monitor's life.
    public var errorRate: Double
    /// `p50`, `p90`, `p95`, `p99` of the processing times; `nil` when there was no traffic.
    public var responseTimePercentiles: Percentiles?
    /// The reference's anomaly score, 0...1.
    public var anomalyScore: Double

    public init(timestamp: LocalTimestamp, totalPredictions: Int, predictionsPerMinute: Double,
                avgConfidence: Double, avgProcessingTime: Double,
                confidenceDistribution: ConfidenceBuckets?,
                predictionDistribution: OrderedDictionary<String, Int>, errorRate: Double,
                responseTimePercentiles: Percentiles?, anomalyScore: Double) {
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
                          avgConfidence: 0, avgProcessingTime: 0, confidenceDistribution: nil,
                          predictionDistribution: [:], errorRate: 0, responseTimePercentiles: nil, anomalyScore: 0)
    }

    /// The dataclass's fields as JSON keys, in field order.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case timestamp
        case totalPredictions = "total_predictions"
        case predictionsPerMinute = "predictions_per_minute"
        case avgConfidence = "avg_confidence"
        case avgProcessingTime = "avg_processing_time"
        case confidenceDistribution = "confidence_distribution"
        case predictionDistribution = "prediction_distribution"
        case errorRate = "error_rate"
        case responseTimePercentiles = "response_time_percentiles"
        case anomalyScore = "anomaly_score"
    }

    /// The JSON keys of the dataclass, in field order.
    package static let keys = CodingKeys.allCases.map(\.rawValue)

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(timestamp, forKey: .timestamp)
        try container.encode(totalPredictions, forKey: .totalPredictions)
        try container.encode(predictionsPerMinute, forKey: .predictionsPerMinute)
        try container.encode(avgConfidence, forKey: .avgConfidence)
        try container.encode(avgProcessingTime, forKey: .avgProcessingTime)
        try container.encodeReferenceOptional(confidenceDistribution, forKey: .confidenceDistribution)
        try container.encodeReferenceMap(predictionDistribution, forKey: .predictionDistribution)
        try container.encode(errorRate, forKey: .errorRate)
        try container.encodeReferenceOptional(responseTimePercentiles, forKey: .responseTimePercentiles)
        try container.encode(anomalyScore, forKey: .anomalyScore)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        timestamp = try container.decode(LocalTimestamp.self, forKey: .timestamp)
        totalPredictions = try container.decode(Int.self, forKey: .totalPredictions)
        predictionsPerMinute = try container.decode(Double.self, forKey: .predictionsPerMinute)
        avgConfidence = try container.decode(Double.self, forKey: .avgConfidence)
        avgProcessingTime = try container.decode(Double.self, forKey: .avgProcessingTime)
        confidenceDistribution = try container.decodeReferenceOptional(ConfidenceBuckets.self, forKey: .confidenceDistribution)
        predictionDistribution = try container.decodeReferenceMap(Int.self, forKey: .predictionDistribution)
        errorRate = try container.decode(Double.self, forKey: .errorRate)
        responseTimePercentiles = try container.decodeReferenceOptional(Percentiles.self, forKey: .responseTimePercentiles)
        anomalyScore = try container.decode(Double.self, forKey: .anomalyScore)
    }

    /// The snapshot as `asdict(metrics)`.
    package var jsonValue: JSONValue { ReferenceJSON.tree(self) }
}
