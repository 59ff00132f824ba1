extension MonitorReport {
    /// The report of a live monitor, as `notebooks analyze` would print it
    /// for the monitor's directory at the monitor's clock reading.
    ///
    /// - Parameters:
    ///   - monitor: The live monitor.
    ///   - hours: The look-back of the patterns and the history.
    public init(monitor: PredictionMonitor, hours: Double = 24) {
        self.init(currentMetrics: monitor.currentMetrics(),
                  predictionPatterns: monitor.predictionPatterns(hours: hours),
                  confidenceAnalysis: monitor.confidenceAnalysis(),
                  historicalMetrics: monitor.historicalMetrics(hours: hours),
                  load: monitor.loadReport)
    }
}
