/// `Duration` forms of the monitor's time spans, beside the reference's
/// `Double` seconds and hours.
extension PredictionMonitor {
    /// Records a prediction with its processing time as a `Duration`, as
    /// the form with `Double` seconds does (the same checks, errors and
    /// return value). The log holds seconds as a float, as the reference
    /// writes them (`.milliseconds(120)` is written `0.12`).
    @discardableResult
    public func recordPrediction(prediction: String, confidence: Double, processingTime: Duration, text: String,
                                 modelVersion: String = "unknown", clientID: String? = nil, userAgent: String? = nil,
                                 sessionID: String? = nil) throws(RecordingError) -> TextHash {
        try recordPrediction(prediction: prediction, confidence: confidence, processingTime: processingTime.inSeconds,
                             text: text, modelVersion: modelVersion, clientID: clientID, userAgent: userAgent,
                             sessionID: sessionID)
    }

    /// `get_historical_metrics` with the look-back as a `Duration`.
    public func historicalMetrics(lookBack: Duration) -> [MonitorState.HistoricalMetrics] {
        historicalMetrics(hours: lookBack.hours)
    }

    /// `get_prediction_patterns` with the look-back as a `Duration`;
    /// `nil` for the reference's "No recent predictions found".
    public func predictionPatterns(lookBack: Duration) -> PredictionPatterns? {
        predictionPatterns(hours: lookBack.hours)
    }
}

extension Duration {
    /// The duration in seconds, as the reference's floats hold time spans
    /// (`1.5` for `.milliseconds(1500)`).
    package var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// The duration in hours; a look-back converts back to the same
    /// microsecond for spans up to thousands of years.
    var hours: Double { inSeconds / 3600 }
}
