import Foundation
import MonitorNumerics

/// DriftLab's recommended detector: per statistic, a CUSUM on a score that
/// is standard normal under the baseline *whatever the traffic volume*, so
/// that one threshold serves quiet nights and busy afternoons alike.
///
/// For each interval (pooled until it holds ``minimumBatch`` requests):
/// - mean confidence: `z = (mean − μ₀) / (σ₀·√(1/n + 1/n₀))`, two-sided
///   (the baseline mean's own error included);
/// - confidence shape: the interval's counts over the baseline's decile
///   bins against the baseline's counts, a chi-square test of homogeneity
///   as a Wilson–Hilferty normal score, upward (a bimodal split with the
///   mean kept);
/// - typical latency: the same as the mean confidence on log processing
///   times, two-sided;
/// - latency tail: the count above the baseline's 99th percentile against
///   a Beta–Binomial predictive from the baseline's own count above it,
///   upward (p95/p99 growing while the median stays);
/// - latency spread: the counts below the baseline's p5, inside [p5, p95]
///   and above p95 against the baseline's, the homogeneity test again (a
///   spread change with the median kept);
/// - label mix: the chi-square statistic of the interval's label counts
///   against the baseline shares, as a Wilson–Hilferty normal score, upward
///   (a label never seen gets half a count, so a new label is a strong signal);
/// - error rate: the error count against a Beta–Binomial predictive whose
///   rate is Beta(errors + ½, non-errors + ½) from the baseline, upward.
///
/// Every score is per record, so a change of traffic volume alone (a quiet
/// night, a surge) changes only how fast batches fill, not the scores.
///
/// Counts become normal scores through their exact tails rather than
/// `(x − λ)/√λ`, whose heavy right tail at small λ fed the CUSUM false alarms.
///
/// **Baseline.** The first ``baselineIntervals`` intervals with traffic that
/// together hold at least ``minimumBaselineRequests`` requests (so that a
/// few requests a minute at night cannot make a noisy baseline); it then
/// grows with the batches it scores while its CUSUM stays below `h/2`, up to
/// ``fullBaselineRequests``, so that its own error stays small against a busy
/// minute's. With
/// ``BaselinePolicy/afterLastDrift`` (the default) a statistic re-learns its
/// baseline from the ``rebaselineIntervals`` after each alarm, so a lasting
/// drift alarms once and a recurring one at each recurrence; with
/// ``BaselinePolicy/fixedStart`` the first baseline is kept for the whole
/// stream and a statistic stays latched after an alarm until it resolves;
/// with ``BaselinePolicy/trailing(window:gap:)`` the baseline is the window
/// of intervals ending a gap before now, rebuilt once per window.
///
/// **Resolution.** After an alarm each statistic is also scored against its
/// pre-drift baseline; five consecutive batches inside `|z| ≤ 2` give a
/// ``Alarm/Kind/resolved`` record, and so does a CUSUM alarm against the
/// re-learned level whose batch lies inside that band (the statistic went
/// back): the pre-drift baseline is then restored, so a recurring drift
/// alarms at each recurrence and resolves at each return.
///
/// CUSUM (`k = 1`, `h = 10`, in σ): with `k = 0.5` the small error in a
/// one-hour baseline mean (about a quarter of a per-minute σ) gave false
/// alarms on the `none` control every 12 hours or so; `k = 1` absorbs it
/// while shifts of two per-minute σ or more are still caught within minutes.
public struct RecommendedDetector: IntervalDetector {
    /// How the baseline a statistic is compared with is chosen.
    public enum BaselinePolicy: Sendable, Equatable, Codable {
        /// The start of the stream, re-learned after each drift alarm.
        case afterLastDrift
        /// The start of the stream, kept for good.
        case fixedStart
        /// The `window` intervals with traffic that end `gap` intervals
        /// before the latest, re-learned every `window` intervals: a
        /// baseline that follows slow seasonal change while the gap keeps a
        /// fresh drift out of it. A statistic whose drift is unresolved keeps
        /// its baseline.
        case trailing(window: Int, gap: Int)
    }

