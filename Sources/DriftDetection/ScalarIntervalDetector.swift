import Foundation
import MonitorNumerics

/// Runs a scalar ``StreamingDetector`` (Page–Hinkley, ADWIN, KSWIN, the
/// control charts…) on each metric's per-interval value:
///
/// - confidence: the interval's mean confidence;
/// - processing_time: the mean of log processing times (robust to the tail;
///   reported as the typical latency, its exponential);
/// - label: the share of the label most frequent in the first
///   `baselineIntervals` intervals (those intervals are held until the
///   label is known, then fed in order, so alarms keep their timestamps);
/// - error_rate: errors over requests.
///
/// Intervals without a value for a metric (no predictions) are skipped, and
/// so are non-finite values. An alarm reports the mean of the first
/// `baselineIntervals` values as its baseline; a drift resolves after five
/// consecutive values within three of their standard deviations of it.
public struct ScalarIntervalDetector<D: StreamingDetector>: IntervalDetector where D.Input == Double {
    public let metrics: [MonitoredMetric]
    public let baselineIntervals: Int
    public var name: String { prototype.name }
    public private(set) var scores: [DriftStatistic: Double] = [:]

    private let prototype: D
    private var runs: [Run]
    private var seen = 0
    private var heldLabelIntervals: [IntervalSummary] = []
    private var baselineLabelCounts: [Int] = []
    private var dominant: UInt32?

    /// - Precondition: `baselineIntervals ≥ 1`.
    public init(_ detector: D, metrics: [MonitoredMetric] = MonitoredMetric.allCases, baselineIntervals: Int = 60) {
        precondition(baselineIntervals >= 1, "baselineIntervals must be at least 1")
        prototype = detector
        self.metrics = MonitoredMetric.allCases.filter(metrics.contains)
        self.baselineIntervals = baselineIntervals
        runs = self.metrics.map { Run(metric: $0, detector: detector) }
    }

    private struct Run: Sendable {
        let metric: MonitoredMetric
        var detector: D
        var baseline = RunningMoments()
        var drifting = false
        var watch = ResolutionWatch()
        var lastScore = 0.0

        var statistic: DriftStatistic {
            switch metric {
            case .confidence: return .meanConfidence
            case .processingTime: return .latency
            case .label: return .labelMix
            case .errorRate: return .errorRate
            }
        }

        func display(_ x: Double) -> Double { metric == .processingTime ? exp(x) : x }

        mutating func feed(_ value: Double, at end: LocalTimestamp, label: UInt32?, name: String) -> Alarm? {
            guard value.isFinite else { return nil }
            if baselineOpen { baseline.add(value) }
            let detection = detector.update(value)
            lastScore = detection.score
            let band = max(3 * baseline.standardDeviation, 1e-9)
            if detection.alarm {
                drifting = true
                watch = ResolutionWatch()
                return Alarm(timestamp: end, statistic: statistic, detector: name, score: detection.score,
                             baseline: display(baseline.mean), current: display(value), label: label)
            }
            if drifting, watch.observe(inBand: abs(value - baseline.mean) <= band) {
                drifting = false
                return Alarm(kind: .resolved, timestamp: end, statistic: statistic, detector: name,
                             score: detection.score, baseline: display(baseline.mean), current: display(value), label: label)
            }
            return nil
        }

        /// Whether the baseline moments still take values.
        var baselineOpen = true
    }

    public mutating func update(_ interval: IntervalSummary) -> [Alarm] {
        seen += 1
        var alarms: [Alarm] = []
        for i in runs.indices {
            let run = runs[i]
            switch run.metric {
            case .label:
                if dominant == nil {
                    let counts = interval.labelCounts()
                    if counts.count > baselineLabelCounts.count {
                        baselineLabelCounts += [Int](repeating: 0, count: counts.count - baselineLabelCounts.count)
                    }
                    for code in counts.indices { baselineLabelCounts[code] += counts[code] }
                    heldLabelIntervals.append(interval)
                    guard seen >= baselineIntervals else { continue }
                    let best = baselineLabelCounts.indices.max { baselineLabelCounts[$0] < baselineLabelCounts[$1] } ?? 0
                    dominant = UInt32(best)
                    let held = heldLabelIntervals
                    heldLabelIntervals = []
                    for heldInterval in held { alarms += feed(i, heldInterval) }
                } else {
                    alarms += feed(i, interval)
                }
            default:
                alarms += feed(i, interval)
            }
            if seen >= baselineIntervals { runs[i].baselineOpen = false }
        }
        return alarms
    }

    private mutating func feed(_ i: Int, _ interval: IntervalSummary) -> [Alarm] {
        guard let value = interval.scalarValue(runs[i].metric, dominantLabel: dominant) else { return [] }
        let alarm = runs[i].feed(value, at: interval.end, label: runs[i].metric == .label ? dominant : nil, name: name)
        if value.isFinite { scores[runs[i].statistic] = runs[i].lastScore }
        return alarm.map { [$0] } ?? []
    }
}

extension IntervalSummary {
    /// The per-interval value a scalar detector watches for `metric`:
    /// the mean confidence, the mean of log processing times, the share of
    /// `dominantLabel`, or errors over requests; `nil` without predictions
    /// (requests for the error rate), or for the label without a dominant label.
    ///
    /// - Complexity: O(records in the interval).
    public func scalarValue(_ metric: MonitoredMetric, dominantLabel: UInt32?) -> Double? {
        switch metric {
        case .confidence:
            return predictions > 0 ? confidences.withUnsafeBufferPointer(Moments.mean) : nil
        case .processingTime:
            return predictions > 0 ? processingTimes.reduce(0) { $0 + log(max($1, 1e-6)) } / Double(predictions) : nil
        case .label:
            guard predictions > 0, let dominantLabel else { return nil }
            return Double(labels.lazy.filter { $0 == dominantLabel }.count) / Double(predictions)
        case .errorRate:
            return requests > 0 ? Double(errors) / Double(requests) : nil
        }
    }
}
