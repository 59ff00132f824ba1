import MonitorNumerics
import OrderedCollections

/// What the reference's `get_prediction_patterns` returns for a window with
/// predictions; as `Codable`, the reference's dict with its keys
/// (`total_predictions`, `hourly_distribution`, `confidence_stats`, …).
public struct PredictionPatterns: Sendable, Equatable, Codable {
    /// Predictions in the look-back.
    public var totalPredictions: Int
    /// Hour of day (0–23) to count, in order of first appearance; hours are
    /// string keys in JSON, as `json.dumps` writes them.
    public var hourlyDistribution: OrderedDictionary<Int, Int>
    /// Mean, population standard deviation and extrema of the confidences.
    public var confidenceStats: Moments.Summary
    /// The same for the processing times, in seconds.
    public var processingTimeStats: Moments.Summary
    /// The reference's indicator sentences, character for character.
    public var anomalyIndicators: [String]

    public init(totalPredictions: Int, hourlyDistribution: OrderedDictionary<Int, Int>,
                confidenceStats: Moments.Summary, processingTimeStats: Moments.Summary, anomalyIndicators: [String]) {
        self.totalPredictions = totalPredictions
        self.hourlyDistribution = hourlyDistribution
        self.confidenceStats = confidenceStats
        self.processingTimeStats = processingTimeStats
        self.anomalyIndicators = anomalyIndicators
    }

    private enum CodingKeys: String, CodingKey {
        case totalPredictions = "total_predictions"
        case hourlyDistribution = "hourly_distribution"
        case confidenceStats = "confidence_stats"
        case processingTimeStats = "processing_time_stats"
        case anomalyIndicators = "anomaly_indicators"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(totalPredictions, forKey: .totalPredictions)
        var hours = OrderedDictionary<String, Int>(minimumCapacity: hourlyDistribution.count)
        for (hour, count) in hourlyDistribution { hours[String(hour)] = count }
        try container.encodeReferenceMap(hours, forKey: .hourlyDistribution)
        try container.encode(confidenceStats, forKey: .confidenceStats)
        try container.encode(processingTimeStats, forKey: .processingTimeStats)
        try container.encode(anomalyIndicators, forKey: .anomalyIndicators)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        totalPredictions = try container.decode(Int.self, forKey: .totalPredictions)
        hourlyDistribution = [:]
        for (key, count) in try container.decodeReferenceMap(Int.self, forKey: .hourlyDistribution) {
            guard let hour = Int(key), (0...23).contains(hour) else {
                throw DecodingError.dataCorruptedError(forKey: .hourlyDistribution, in: container,
                                                       debugDescription: "'\(key)' is not an hour of the day")
            }
            hourlyDistribution[hour] = count
        }
        confidenceStats = try container.decode(Moments.Summary.self, forKey: .confidenceStats)
        processingTimeStats = try container.decode(Moments.Summary.self, forKey: .processingTimeStats)
        anomalyIndicators = try container.decode([String].self, forKey: .anomalyIndicators)
    }

    /// The dictionary the reference returns.
    package var jsonValue: JSONValue { ReferenceJSON.tree(self) }
}