    public var baselineIntervals: Int
    public var rebaselineIntervals: Int
    public var k: Double
    public var h: Double
    /// Intervals are pooled until they hold this many requests before a
    /// mean or count score is computed.
    public var minimumBatch = 30
    /// The same for the histogram tests (ten decile bins want six records
    /// each at least).
    public var minimumShapeBatch = 60
    /// A baseline needs at least this many requests besides its intervals
    /// before scoring starts.
    public var minimumBaselineRequests = 600
    /// After that the baseline keeps growing with every batch scored while
    /// its CUSUM is below half the threshold, up to this many requests: its
    /// own error is shared by every later batch, so it must become small
    /// against a busy minute's (a few hundred requests), not only a quiet
    /// night's, without delaying the first scores on a sparse stream.
    public var fullBaselineRequests = 2_500
    public var policy: BaselinePolicy

    public var name: String { "recommended" }
    public let metrics: [MonitoredMetric]
    public var scores: [DriftStatistic: Double] {
        Dictionary(channels.map { ($0.statistic, $0.score) }, uniquingKeysWith: max)
    }

    private var channels: [ChannelRun]

    /// - Parameters:
    ///   - metrics: The metrics to watch (all by default).
    ///   - baselineIntervals: Intervals with traffic in a baseline (≥ 1).
    ///   - rebaselineIntervals: Intervals re-learned after an alarm (≥ 1).
    ///   - k: The CUSUM allowance in σ (≥ 0).
    ///   - h: The CUSUM threshold in σ (> 0).
    public init(metrics: [MonitoredMetric] = MonitoredMetric.allCases, baselineIntervals: Int = 60,
                rebaselineIntervals: Int = 30, k: Double = 1, h: Double = 10, policy: BaselinePolicy = .afterLastDrift) {
        precondition(baselineIntervals >= 1 && rebaselineIntervals >= 1, "baselines need at least one interval")
        precondition(k >= 0 && h > 0 && k.isFinite && h.isFinite, "k must be ≥ 0 and h > 0")
        if case .trailing(let window, let gap) = policy {
            precondition(window >= 1 && gap >= 0, "a trailing baseline needs a window ≥ 1 and a gap ≥ 0")
        }
        self.metrics = MonitoredMetric.allCases.filter(metrics.contains)
        self.baselineIntervals = baselineIntervals
        self.rebaselineIntervals = rebaselineIntervals
        self.k = k
        self.h = h
        self.policy = policy
        var channels: [ChannelRun] = []
        for metric in self.metrics {
            switch metric {
            case .confidence:
                channels.append(ChannelRun(.meanConfidence, MeanShiftChannel(source: .confidence)))
                channels.append(ChannelRun(.confidenceShape, ShapeChannel(source: .confidence)))
            case .processingTime:
                channels.append(ChannelRun(.latency, MeanShiftChannel(source: .logProcessingTime)))
                channels.append(ChannelRun(.latencyTail, TailChannel()))
                channels.append(ChannelRun(.latencySpread, ShapeChannel(source: .latencyBand)))
            case .label: channels.append(ChannelRun(.labelMix, LabelMixChannel()))
            case .errorRate: channels.append(ChannelRun(.errorRate, ErrorRateChannel()))
            }
        }
        for i in channels.indices { channels[i].learning = baselineIntervals }
        self.channels = channels
    }

    /// - Complexity: O(records in the interval) per statistic.
    public mutating func update(_ interval: IntervalSummary) -> [Alarm] {
        var alarms: [Alarm] = []
        for i in channels.indices {
            if let alarm = channels[i].update(interval, self) { alarms.append(alarm) }
        }
        return alarms
    }

