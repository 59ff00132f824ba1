import Monitoring

/// A named, parameterised traffic scenario: a baseline profile and the drifts
/// injected into it. Scenario files under `datasets/scenarios/` are this
/// type's JSON.
public struct Scenario: Sendable, Codable, Equatable {
    public var name: String
    /// One line for `notebooks simulate --list`.
    public var summary: String
    /// The default simulated duration.
    public var duration: TimeSpan
    public var baseline: TrafficProfile
    public var drifts: [DriftSpec]
    /// The default start (naive local ISO time), when the scenario depends
    /// on the day of the week; `nil` for the tools' default. Optional so
    /// that older scenario files decode.
    public var start: String?

    public init(name: String, summary: String, duration: TimeSpan = .hours(6), baseline: TrafficProfile = TrafficProfile(),
                drifts: [DriftSpec], start: String? = nil) {
        self.name = name
        self.summary = summary
        self.duration = duration
        self.baseline = baseline
        self.drifts = drifts
        self.start = start
    }

    /// The metrics any of the drifts affects, in a fixed order.
    public var affectedMetrics: [String] {
        let all = Set(drifts.flatMap(\.kind.affectedMetrics))
        return DriftKind.metricOrder.filter(all.contains)
    }
}

/// The stationary traffic of a healthy model.
public struct TrafficProfile: Sendable, Codable, Equatable {
    /// Mean arrivals per second (errors included), at the daily mean.
    public var ratePerSecond = 2.0
    /// Relative amplitude of the daily cycle: the rate swings between
    /// `1 - a` and `1 + a` times the mean, peaking at 14:00.
    public var dailyCycleAmplitude = 0.3
    /// The classes: prior weight and the Beta distribution of confidence.
    public var labels: [LabelProfile] = [
        LabelProfile(name: "positive", prior: 0.5, confidenceAlpha: 9, confidenceBeta: 1.5),
        LabelProfile(name: "negative", prior: 0.3, confidenceAlpha: 8, confidenceBeta: 1.8),
        LabelProfile(name: "neutral", prior: 0.2, confidenceAlpha: 5, confidenceBeta: 2.5),
    ]
    /// Processing time: log-normal body with an optional Pareto tail.
    public var processingTime = LatencyProfile()
    /// Probability that a request fails (recorded as an error).
    public var errorRate = 0.005
    public var modelVersion = "v1"
    /// Mean words per request text, and mean characters per word.
    public var meanWords = 18.0
    public var meanWordLength = 5.0
    /// Distinct client ids.
    public var clients = 40
    /// The rate on Saturdays and Sundays relative to weekdays (`nil`: 1).
    /// Optional so that older scenario files decode.
    public var weekendLevel: Double?
    /// Traffic surges: stretches where the arrival rate is multiplied,
    /// with the same traffic otherwise (volume only, not drift).
    public var surges: [TrafficSurge]?

    public init() {}

    /// The most the arrival rate can be above its mean: the daily cycle's
    /// peak, times the weekend level when above 1, times the surges active at
    /// once (their factors multiply where they overlap, so the largest product
    /// over the surges' onsets). The generator draws candidate arrivals at
    /// this multiple of the rate and thins them.
    ///
    /// - Complexity: O(*s*²) for *s* surges.
    public var peakRateFactor: Double {
        let surges = self.surges ?? []
        let surgePeak = surges.map { s in
            surges.filter { $0.onset <= s.onset && s.onset.microseconds < $0.onset.microseconds + $0.length.microseconds }
                .reduce(1.0) { $0 * Swift.max(1, $1.factor) }
        }.reduce(1, Swift.max)
        return (1 + abs(dailyCycleAmplitude)) * Swift.max(1, weekendLevel ?? 1) * surgePeak
    }
}

/// A stretch of extra traffic: the rate times `factor` from `onset` to
/// `onset + length` (from the start of the stream), with linear ramps of
/// `ramp` on both sides.
public struct TrafficSurge: Sendable, Codable, Equatable {
    public var onset: TimeSpan
    public var length: TimeSpan
    public var factor: Double
    public var ramp: TimeSpan?

    public init(onset: TimeSpan, length: TimeSpan, factor: Double, ramp: TimeSpan? = nil) {
        self.onset = onset
        self.length = length
        self.factor = factor
        self.ramp = ramp
    }

    /// The rate multiplier `elapsed` after the start of the stream.
    public func multiplier(at elapsed: Int64) -> Double {
        let start = onset.microseconds, stop = onset.microseconds + length.microseconds
        guard elapsed >= start, elapsed < stop else { return 1 }
        let edge = ramp?.microseconds ?? 0
        guard edge > 0 else { return factor }
        let w = min(1, Double(min(elapsed - start, stop - elapsed)) / Double(edge))
        return 1 + (factor - 1) * w
    }
}

public struct LabelProfile: Sendable, Codable, Equatable {
    public var name: String
    public var prior: Double
    public var confidenceAlpha: Double
    public var confidenceBeta: Double

    public init(name: String, prior: Double, confidenceAlpha: Double, confidenceBeta: Double) {
        self.name = name
        self.prior = prior
        self.confidenceAlpha = confidenceAlpha
        self.confidenceBeta = confidenceBeta
    }
}

public struct LatencyProfile: Sendable, Codable, Equatable {
    /// Median of the log-normal body, seconds.
    public var median = 0.25
    /// Log-scale spread of the body.
    public var sigma = 0.6
    /// Share of requests drawn from the Pareto tail instead.
    public var tailProbability = 0.002
    /// Pareto scale (the tail's minimum), seconds, and shape.
    public var tailScale = 1.5
    public var tailShape = 1.6

