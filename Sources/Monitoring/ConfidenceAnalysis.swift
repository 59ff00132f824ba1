import MonitorNumerics

/// What the reference's `get_confidence_analysis` returns for an hour with
/// predictions; as `Codable`, the reference's dict with its keys.
public struct ConfidenceAnalysis: Sendable, Equatable, Codable {
    /// One 10-minute window's mean confidence.
    public struct Trend: Sendable, Equatable, Codable {
        public var windowStart: LocalTimestamp
        public var windowEnd: LocalTimestamp
        public var avgConfidence: Double
        public var predictionCount: Int

        public init(windowStart: LocalTimestamp, windowEnd: LocalTimestamp, avgConfidence: Double, predictionCount: Int) {
            self.windowStart = windowStart
            self.windowEnd = windowEnd
            self.avgConfidence = avgConfidence
            self.predictionCount = predictionCount
        }

        private enum CodingKeys: String, CodingKey {
            case windowStart = "window_start", windowEnd = "window_end"
            case avgConfidence = "avg_confidence", predictionCount = "prediction_count"
        }
    }

    /// Predictions in the last hour.
    public var totalPredictions: Int
    public var overallAvgConfidence: Double
    /// Population standard deviation (numpy's `np.std`).
    public var confidenceStd: Double
    public var distribution: ConfidenceBuckets
    /// Windows with predictions, oldest first.
    public var trends: [Trend]
    /// Confidences below 0.7 (`confidence_thresholds['low']`).
    public var lowConfidenceAlerts: Int

    public init(totalPredictions: Int, overallAvgConfidence: Double, confidenceStd: Double,
                distribution: ConfidenceBuckets, trends: [Trend], lowConfidenceAlerts: Int) {
        self.totalPredictions = totalPredictions
        self.overallAvgConfidence = overallAvgConfidence
        self.confidenceStd = confidenceStd
        self.distribution = distribution
        self.trends = trends
        self.lowConfidenceAlerts = lowConfidenceAlerts
    }

    private enum CodingKeys: String, CodingKey {
        case totalPredictions = "total_predictions"
        case overallAvgConfidence = "overall_avg_confidence"
        case confidenceStd = "confidence_std"
        case distribution, trends
        case lowConfidenceAlerts = "low_confidence_alerts"
    }

    /// The dictionary the reference returns.
    package var jsonValue: JSONValue { ReferenceJSON.tree(self) }
}
