import Monitoring
import MonitorNumerics

/// The reference monitor's own heuristic as a detector: at the end of every
/// interval, the anomaly score of the last five minutes (the mean of the
/// share of confidences below 0.6, the share of processing times above 5 s,
/// and 0.5 when one label exceeds 90%), an alarm when it exceeds 0.3.
///
/// Alarms are attributed to the component contributing most to the score.
public struct ReferenceAnomalyDetector: Sendable {
    public var threshold = 0.3
    public var window: Int64 = 5 * LocalTimestamp.microsecondsPerMinute

    public init(threshold: Double = 0.3) { self.threshold = threshold }

    public var name: String { "reference" }

    /// The alarms over a whole stream.
    ///
    /// - Complexity: O(intervals × intervals per window + records).
    public func alarms(on streams: MetricStreams) -> [Alarm] {
        var alarms: [Alarm] = []
        let intervals = streams.intervals
        var first = 0
        for (i, interval) in intervals.enumerated() {
            let cutoff = interval.end.microseconds - window
            while intervals[first].start.microseconds < cutoff && first < i { first += 1 }
            var total = 0, low = 0, slow = 0
            var counts = [Int](repeating: 0, count: streams.labels.count)
            for recent in intervals[first...i] {
                total += recent.predictions
                low += recent.confidences.withUnsafeBufferPointer { ThresholdCounts.countBelow($0, 0.6) }
                slow += recent.processingTimes.withUnsafeBufferPointer { ThresholdCounts.countAbove($0, 5.0) }
                for code in recent.labels { counts[Int(code)] += 1 }
            }
            let anomaly = AnomalyCounts(total: total, lowConfidence: low, slowResponses: slow,
                                        dominantLabelCount: counts.max() ?? 0)
            let score = anomaly.score
            guard score > threshold, total > 0 else { continue }
            let components: [(MonitoredMetric, Double)] = [
                (.confidence, Double(low) / Double(total)), (.processingTime, Double(slow) / Double(total)),
                (.label, Double(anomaly.dominantLabelCount) / Double(total) > 0.9 ? 0.5 : 0),
            ]
            let metric = components.max { $0.1 < $1.1 }!.0
            alarms.append(Alarm(timestamp: interval.end, metric: metric, score: score))
        }
        return alarms
    }
}