    public init() {}
}

/// What a drift changes.
public enum DriftKind: String, Sendable, Codable, CaseIterable {
    /// Confidences scaled down by `amount` (0.35: 35% lower at severity 1).
    case confidenceDrop = "confidence-drop"
    /// Label priors move toward `priors`.
    case labelPriorShift = "label-prior-shift"
    /// One `label` takes `amount` of the traffic (the reference's extreme skew).
    case labelCollapse = "label-collapse"
    /// The median processing time is multiplied by `1 + amount`.
    case latencyRegression = "latency-regression"
    /// `amount` of requests more come from the heavy tail.
    case latencyTail = "latency-tail"
    /// The error rate rises by `amount`.
    case errorBurst = "error-burst"
    /// Model `version` takes over the traffic, with confidences drawn from
    /// Beta(`confidenceAlpha`, `confidenceBeta`).
    case modelRollout = "model-rollout"
    /// The confidence distribution turns bimodal with its mean kept: each
    /// confidence `c` of a label whose Beta mean is `m` becomes
    /// `m ± amount + 0.4 (c − m)` (sign at random), for a share of the
    /// records that grows with the drift's activation.
    case confidenceBimodal = "confidence-bimodal"
    /// The log-normal body's spread is multiplied by `1 + amount`, its
    /// median kept.
    case latencySpread = "latency-spread"
    /// A `label` the baseline never saw takes `amount` of the traffic, its
    /// confidences drawn from Beta(`confidenceAlpha`, `confidenceBeta`)
    /// (the first label's by default).
    case newLabel = "new-label"

    public var affectedMetrics: [String] {
        switch self {
        case .confidenceDrop, .confidenceBimodal: return ["confidence"]
        case .labelPriorShift, .labelCollapse, .newLabel: return ["label"]
        case .latencyRegression, .latencyTail, .latencySpread: return ["processing_time"]
        case .errorBurst: return ["error_rate"]
        case .modelRollout: return ["confidence", "model_version"]
        }
    }

    static let metricOrder = ["confidence", "processing_time", "label", "error_rate", "model_version"]
}

/// One injected drift: what it changes, how much at severity 1, and when it
/// is active.
public struct DriftSpec: Sendable, Codable, Equatable {
    public var kind: DriftKind
    /// Time from the start of the stream to the onset.
    public var onset: TimeSpan
    /// Time from the start to the end; `nil` when the drift persists.
    public var end: TimeSpan?
    /// Linear ramp from no effect to full effect after the onset.
    public var ramp: TimeSpan?
    /// For recurring drifts: the cycle length and the active part of it.
    public var period: TimeSpan?
    public var activeFor: TimeSpan?
    /// The kind's magnitude at severity 1.
    public var amount: Double?
    public var label: String?
    public var priors: [LabelWeight]?
    public var version: String?
    public var confidenceAlpha: Double?
    public var confidenceBeta: Double?

    public init(kind: DriftKind, onset: TimeSpan, end: TimeSpan? = nil, ramp: TimeSpan? = nil, period: TimeSpan? = nil,
                activeFor: TimeSpan? = nil, amount: Double? = nil, label: String? = nil, priors: [LabelWeight]? = nil,
                version: String? = nil, confidenceAlpha: Double? = nil, confidenceBeta: Double? = nil) {
        self.kind = kind
        self.onset = onset
        self.end = end
        self.ramp = ramp
        self.period = period
        self.activeFor = activeFor
        self.amount = amount
        self.label = label
        self.priors = priors
        self.version = version
        self.confidenceAlpha = confidenceAlpha
        self.confidenceBeta = confidenceBeta
    }

    /// How active the drift is `elapsed` after the start, from 0 to 1.
    public func activation(at elapsed: Int64) -> Double {
        guard elapsed >= onset.microseconds else { return 0 }
        if let end, elapsed >= end.microseconds { return 0 }
        let sinceOnset = elapsed - onset.microseconds
        if let period, let activeFor, period.microseconds > 0 {
            return sinceOnset % period.microseconds < activeFor.microseconds ? 1 : 0
        }
        if let ramp, ramp.microseconds > 0 {
            return min(1, Double(sinceOnset) / Double(ramp.microseconds))
        }
        return 1
    }

    /// The intervals (from the start) in which the drift is active, within
    /// a stream of length `duration`.
    public func activeIntervals(duration: TimeSpan) -> [(onset: TimeSpan, offset: TimeSpan?)] {
        let stop = min(end?.microseconds ?? Int64.max, duration.microseconds)
        guard onset.microseconds < stop else { return [] }
        if let period, let activeFor, period.microseconds > 0 {
            var intervals: [(TimeSpan, TimeSpan?)] = []
            var start = onset.microseconds
            while start < stop {
                let finish = min(start + activeFor.microseconds, stop)
                intervals.append((TimeSpan(microseconds: start),
                                  finish == duration.microseconds && end == nil ? nil : TimeSpan(microseconds: finish)))
                start += period.microseconds
            }
            return intervals
        }
        return [(onset, end.flatMap { $0.microseconds <= duration.microseconds ? $0 : nil })]
    }
}

/// A label and a weight, in a list so that files keep their order.
public struct LabelWeight: Sendable, Codable, Equatable {
    public var label: String
    public var weight: Double
    public init(label: String, weight: Double) {
        self.label = label
        self.weight = weight
    }
}