    /// One statistic's CUSUM, baseline and pending batch.
    ///
    /// - Complexity of `retrain`: O(records in `window` intervals) every
    ///   `window` intervals, so O(records in an interval) amortised.
    private struct ChannelRun: Sendable {
        let statistic: DriftStatistic
        var channel: any BaselineChannel
        var learning = 0
        var learnedRequests = 0
        /// Requests in the current baseline, learned or grown into.
        var baselineRequests = 0
        var upper = 0.0, lower = 0.0
        var pending: IntervalSummary?
        var score = 0.0
        /// The pre-drift baseline while a drift is unresolved.
        var driftBaseline: (any BaselineChannel)?
        var watch = ResolutionWatch()
        /// For a trailing baseline: the latest intervals with data, and how
        /// many have arrived since the baseline was last rebuilt.
        var history: [IntervalSummary] = []
        var sinceRebuild = 0

        init(_ statistic: DriftStatistic, _ channel: any BaselineChannel) {
            self.statistic = statistic
            self.channel = channel
        }

        /// Keeps the trailing history and rebuilds the baseline from the
        /// window ending `gap` intervals ago once every `window` intervals.
        mutating func retrain(_ interval: IntervalSummary, window: Int, gap: Int) {
            history.append(interval)
            if history.count > window + gap { history.removeFirst(history.count - window - gap) }
            sinceRebuild += 1
            guard sinceRebuild >= window, history.count == window + gap, learning == 0, driftBaseline == nil else { return }
            sinceRebuild = 0
            var rebuilt = channel
            rebuilt.forget()
            for past in history.prefix(window) { rebuilt.learn(past) }
            rebuilt.freeze()
            channel = rebuilt
        }

        mutating func update(_ interval: IntervalSummary, _ settings: RecommendedDetector) -> Alarm? {
            guard channel.hasData(interval) else { return nil }
            if case .trailing(let window, let gap) = settings.policy { retrain(interval, window: window, gap: gap) }
            if learning > 0 || learnedRequests < settings.minimumBaselineRequests && channel.isLearning {
                channel.learn(interval)
                learning = max(0, learning - 1)
                learnedRequests += interval.requests
                baselineRequests += interval.requests
                if learning == 0 && learnedRequests >= settings.minimumBaselineRequests { channel.freeze() }
                return nil
            }
            let batch = pending.map { $0.merged(with: interval) } ?? interval
            guard batch.requests >= (channel is ShapeChannel ? settings.minimumShapeBatch : settings.minimumBatch) else {
                pending = batch
                return nil
            }
            pending = nil
            if let baseline = driftBaseline, let z = baseline.z(batch), z.isFinite {
                let inBand = baseline.twoSided ? abs(z) <= 2 : z <= 2
                if watch.observe(inBand: inBand) {
                    driftBaseline = nil
                    if settings.policy == .fixedStart { channel = baseline; upper = 0; lower = 0 }
                    let (before, now, label) = baseline.values(batch)
                    return Alarm(kind: .resolved, timestamp: batch.end, statistic: statistic, detector: settings.name,
                                 score: score, baseline: before, current: now, label: label)
                }
            }
            if settings.policy == .fixedStart && driftBaseline != nil { return nil }
            guard let z = channel.z(batch), z.isFinite else { return nil }
            upper = max(0, upper + z - settings.k)
            lower = channel.twoSided ? max(0, lower - z - settings.k) : 0
            let statisticValue = max(upper, lower)
            score = statisticValue / settings.h
            guard statisticValue > settings.h else {
                if baselineRequests < settings.fullBaselineRequests, statisticValue < settings.h / 2 {
                    if case .trailing = settings.policy {} else {
                        channel.extend(batch)
                        baselineRequests += batch.requests
                    }
                }
                return nil
            }
            if let old = driftBaseline, let zOld = old.z(batch), zOld.isFinite, old.twoSided ? abs(zOld) <= 2 : zOld <= 2 {
                // The statistic left its re-learned (drifted) level back into the pre-drift band: that is the
                // drift's resolution, not a new drift. The pre-drift baseline is restored.
                let (before, now, label) = old.values(batch)
                channel = old
                driftBaseline = nil
                upper = 0; lower = 0
                learning = 0
                return Alarm(kind: .resolved, timestamp: batch.end, statistic: statistic, detector: settings.name,
                             score: score, baseline: before, current: now, label: label)
            }
            let (before, now, label) = channel.values(batch)
            let alarm = Alarm(timestamp: batch.end, statistic: statistic, detector: settings.name, score: score,
                              baseline: before, current: now, label: label)
            upper = 0; lower = 0
            if driftBaseline == nil { driftBaseline = channel }
            watch = ResolutionWatch()
            if settings.policy != .fixedStart {
                channel.forget()
                learning = settings.rebaselineIntervals
                learnedRequests = settings.minimumBaselineRequests
                baselineRequests = 0
            }
            return alarm
        }
    }
}

