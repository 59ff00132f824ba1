import MonitorNumerics

/// The reference monitor's own heuristic as a detector: at the end of every
/// interval, the anomaly score of the last five minutes (the mean of the
/// share of confidences below 0.6, the share of processing times above 5 s,
/// and 0.5 when one label exceeds 90%), an alarm when it exceeds 0.3.
///
/// Alarms are attributed to the component contributing most to the score
/// (mean confidence, latency tail or label mix), with that component's share
/// as the current value; a drift resolves after five intervals at or under
/// the threshold.
public struct ReferenceAnomalyDetector: IntervalDetector {
    public var threshold = 0.3
    public var window: Int64 = 5 * LocalTimestamp.microsecondsPerMinute
    public let metrics: [MonitoredMetric]
    public var name: String { "reference" }
    public private(set) var scores: [DriftStatistic: Double] = [:]

    private var recent: [IntervalSummary] = []
    private var firing: DriftStatistic?
    private var watch = ResolutionWatch()

    public init(threshold: Double = 0.3, metrics: [MonitoredMetric] = [.confidence, .processingTime, .label]) {
        self.threshold = threshold
        self.metrics = MonitoredMetric.allCases.filter(metrics.contains)
    }

    /// - Complexity: O(records in the last five minutes).
    public mutating func update(_ interval: IntervalSummary) -> [Alarm] {
        recent.append(interval)
        let cutoff = interval.end.microseconds - window
        var first = 0
        while first < recent.count - 1 && recent[first].start.microseconds < cutoff { first += 1 }
        recent.removeFirst(first)
        var total = 0, low = 0, slow = 0
        var counts: [Int] = []
        for summary in recent {
            total += summary.predictions
            low += summary.confidences.withUnsafeBufferPointer { ThresholdCounts.countBelow($0, 0.6) }
            slow += summary.processingTimes.withUnsafeBufferPointer { ThresholdCounts.countAbove($0, 5.0) }
            for code in summary.labels {
                if Int(code) >= counts.count { counts += [Int](repeating: 0, count: Int(code) + 1 - counts.count) }
                counts[Int(code)] += 1
            }
        }
        let anomaly = AnomalyCounts(total: total, lowConfidence: low, slowResponses: slow,
                                    dominantLabelCount: counts.max() ?? 0)
        let score = anomaly.score
        let components: [(DriftStatistic, Double)] = total > 0 ? [
            (.meanConfidence, Double(low) / Double(total)), (.latencyTail, Double(slow) / Double(total)),
            (.labelMix, Double(anomaly.dominantLabelCount) / Double(total) > 0.9 ? 0.5 : 0),
        ] : []
        for (statistic, _) in components { scores[statistic] = score }
        guard total > 0 else { return [] }
        if score > threshold {
            watch = ResolutionWatch()
            let (statistic, share) = components.max { $0.1 < $1.1 }!
            guard metrics.contains(statistic.metric) else { return [] }
            firing = statistic
            return [Alarm(timestamp: interval.end, statistic: statistic, detector: name, score: score, current: share)]
        }
        if let statistic = firing, watch.observe(inBand: true) {
            firing = nil
            return [Alarm(kind: .resolved, timestamp: interval.end, statistic: statistic, detector: name, score: score)]
        }
        return []
    }
}
