import Dispatch
import MonitorNumerics
import OrderedCollections

extension MonitorState {
    /// The window of `get_current_metrics` and the anomaly score: 5 minutes.
    public static let currentWindow: Int64 = 5 * LocalTimestamp.microsecondsPerMinute
    /// The window of `get_confidence_analysis`: 60 minutes.
    public static let confidenceWindow: Int64 = 60 * LocalTimestamp.microsecondsPerMinute
    /// The width of each confidence trend window: 10 minutes.
    public static let trendWindow: Int64 = 10 * LocalTimestamp.microsecondsPerMinute
    /// Windows at least this large compute on two cores.
    public static let parallelWindowThreshold = 200_000
    /// `confidence_thresholds['low']`, behind `low_confidence_alerts`.
    public static let lowConfidenceAlertThreshold = 0.7

    /// The reference's `get_current_metrics()` at `now`: the predictions of
    /// the last five minutes (strictly newer than `now - 5 min`).
    ///
    /// - Parameter now: The clock reading.
    /// - Complexity: O(log n + w) for a window of w records when the log is in
    ///   time order; O(n + w) otherwise.
    public mutating func currentMetrics(at now: LocalTimestamp) -> MonitoringMetrics {
        let labels = self.labels
        let displays = self.labelDisplays
        let (total, errorRate) = (totalPredictions, self.errorRate)
        return columns.withRecords(after: now.microseconds - Self.currentWindow) { window in
            guard !window.isEmpty else { return .empty(at: now, totalPredictions: total) }
            // The percentiles (the longest part), and everything else, are
            // independent: large windows run them on two cores.
            var histogram = LabelHistogram(counting: UnsafeBufferPointer(start: nil, count: 0), codeCount: 0)
            var below: [Int] = []
            var avgConfidence = 0.0
            var avgProcessingTime = 0.0
            var slow = 0
            var percentiles: [Double] = []
            let countingSide = {
                histogram = LabelHistogram(counting: window.labels, codeCount: labels.count)
                // One pass over the confidences: the mean, and the counts
                // below the bucket edges and the anomaly score's 0.6.
                let pass = ColumnPass(thresholds: [0.5, 0.7, 0.8, 0.9, AnomalyCounts.lowConfidenceThreshold]).run(window.confidences)
                avgConfidence = pass.sum / Double(window.count)
                below = pass.below
            }
            if window.count >= Self.parallelWindowThreshold {
                // The percentiles (the longest part) and everything else on
                // two cores; the percentiles' buckets span a sample's range.
                let timingSide = {
                    let pass = ColumnPass(above: AnomalyCounts.slowResponseThreshold).run(window.processingTimes)
                    avgProcessingTime = pass.sum / Double(window.count)
                    slow = pass.above
                }
                let percentileSide = {
                    percentiles = Quantiles.linear(window.processingTimes, percentiles: Percentiles.ranks)
                }
                withoutActuallyEscaping(countingSide) { first in
                    withoutActuallyEscaping(timingSide) { second in
                        withoutActuallyEscaping(percentileSide) { third in
                            nonisolated(unsafe) let sides = [{ first(); second() }, third]
                            DispatchQueue.concurrentPerform(iterations: 2) { sides[$0]() }
                        }
                    }
                }
            } else {
                // One core: the response times' pass also finds their range,
                // so the percentiles' counting pass needs no clamping.
                countingSide()
                let pass = ColumnPass(above: AnomalyCounts.slowResponseThreshold, findsRange: true).run(window.processingTimes)
                avgProcessingTime = pass.sum / Double(window.count)
                slow = pass.above
                // No range: a NaN in the column, or infinities of both signs;
                // the general path sorts that out.
                if let range = pass.range {
                    percentiles = Quantiles.linear(window.processingTimes, percentiles: Percentiles.ranks, range: range)
                } else {
                    percentiles = Quantiles.linear(window.processingTimes, percentiles: Percentiles.ranks)
                }
            }
            let buckets = ConfidenceBuckets(belowEdges: below, total: window.count)
            let anomaly = AnomalyCounts(total: window.count, lowConfidence: below[4], slowResponses: slow,
                                        dominantLabelCount: histogram.dominant?.count ?? 0)
            return MonitoringMetrics(
                timestamp: now, totalPredictions: total,
                predictionsPerMinute: Double(window.count) / 5.0,
                avgConfidence: avgConfidence,
                avgProcessingTime: avgProcessingTime,
                confidenceDistribution: buckets,
                predictionDistribution: OrderedDictionary(
                    histogram.entries.map { (displays[$0.code]?.jsonKey ?? labels[$0.code], $0.count) },
                    uniquingKeysWith: +),
                errorRate: errorRate,
                responseTimePercentiles: Percentiles(ranked: percentiles),
                anomalyScore: anomaly.score)
        }
    }

    /// The reference's `get_prediction_patterns(hours)` at `now`.
    ///
    /// - Parameters:
    ///   - hours: The look-back, `timedelta(hours=hours)` rounded to the
    ///     microsecond.
    ///   - now: The clock reading.
    /// - Returns: `nil` when no prediction is in the window (the reference's
    ///   `{"error": "No recent predictions found"}`).
    public mutating func predictionPatterns(hours: Double, at now: LocalTimestamp) -> PredictionPatterns? {
        predictionPatterns(after: now.microseconds - Self.microseconds(hours: hours))
    }

    /// ``predictionPatterns(hours:at:)`` with the look-back as a `Duration`
    /// (rounded to the microsecond, half to even).
    public mutating func predictionPatterns(lookBack: Duration, at now: LocalTimestamp) -> PredictionPatterns? {
        predictionPatterns(after: now.microseconds - Self.microseconds(lookBack: lookBack))
    }

