import Foundation
import MonitorNumerics

/// The statistics the drift detectors watch, each on one ``MonitoredMetric``.
public enum DriftStatistic: String, Sendable, CaseIterable, Codable {
    /// The mean confidence.
    case meanConfidence = "mean_confidence"
    /// The typical latency: the geometric mean of processing times (the median of a log-normal).
    case latency
    /// The latency tail: the 99th percentile of processing times.
    case latencyTail = "latency_tail"
    /// The label mix (reported through the label whose share moved most).
    case labelMix = "label_mix"
    /// Errors over requests.
    case errorRate = "error_rate"
    /// The shape of the confidence distribution: the largest gap between the
    /// interval's and the baseline's cumulative shares at the baseline's deciles.
    case confidenceShape = "confidence_shape"
    /// The latency spread: the share of processing times outside the
    /// baseline's [p5, p95] band.
    case latencySpread = "latency_spread"

    public var metric: MonitoredMetric {
        switch self {
        case .meanConfidence, .confidenceShape: return .confidence
        case .latency, .latencyTail, .latencySpread: return .processingTime
        case .labelMix: return .label
        case .errorRate: return .errorRate
        }
    }

    /// Words for a person: "mean confidence", "p99 latency".
    public var title: String {
        switch self {
        case .meanConfidence: return "mean confidence"
        case .latency: return "typical latency"
        case .latencyTail: return "p99 latency"
        case .labelMix: return "label mix"
        case .errorRate: return "error rate"
        case .confidenceShape: return "confidence distribution"
        case .latencySpread: return "latency outside the p5–p95 band"
        }
    }

    /// A value of the statistic in its own units: `0.80`, `0.42 s`, `2.40%`.
    public func format(_ value: Double) -> String {
        switch self {
        case .meanConfidence, .confidenceShape: return Self.significant(value, 2)
        case .latency, .latencyTail: return Self.significant(value, 2) + " s"
        case .labelMix, .errorRate, .latencySpread: return Self.significant(value * 100, 3) + "%"
        }
    }

    /// `value` with `digits` significant digits, never in exponent form, at
    /// least two decimals below 10.
    static func significant(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        let magnitude = value == 0 ? 0 : Int(log10(abs(value)).rounded(.down))
        let decimals = min(9, max(abs(value) < 10 ? 2 : 0, digits - 1 - magnitude))
        return String(format: "%.\(decimals)f", value)
    }
}

/// A drift alarm raised on a stream, or the record that a drift resolved:
/// when, on which statistic, by which detector, how strongly, and the
/// statistic's baseline and current values in its own units.
public struct Alarm: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// A drift was detected.
        case firing
        /// The statistic is back in its pre-drift baseline band.
        case resolved
    }

    public var kind: Kind
    /// The end of the interval (or pooled batch) that raised it.
    public var timestamp: LocalTimestamp
    public var statistic: DriftStatistic
    public var detector: String
    /// The detector's score (its own scale; for the recommended detector the
    /// CUSUM statistic over its threshold, so above 1 at an alarm).
    public var score: Double
    /// The statistic under the baseline, when the detector has one.
    public var baseline: Double?
    /// The statistic in the interval or batch that raised the alarm.
    public var current: Double?
    /// For the label mix: the code of the label whose share moved most.
    public var label: UInt32?

    public var metric: MonitoredMetric { statistic.metric }

    public init(kind: Kind = .firing, timestamp: LocalTimestamp, statistic: DriftStatistic, detector: String,
                score: Double, baseline: Double? = nil, current: Double? = nil, label: UInt32? = nil) {
        self.kind = kind
        self.timestamp = timestamp
        self.statistic = statistic
        self.detector = detector
        self.score = score
        self.baseline = baseline
        self.current = current
        self.label = label
    }

    /// "mean confidence 0.80 → 0.61", "p99 latency 0.42 s → 1.9 s",
    /// "share of 'positive' 62.0% → 31.0%".
    ///
    /// - Parameter labelName: The name of ``label``, for the label mix.
    public func summary(labelName: String? = nil) -> String {
        var subject = statistic.title
        if statistic == .labelMix, let labelName { subject = "share of '\(labelName)'" }
        guard let baseline, let current else { return subject }
        if statistic == .confidenceShape {
            // Its values are distances from the baseline's distribution (0 under the baseline).
            return "\(subject): distance \(statistic.format(current)) from the baseline's (largest gap of cumulative shares at its deciles)"
        }
        return "\(subject) \(statistic.format(baseline)) → \(statistic.format(current))"
    }
}

/// A drift detector over a stream of closed intervals: the form in which
/// the live monitor and the offline `detect` run every detector, so that both
/// give the same alarms at the same interval timestamps.
public protocol IntervalDetector: Sendable {
    /// The catalogue name ("recommended", "adwin", …).
    var name: String { get }
    /// The metrics it watches.
    var metrics: [MonitoredMetric] { get }
    /// The latest score per statistic (for gauges); empty before the first.
    var scores: [DriftStatistic: Double] { get }
    /// Feeds one closed interval with at least one event, in time order.
    ///
    /// - Returns: The alarms and resolutions it raises, in statistic order.
    /// - Complexity: O(records in the interval) and O(metrics); never O(stream).
    mutating func update(_ interval: IntervalSummary) -> [Alarm]
}

extension IntervalDetector {
    /// Every alarm and resolution over a whole sequence of intervals.
    ///
    /// - Complexity: O(records).
    public func alarms<S: Sequence>(over intervals: S) -> [Alarm] where S.Element == IntervalSummary {
        var detector = self
        var alarms: [Alarm] = []
        for interval in intervals { alarms += detector.update(interval) }
        return alarms
    }
}

/// Watches a statistic after an alarm and says when it is back in its
/// baseline band for `calmNeeded` consecutive observations.
struct ResolutionWatch: Sendable {
    var calmNeeded = 5
    private var calm = 0

    init(calmNeeded: Int = 5) { self.calmNeeded = calmNeeded }

    /// Feeds whether the latest observation is inside the band; true when
    /// the drift counts as resolved.
    mutating func observe(inBand: Bool) -> Bool {
        calm = inBand ? calm + 1 : 0
        return calm >= calmNeeded
    }
}
