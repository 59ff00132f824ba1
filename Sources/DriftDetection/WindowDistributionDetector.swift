import Monitoring
import MonitorNumerics

/// Compares the distribution of a sliding window of recent intervals with a
/// baseline window at the start of the stream: PSI or Jensen–Shannon over
/// the reference's five confidence buckets, or a chi-square test of the
/// label mix. After an alarm it stays quiet for one window length.
public struct WindowDistributionDetector: Sendable {
    public enum Statistic: String, Sendable, CaseIterable {
        /// PSI over confidence buckets; alarm above 0.25 (a "significant shift").
        case psi
        /// Jensen–Shannon divergence (bits) over confidence buckets; alarm above 0.1.
        case jensenShannon = "js"
        /// Chi-square of the label counts against the baseline shares; alarm when p < 1e-6.
        case chiSquare = "chi-square"

        public var metric: MonitoredMetric { self == .chiSquare ? .label : .confidence }
    }

    public var statistic: Statistic
    public var baselineIntervals: Int
    public var windowIntervals: Int
    public var threshold: Double

    public var name: String { statistic.rawValue }

    public init(_ statistic: Statistic, baselineIntervals: Int = 60, windowIntervals: Int = 10, threshold: Double? = nil) {
        self.statistic = statistic
        self.baselineIntervals = baselineIntervals
        self.windowIntervals = windowIntervals
        switch statistic {
        case .psi: self.threshold = threshold ?? 0.25
        case .jensenShannon: self.threshold = threshold ?? 0.1
        case .chiSquare: self.threshold = threshold ?? 1e-6
        }
    }

    /// - Complexity: O(intervals × window + records).
    public func alarms(on streams: MetricStreams) -> [Alarm] {
        let intervals = streams.intervals.filter { $0.predictions > 0 }
        guard intervals.count > baselineIntervals else { return [] }
        let histograms = intervals.map { histogram($0, labelCount: streams.labels.count) }
        let baseline = histograms.prefix(baselineIntervals).reduce(into: [Int](repeating: 0, count: histograms[0].count)) {
            for i in $0.indices { $0[i] += $1[i] }
        }
        var alarms: [Alarm] = []
        var quietUntil = baselineIntervals + windowIntervals - 1
        for end in (baselineIntervals + windowIntervals - 1)..<intervals.count where end >= quietUntil {
            var current = [Int](repeating: 0, count: baseline.count)
            for h in histograms[(end - windowIntervals + 1)...end] { for i in current.indices { current[i] += h[i] } }
            let (score, alarm): (Double, Bool)
            switch statistic {
            case .psi:
                let psi = DistributionDistance.psi(reference: baseline, current: current)
                (score, alarm) = (psi, psi > threshold)
            case .jensenShannon:
                let js = DistributionDistance.jensenShannon(reference: baseline, current: current)
                (score, alarm) = (js, js > threshold)
            case .chiSquare:
                let p = DistributionDistance.chiSquare(reference: baseline, current: current).pValue
                (score, alarm) = (p, p < threshold)
            }
            if alarm {
                alarms.append(Alarm(timestamp: intervals[end].end, metric: statistic.metric, score: score))
                quietUntil = end + windowIntervals
            }
        }
        return alarms
    }

    private func histogram(_ interval: IntervalSummary, labelCount: Int) -> [Int] {
        if statistic == .chiSquare {
            var counts = [Int](repeating: 0, count: labelCount)
            for code in interval.labels { counts[Int(code)] += 1 }
            return counts
        }
        return interval.confidences.withUnsafeBufferPointer { ConfidenceBuckets(counting: $0).counts }
    }
}