/// A standardised per-interval statistic with a learned baseline.
protocol BaselineChannel: Sendable {
    var twoSided: Bool { get }
    /// Whether the baseline is still being learned (not frozen).
    var isLearning: Bool { get }
    func hasData(_ interval: IntervalSummary) -> Bool
    mutating func learn(_ interval: IntervalSummary)
    /// Adds a scored interval to a frozen baseline (its cut points kept).
    mutating func extend(_ interval: IntervalSummary)
    mutating func freeze()
    mutating func forget()
    func z(_ interval: IntervalSummary) -> Double?
    /// The statistic under the baseline and in `interval`, in its own units,
    /// and the label concerned for the label mix.
    func values(_ interval: IntervalSummary) -> (baseline: Double?, current: Double?, label: UInt32?)
}

extension BaselineChannel {
    mutating func extend(_ interval: IntervalSummary) { learn(interval) }
}

/// The interval mean of a per-record value against the baseline mean.
struct MeanShiftChannel: BaselineChannel {
    enum Source: Sendable { case confidence, logProcessingTime }
    let source: Source
    var moments = RunningMoments()
    var frozen = false
    var twoSided: Bool { true }
    var isLearning: Bool { !frozen }

    init(source: Source) { self.source = source }

    func hasData(_ interval: IntervalSummary) -> Bool { interval.predictions > 0 }
    mutating func learn(_ interval: IntervalSummary) {
        switch source {
        case .confidence: for x in interval.confidences { moments.add(x) }
        case .logProcessingTime: for x in interval.processingTimes { moments.add(Self.logTime(x)) }
        }
    }
    mutating func freeze() { frozen = true }
    mutating func forget() { moments = RunningMoments(); frozen = false }

    func mean(_ interval: IntervalSummary) -> Double {
        switch source {
        case .confidence: return interval.confidences.reduce(0, +) / Double(interval.predictions)
        case .logProcessingTime:
            return interval.processingTimes.reduce(0) { $0 + Self.logTime($1) } / Double(interval.predictions)
        }
    }

    func z(_ interval: IntervalSummary) -> Double? {
        guard moments.count > 1, interval.predictions > 0 else { return nil }
        // The baseline mean's own error counts too: a one-hour baseline at night is a few hundred records.
        let n = Double(interval.predictions), n0 = Double(moments.count)
        return (mean(interval) - moments.mean) / (max(moments.standardDeviation, 1e-9) * (1 / n + 1 / n0).squareRoot())
    }

    func values(_ interval: IntervalSummary) -> (baseline: Double?, current: Double?, label: UInt32?) {
        guard moments.count > 0, interval.predictions > 0 else { return (nil, nil, nil) }
        switch source {
        case .confidence: return (moments.mean, mean(interval), nil)
        case .logProcessingTime: return (exp(moments.mean), exp(mean(interval)), nil)
        }
    }

    static func logTime(_ seconds: Double) -> Double { log(max(seconds, 1e-6)) }
}

/// The count of processing times above the baseline's 99th percentile,
/// against a Beta–Binomial predictive whose rate is the baseline's own count
/// above that cut (so the baseline's uncertainty is allowed for).
struct TailChannel: BaselineChannel {
    var learned: [Double] = []
    var cut = Double.infinity
    /// Baseline records above the cut, and in all.
    var above = 0, total = 0
    var twoSided: Bool { false }
    var isLearning: Bool { !cut.isFinite }

