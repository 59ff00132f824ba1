import Foundation
import Monitoring
import MonitorNumerics

/// DriftLab's recommended detector: per metric, a CUSUM on a statistic that
/// is standard normal under the baseline *whatever the traffic volume*, so
/// that one threshold serves quiet nights and busy afternoons alike.
///
/// For each interval with traffic:
/// - confidence: `z = (mean − μ₀) / (σ₀/√n)`, two-sided;
/// - processing time: the same on log processing times (the median), two-sided,
///   and the count above the baseline's 99th percentile as a Poisson mid-p
///   normal score, upward (the tail: p95/p99 growing while the median stays);
/// - label: the chi-square statistic of the interval's label counts against
///   the baseline shares, as a Wilson–Hilferty normal score, upward;
/// - error rate: the error count against the baseline rate, as a Poisson
///   mid-p normal score, upward.
///
/// Counts become normal scores through their exact tails rather than
/// `(x − λ)/√λ`, whose heavy right tail at small λ fed the CUSUM false alarms.
///
/// The baseline is the first `baselineIntervals` intervals with traffic.
/// CUSUM (`k = 1`, `h = 10`, in σ) accumulates evidence; after an alarm the
/// metric re-learns its baseline from the next `rebaselineIntervals`, so a
/// lasting drift alarms once and a recurring one at each recurrence.
///
/// Designed from the evaluation (`notebooks heuristics`): with `k = 0.5`
/// the small error in a one-hour baseline mean (about a quarter of a
/// per-minute σ) was enough for false alarms on the `none` control every
/// 12 hours or so; `k = 1` absorbs it (an in-control run length of millions
/// of minutes) while shifts of two per-minute σ or more, which every
/// scenario's drift produces within minutes, are still caught.
public struct RecommendedDetector: Sendable {
    public var baselineIntervals: Int
    public var rebaselineIntervals: Int
    public var k: Double
    public var h: Double
    /// Intervals are pooled until they hold this many requests before a
    /// score is computed, so that quiet streams get statistics as reliable as
    /// busy ones (at 1 request/s and more each minute stands alone).
    public var minimumBatch = 60

    public var name: String { "recommended" }

    public init(baselineIntervals: Int = 60, rebaselineIntervals: Int = 30, k: Double = 1, h: Double = 10) {
        self.baselineIntervals = baselineIntervals
        self.rebaselineIntervals = rebaselineIntervals
        self.k = k
        self.h = h
    }

    /// The alarms over a whole stream, for the chosen metrics.
    ///
    /// - Complexity: O(records).
    public func alarms(on streams: MetricStreams, metrics: [MonitoredMetric] = MonitoredMetric.allCases) -> [Alarm] {
        var alarms: [Alarm] = []
        for metric in metrics {
            switch metric {
            case .confidence:
                alarms += run(streams, metric, channels: [MeanShiftChannel(value: { $0 })])
            case .processingTime:
                alarms += run(streams, metric, channels: [MeanShiftChannel(processingTime: { log(max($0, 1e-6)) }), TailChannel()])
            case .label:
                alarms += run(streams, metric, channels: [LabelMixChannel(labelCount: streams.labels.count)])
            case .errorRate:
                alarms += run(streams, metric, channels: [ErrorRateChannel()])
            }
        }
        return alarms.sorted { $0.timestamp < $1.timestamp }
    }

    private func run(_ streams: MetricStreams, _ metric: MonitoredMetric, channels: [any BaselineChannel]) -> [Alarm] {
        var alarms: [Alarm] = []
        for prototype in channels {
            var channel = prototype
            var learning = baselineIntervals
            var upper = 0.0, lower = 0.0
            var pending: IntervalSummary?
            for interval in streams.intervals where channel.hasData(interval) {
                if learning > 0 {
                    channel.learn(interval)
                    learning -= 1
                    if learning == 0 { channel.freeze() }
                    continue
                }
                let batch = pending.map { $0.merged(with: interval) } ?? interval
                guard batch.requests >= minimumBatch else {
                    pending = batch
                    continue
                }
                pending = nil
                guard let z = channel.z(batch), z.isFinite else { continue }
                upper = max(0, upper + z - k)
                lower = channel.twoSided ? max(0, lower - z - k) : 0
                let statistic = max(upper, lower)
                if statistic > h {
                    alarms.append(Alarm(timestamp: batch.end, metric: metric, score: statistic / h))
                    upper = 0; lower = 0
                    channel.forget()
                    learning = rebaselineIntervals
                }
            }
        }
        return alarms
    }
}

extension IntervalSummary {
    /// This interval and a later one, pooled.
    func merged(with later: IntervalSummary) -> IntervalSummary {
        var pooled = self
        pooled.end = later.end
        pooled.confidences += later.confidences
        pooled.processingTimes += later.processingTimes
        pooled.labels += later.labels
        pooled.errors += later.errors
        return pooled
    }
}

