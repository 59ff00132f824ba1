import MonitorNumerics

/// Compares the distribution of a sliding window of recent intervals with a
/// baseline window at the start of the stream: PSI or Jensen–Shannon over
/// the reference's five confidence buckets, or a chi-square test of the
/// label mix. After an alarm it stays quiet for one window length.
public struct WindowDistributionDetector: IntervalDetector {
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
    public var metrics: [MonitoredMetric] { [statistic.metric] }
    public private(set) var scores: [DriftStatistic: Double] = [:]

    private var baseline: [Int] = []
    private var window: [[Int]] = []
    private var seen = 0
    private var quietUntil: Int
    private var firing = false
    private var watch = ResolutionWatch()

    /// - Precondition: `baselineIntervals ≥ 1`, `windowIntervals ≥ 1`.
    public init(_ statistic: Statistic, baselineIntervals: Int = 60, windowIntervals: Int = 10, threshold: Double? = nil) {
        precondition(baselineIntervals >= 1 && windowIntervals >= 1, "windows need at least one interval")
        self.statistic = statistic
        self.baselineIntervals = baselineIntervals
        self.windowIntervals = windowIntervals
        switch statistic {
        case .psi: self.threshold = threshold ?? 0.25
        case .jensenShannon: self.threshold = threshold ?? 0.1
        case .chiSquare: self.threshold = threshold ?? 1e-6
        }
        quietUntil = baselineIntervals + windowIntervals - 1
    }

    private var driftStatistic: DriftStatistic { statistic == .chiSquare ? .labelMix : .meanConfidence }

    /// Intervals without predictions are skipped. The first
    /// `baselineIntervals` with predictions form the baseline; from then on
    /// the last `windowIntervals` are compared with it after each interval.
    ///
    /// - Complexity: O(records in the interval + window × bins).
    public mutating func update(_ interval: IntervalSummary) -> [Alarm] {
        guard interval.predictions > 0 else { return [] }
        let histogram = statistic == .chiSquare
            ? interval.labelCounts()
            : interval.confidences.withUnsafeBufferPointer { ConfidenceBuckets(counting: $0).counts }
        let index = seen
        seen += 1
        if index < baselineIntervals {
            Self.add(histogram, to: &baseline)
            return []
        }
        window.append(histogram)
        if window.count > windowIntervals { window.removeFirst() }
        guard index >= baselineIntervals + windowIntervals - 1 else { return [] }
        var current: [Int] = []
        for h in window { Self.add(h, to: &current) }
        var reference = baseline
        if current.count > reference.count { reference += [Int](repeating: 0, count: current.count - reference.count) }
        if reference.count > current.count { current += [Int](repeating: 0, count: reference.count - current.count) }
        let (score, alarm): (Double, Bool)
        switch statistic {
        case .psi:
            let psi = DistributionDistance.psi(reference: reference, current: current)
            (score, alarm) = (psi, psi > threshold)
        case .jensenShannon:
            let js = DistributionDistance.jensenShannon(reference: reference, current: current)
            (score, alarm) = (js, js > threshold)
        case .chiSquare:
            let p = DistributionDistance.chiSquare(reference: reference, current: current).pValue
            (score, alarm) = (p, p < threshold)
        }
        scores[driftStatistic] = score
        guard index >= quietUntil else { return [] }
        if alarm {
            quietUntil = index + windowIntervals
            firing = true
            watch = ResolutionWatch(calmNeeded: windowIntervals)
            return [Alarm(timestamp: interval.end, statistic: driftStatistic, detector: name, score: score)]
        }
        if firing, watch.observe(inBand: true) {
            firing = false
            return [Alarm(kind: .resolved, timestamp: interval.end, statistic: driftStatistic, detector: name, score: score)]
        }
        return []
    }

    private static func add(_ counts: [Int], to total: inout [Int]) {
        if counts.count > total.count { total += [Int](repeating: 0, count: counts.count - total.count) }
        for i in counts.indices { total[i] += counts[i] }
    }
}