    private mutating func predictionPatterns(after cutoff: Int64) -> PredictionPatterns? {
        let labels = self.labels
        let displays = self.labelDisplays
        return columns.withRecords(after: cutoff) { window in
            guard !window.isEmpty else { return nil }
            let histogram = LabelHistogram(counting: window.labels, codeCount: labels.count)
            let counts = Self.anomalyCounts(window, histogram)
            var indicators: [String] = []
            if counts.hasManyLowConfidence {
                indicators.append("High low-confidence predictions: \(counts.lowConfidence)/\(counts.total)")
            }
            if counts.hasManySlowResponses {
                indicators.append("Slow responses detected: \(counts.slowResponses)/\(counts.total)")
            }
            if counts.hasExtremeSkew, let dominant = histogram.dominant {
                indicators.append("Extreme prediction skew: \(dominant.count)/\(counts.total) are '\(displays[dominant.code]?.pythonString ?? labels[dominant.code])'")
            }
            return PredictionPatterns(
                totalPredictions: window.count,
                hourlyDistribution: OrderedDictionary(uniqueKeysWithValues: WindowedCounts.hourOfDayCounts(window.timestamps).map { ($0.hour, $0.count) }),
                confidenceStats: Moments.summary(window.confidences),
                processingTimeStats: Moments.summary(window.processingTimes),
                anomalyIndicators: indicators)
        }
    }

    /// The reference's `get_confidence_analysis()` at `now`: the last hour's
    /// confidences, their buckets, and the mean of each 10-minute window that
    /// holds predictions, oldest first.
    ///
    /// - Returns: `nil` when no prediction is in the last hour.
    public mutating func confidenceAnalysis(at now: LocalTimestamp) -> ConfidenceAnalysis? {
        columns.withRecords(after: now.microseconds - Self.confidenceWindow) { window in
            guard !window.isEmpty else { return nil }
            var trends: [ConfidenceAnalysis.Trend] = []
            for i in (0..<6).reversed() {
                let start = now.microseconds - Int64(i + 1) * Self.trendWindow
                let end = now.microseconds - Int64(i) * Self.trendWindow
                window.withRecords(in: start...(end - 1)) { slice in
                    guard !slice.isEmpty else { return }
                    trends.append(.init(windowStart: LocalTimestamp(microseconds: start),
                                        windowEnd: LocalTimestamp(microseconds: end),
                                        avgConfidence: Moments.mean(slice.confidences),
                                        predictionCount: slice.count))
                }
            }
            let mean = Moments.mean(window.confidences)
            return ConfidenceAnalysis(
                totalPredictions: window.count,
                overallAvgConfidence: mean,
                confidenceStd: Moments.populationStandardDeviation(window.confidences, mean: mean),
                distribution: ConfidenceBuckets(counting: window.confidences),
                trends: trends,
                lowConfidenceAlerts: ThresholdCounts.countBelow(window.confidences, Self.lowConfidenceAlertThreshold))
        }
    }

    /// The reference's `get_historical_metrics(hours)` at `now`: the
    /// snapshots strictly newer than `now - hours`, oldest first.
    public func historicalMetrics(hours: Double, at now: LocalTimestamp) -> [HistoricalMetrics] {
        let cutoff = now.microseconds - Self.microseconds(hours: hours)
        return retainedMetricsHistory.filter { $0.timestamp.microseconds > cutoff }
    }

    /// ``historicalMetrics(hours:at:)`` with the look-back as a `Duration`
    /// (rounded to the microsecond, half to even).
    public func historicalMetrics(lookBack: Duration, at now: LocalTimestamp) -> [HistoricalMetrics] {
        let cutoff = now.microseconds - Self.microseconds(lookBack: lookBack)
        return retainedMetricsHistory.filter { $0.timestamp.microseconds > cutoff }
    }

    /// A look-back in microseconds, rounded half to even as `timedelta`
    /// rounds, held at ±10,000 years as ``microseconds(hours:)`` is.
    static func microseconds(lookBack: Duration) -> Int64 {
        let limit = Duration.seconds(10_000 * 366 * 86_400)
        return LocalTimestamp.roundedMicroseconds(min(limit, max(.zero - limit, lookBack)))
    }

    /// `timedelta(hours=hours)` in microseconds, rounded half to even as
    /// Python's `timedelta` rounds.
    ///
    /// A look-back longer than ±10,000 years (where Python's date arithmetic
    /// overflows) is held at ±10,000 years, which reaches past every
    /// representable timestamp, so the subtraction from `now` cannot overflow.
    ///
    /// - Precondition: `hours` is not NaN.
    public static func microseconds(hours: Double) -> Int64 {
        precondition(!hours.isNaN, "the look-back in hours is NaN")
        let limit = 10_000 * 366 * Double(LocalTimestamp.microsecondsPerDay)
        return Int64(Swift.min(limit, Swift.max(-limit, hours * Double(LocalTimestamp.microsecondsPerHour))).rounded(.toNearestOrEven))
    }

    static func anomalyCounts(_ window: ColumnWindow, _ histogram: LabelHistogram) -> AnomalyCounts {
        AnomalyCounts(total: window.count,
                      lowConfidence: ThresholdCounts.countBelow(window.confidences, AnomalyCounts.lowConfidenceThreshold),
                      slowResponses: ThresholdCounts.countAbove(window.processingTimes, AnomalyCounts.slowResponseThreshold),
                      dominantLabelCount: histogram.dominant?.count ?? 0)
    }
}