/// A standardised per-interval statistic with a learned baseline.
protocol BaselineChannel: Sendable {
    var twoSided: Bool { get }
    func hasData(_ interval: IntervalSummary) -> Bool
    mutating func learn(_ interval: IntervalSummary)
    mutating func freeze()
    mutating func forget()
    func z(_ interval: IntervalSummary) -> Double?
}

/// The interval mean of a per-record value against the baseline mean.
struct MeanShiftChannel: BaselineChannel {
    let value: @Sendable (Double) -> Double
    var moments = RunningMoments()
    var usesConfidence = true
    var twoSided: Bool { true }

    init(value: @escaping @Sendable (Double) -> Double) { self.value = value }

    func hasData(_ interval: IntervalSummary) -> Bool { interval.predictions > 0 }
    mutating func learn(_ interval: IntervalSummary) { for x in source(interval) { moments.add(value(x)) } }
    mutating func freeze() {}
    mutating func forget() { moments = RunningMoments() }
    func z(_ interval: IntervalSummary) -> Double? {
        let xs = source(interval)
        guard moments.count > 1, !xs.isEmpty else { return nil }
        let mean = xs.reduce(0) { $0 + value($1) } / Double(xs.count)
        return (mean - moments.mean) / (max(moments.standardDeviation, 1e-9) / Double(xs.count).squareRoot())
    }
    func source(_ interval: IntervalSummary) -> [Double] { usesConfidence ? interval.confidences : interval.processingTimes }
}

extension MeanShiftChannel {
    /// The mean-shift channel over processing times rather than confidences.
    init(processingTime transform: @escaping @Sendable (Double) -> Double) {
        self.init(value: transform)
        usesConfidence = false
    }
}

/// The count of processing times above the baseline's 99th percentile.
struct TailChannel: BaselineChannel {
    var learned: [Double] = []
    var cut = Double.infinity
    let share = 0.01
    var twoSided: Bool { false }

    func hasData(_ interval: IntervalSummary) -> Bool { interval.predictions > 0 }
    mutating func learn(_ interval: IntervalSummary) { learned += interval.processingTimes }
    mutating func freeze() {
        guard !learned.isEmpty else { return }
        cut = learned.withUnsafeBufferPointer { Quantiles.linear($0, percentiles: [99]) }[0]
        learned = []
    }
    mutating func forget() { learned = []; cut = .infinity }
    func z(_ interval: IntervalSummary) -> Double? {
        guard cut.isFinite else { return nil }
        let above = interval.processingTimes.lazy.filter { $0 > cut }.count
        return SpecialFunctions.poissonZ(observed: above, expected: Double(interval.predictions) * share)
    }
}

/// The chi-square statistic of the interval's label mix against the baseline.
struct LabelMixChannel: BaselineChannel {
    var counts: [Int]
    var twoSided: Bool { false }

    init(labelCount: Int) { counts = [Int](repeating: 0, count: labelCount) }

    func hasData(_ interval: IntervalSummary) -> Bool { interval.predictions > 0 }
    mutating func learn(_ interval: IntervalSummary) { for code in interval.labels { counts[Int(code)] += 1 } }
    mutating func freeze() {}
    mutating func forget() { counts = [Int](repeating: 0, count: counts.count) }
    func z(_ interval: IntervalSummary) -> Double? {
        guard counts.contains(where: { $0 > 0 }) else { return nil }
        var current = [Int](repeating: 0, count: counts.count)
        for code in interval.labels { current[Int(code)] += 1 }
        let test = DistributionDistance.chiSquare(reference: counts, current: current)
        return SpecialFunctions.chiSquareZ(test.statistic, degreesOfFreedom: test.degreesOfFreedom)
    }
}

/// Errors in the interval against the baseline error rate.
struct ErrorRateChannel: BaselineChannel {
    var errors = 0
    var requests = 0
    var twoSided: Bool { false }

    func hasData(_ interval: IntervalSummary) -> Bool { interval.requests > 0 }
    mutating func learn(_ interval: IntervalSummary) {
        errors += interval.errors
        requests += interval.requests
    }
    mutating func freeze() {}
    mutating func forget() { errors = 0; requests = 0 }
    func z(_ interval: IntervalSummary) -> Double? {
        guard requests > 0 else { return nil }
        // Half an error of prior keeps a clean baseline from making one error infinitely surprising.
        let rate = (Double(errors) + 0.5) / (Double(requests) + 1)
        return SpecialFunctions.poissonZ(observed: interval.errors, expected: Double(interval.requests) * rate)
    }
}