    func hasData(_ interval: IntervalSummary) -> Bool { interval.predictions > 0 }
    mutating func learn(_ interval: IntervalSummary) { learned += interval.processingTimes }
    mutating func freeze() {
        guard !learned.isEmpty else { return }
        cut = learned.withUnsafeBufferPointer { Quantiles.linear($0, percentiles: [99]) }[0]
        let cut = self.cut
        above = learned.lazy.filter { $0 > cut }.count
        total = learned.count
        learned = []
    }
    mutating func forget() { learned = []; cut = .infinity; above = 0; total = 0 }
    mutating func extend(_ interval: IntervalSummary) {
        guard cut.isFinite else { return learn(interval) }
        let cut = self.cut
        above += interval.processingTimes.lazy.filter { $0 > cut }.count
        total += interval.predictions
    }
    func z(_ interval: IntervalSummary) -> Double? {
        guard cut.isFinite else { return nil }
        let count = interval.processingTimes.lazy.filter { $0 > cut }.count
        return SpecialFunctions.betaBinomialZ(observed: count, trials: interval.predictions,
                                              alpha: Double(above) + 0.5, beta: Double(total - above) + 0.5)
    }
    func values(_ interval: IntervalSummary) -> (baseline: Double?, current: Double?, label: UInt32?) {
        guard cut.isFinite, interval.predictions > 0 else { return (nil, nil, nil) }
        return (cut, interval.processingTimes.withUnsafeBufferPointer { Quantiles.linear($0, percentiles: [99]) }[0], nil)
    }
}

/// The chi-square statistic of the interval's label mix against the baseline.
struct LabelMixChannel: BaselineChannel {
    var counts: [Int] = []
    var frozen = false
    var twoSided: Bool { false }
    var isLearning: Bool { !frozen }

    func hasData(_ interval: IntervalSummary) -> Bool { interval.predictions > 0 }
    mutating func learn(_ interval: IntervalSummary) {
        for code in interval.labels {
            if Int(code) >= counts.count { counts += [Int](repeating: 0, count: Int(code) + 1 - counts.count) }
            counts[Int(code)] += 1
        }
    }
    mutating func freeze() { frozen = true }
    mutating func forget() { counts = []; frozen = false }
    func z(_ interval: IntervalSummary) -> Double? {
        guard counts.contains(where: { $0 > 0 }) else { return nil }
        let current = interval.labelCounts(minimumLength: counts.count)
        let test = DistributionDistance.chiSquare(reference: counts + [Int](repeating: 0, count: current.count - counts.count),
                                                  current: current)
        return SpecialFunctions.chiSquareZ(test.statistic, degreesOfFreedom: test.degreesOfFreedom)
    }
    func values(_ interval: IntervalSummary) -> (baseline: Double?, current: Double?, label: UInt32?) {
        let total = counts.reduce(0, +)
        guard total > 0, interval.predictions > 0 else { return (nil, nil, nil) }
        let current = interval.labelCounts(minimumLength: counts.count)
        var best: (code: Int, before: Double, now: Double)?
        for code in current.indices {
            let before = code < counts.count ? Double(counts[code]) / Double(total) : 0
            let now = Double(current[code]) / Double(interval.predictions)
            if best == nil || abs(now - before) > abs(best!.now - best!.before) { best = (code, before, now) }
        }
        return best.map { ($0.before, $0.now, UInt32($0.code)) } ?? (nil, nil, nil)
    }
}

/// The interval's histogram over bins cut at the baseline's quantiles,
/// against the baseline's counts in the same bins, by a chi-square test of
/// homogeneity (a Wilson–Hilferty normal score, upward): for confidence the
/// ten decile bins (a shape change with the mean kept, such as a bimodal
/// split), for latency the three bins below p5, inside [p5, p95] and above
/// p95 (a spread change with the median kept).
///
/// - Complexity: O(records · log bins) per interval; the baseline's values
///   are held only while it is learned.
struct ShapeChannel: BaselineChannel {
    enum Source: Sendable { case confidence, latencyBand }
    let source: Source
    var learned: [Double] = []
    var edges: [Double] = []
    var counts: [Int] = []
    var twoSided: Bool { false }
    var isLearning: Bool { edges.isEmpty }

    init(source: Source) { self.source = source }

    var percentiles: [Double] {
        switch source {
        case .confidence: return [10, 20, 30, 40, 50, 60, 70, 80, 90]
        case .latencyBand: return [5, 95]
        }
    }
    func sample(_ interval: IntervalSummary) -> [Double] {
        source == .confidence ? interval.confidences : interval.processingTimes
    }
    func hasData(_ interval: IntervalSummary) -> Bool { interval.predictions > 0 }
    mutating func learn(_ interval: IntervalSummary) { learned += sample(interval) }
    mutating func freeze() {
        guard !learned.isEmpty else { return }
        let percentiles = self.percentiles
        edges = learned.withUnsafeBufferPointer { Quantiles.linear($0, percentiles: percentiles) }
        counts = Self.histogram(learned, edges)
        learned = []
    }
    mutating func forget() { learned = []; edges = []; counts = [] }
    mutating func extend(_ interval: IntervalSummary) {
        guard !edges.isEmpty else { return learn(interval) }
        for (i, n) in Self.histogram(sample(interval), edges).enumerated() { counts[i] += n }
    }

    /// Counts in the bins (−∞, e₁], (e₁, e₂], …, (e_k, ∞).
    static func histogram(_ values: [Double], _ edges: [Double]) -> [Int] {
        var counts = [Int](repeating: 0, count: edges.count + 1)
        for x in values {
            var lo = 0, hi = edges.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if edges[mid] < x { lo = mid + 1 } else { hi = mid }
            }
            counts[lo] += 1
        }
        return counts
    }

    func z(_ interval: IntervalSummary) -> Double? {
        guard !edges.isEmpty else { return nil }
        let current = Self.histogram(sample(interval), edges)
        let test = DistributionDistance.chiSquareHomogeneity(reference: counts, current: current)
        return SpecialFunctions.chiSquareZ(test.statistic, degreesOfFreedom: test.degreesOfFreedom)
    }

    func values(_ interval: IntervalSummary) -> (baseline: Double?, current: Double?, label: UInt32?) {
        let n0 = counts.reduce(0, +)
        guard n0 > 0, interval.predictions > 0 else { return (nil, nil, nil) }
        let current = Self.histogram(sample(interval), edges)
        let n = Double(interval.predictions)
        switch source {
        case .confidence:
            // The largest gap between cumulative shares at the baseline's deciles (a KS distance on that grid).
            var a = 0.0, b = 0.0, gap = 0.0
            for i in 0..<(counts.count - 1) {
                a += Double(counts[i]) / Double(n0)
                b += Double(current[i]) / n
                gap = max(gap, abs(a - b))
            }
            return (0, gap, nil)
        case .latencyBand:
            return (Double(counts[0] + counts[2]) / Double(n0), Double(current[0] + current[2]) / n, nil)
        }
    }
}

/// Errors in the interval against the baseline error rate.
struct ErrorRateChannel: BaselineChannel {
    var errors = 0
    var requests = 0
    var frozen = false
    var twoSided: Bool { false }
    var isLearning: Bool { !frozen }

    func hasData(_ interval: IntervalSummary) -> Bool { interval.requests > 0 }
    mutating func learn(_ interval: IntervalSummary) {
        errors += interval.errors
        requests += interval.requests
    }
    mutating func freeze() { frozen = true }
    mutating func forget() { errors = 0; requests = 0; frozen = false }
    func z(_ interval: IntervalSummary) -> Double? {
        guard requests > 0 else { return nil }
        // The baseline rate as Beta(errors + ½, non-errors + ½) (Jeffreys): a clean or short baseline widens the
        // predictive instead of making one error infinitely surprising.
        return SpecialFunctions.betaBinomialZ(observed: interval.errors, trials: interval.requests,
                                              alpha: Double(errors) + 0.5, beta: Double(requests - errors) + 0.5)
    }
    func values(_ interval: IntervalSummary) -> (baseline: Double?, current: Double?, label: UInt32?) {
        guard requests > 0, interval.requests > 0 else { return (nil, nil, nil) }
        return (Double(errors) / Double(requests), Double(interval.errors) / Double(interval.requests), nil)
    }
}
