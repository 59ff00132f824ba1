import MonitorNumerics
import Foundation
import Monitoring

/// One simulated event: a prediction or an error, as a replay reads them
/// back from a monitor directory.
public typealias SimulatedEvent = MonitorEvent

/// Generates a scenario's events in time order, deterministically from a seed.
///
/// Arrivals are a Poisson process whose rate follows the daily cycle
/// (simulated by thinning); each arrival is an error with the current error
/// rate, otherwise a prediction whose label, confidence, processing time and
/// text size are drawn from the profile as modified by the active drifts.
public struct TrafficGenerator: Sequence, IteratorProtocol {
    public let scenario: Scenario
    public let start: LocalTimestamp
    public let duration: TimeSpan
    public let severity: Double
    public let seed: UInt64
    /// The mean arrival rate in use.
    public var ratePerSecond: Double { rate }
    private var rng: SplitMix64
    private var elapsed: Int64 = 0
    private let rate: Double
    private let peakRate: Double
    private let labelNames: [String]
    private let labelIndex: [String: Int]
    private static let errorTypes = [("timeout", "upstream model server timed out"),
                                     ("model_error", "inference failed"),
                                     ("invalid_input", "request text could not be decoded")]
    private static let userAgents = ["python-requests/2.31", "okhttp/4.12", "curl/8.5", "Mozilla/5.0"]

    /// - Parameters:
    ///   - scenario: The traffic and its drifts.
    ///   - seed: Equal seeds give equal streams.
    ///   - start: The first possible timestamp.
    ///   - duration: How long to simulate (the scenario's default if `nil`).
    ///   - ratePerSecond: Overrides the profile's mean rate.
    ///   - severity: Scales every drift (1 is the scenario as written, 0 none).
    /// - Precondition: the settings and the scenario are in the ranges of
    ///   ``SimulationLimits/check(scenario:duration:ratePerSecond:severity:start:)``
    ///   (check settings from user input with it first).
    public init(scenario: Scenario, seed: UInt64, start: LocalTimestamp, duration: TimeSpan? = nil,
                ratePerSecond: Double? = nil, severity: Double = 1) {
        do {
            try SimulationLimits.check(scenario: scenario, duration: duration ?? scenario.duration,
                                       ratePerSecond: ratePerSecond ?? scenario.baseline.ratePerSecond,
                                       severity: severity, start: start)
        } catch {
            preconditionFailure("TrafficGenerator: \(error)")
        }
        self.scenario = scenario
        self.start = start
        self.duration = duration ?? scenario.duration
        self.severity = severity
        self.seed = seed
        rng = SplitMix64(seed: seed)
        rate = ratePerSecond ?? scenario.baseline.ratePerSecond
        peakRate = rate * scenario.baseline.peakRateFactor
        var names = scenario.baseline.labels.map(\.name)
        for drift in scenario.drifts {
            for name in (drift.priors?.map(\.label) ?? []) + (drift.label.map { [$0] } ?? []) where !names.contains(name) {
                names.append(name)
            }
        }
        labelNames = names
        labelIndex = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
    }

    /// The next event, or `nil` after the duration.
    public mutating func next() -> SimulatedEvent? {
        guard peakRate > 0 else { return nil }
        while true {
            elapsed += Swift.max(1, Int64((Samplers.exponential(rate: peakRate, &rng) * 1e6).rounded()))
            guard elapsed < duration.microseconds else { return nil }
            let timestamp = start.adding(microseconds: elapsed)
            if Samplers.openUnit(&rng) * peakRate <= rateAt(timestamp, elapsed: elapsed) { return event(at: timestamp) }
        }
    }

    /// The arrival rate at `timestamp` (`elapsed` after the start): the mean
    /// times the daily cycle, the weekend level on Saturdays and Sundays, and
    /// any surge.
    func rateAt(_ timestamp: LocalTimestamp, elapsed: Int64 = 0) -> Double {
        let (day, time) = LocalTimestamp.floorDivision(timestamp.microseconds, LocalTimestamp.microsecondsPerDay)
        let dayFraction = Double(time) / Double(LocalTimestamp.microsecondsPerDay)
        let profile = scenario.baseline
        var r = rate * Swift.max(0, 1 + profile.dailyCycleAmplitude * sin(2 * Double.pi * (dayFraction - 8.0 / 24)))
        if let weekend = profile.weekendLevel, Self.isWeekend(day: day) { r *= weekend }
        for surge in profile.surges ?? [] { r *= surge.multiplier(at: elapsed) }
        return r
    }

    /// Whether day `day` since 1970-01-01 (a Thursday) is a Saturday or Sunday.
    static func isWeekend(day: Int64) -> Bool {
        LocalTimestamp.floorDivision(day + 3, 7).remainder >= 5
    }

    private mutating func event(at timestamp: LocalTimestamp) -> SimulatedEvent {
        let profile = scenario.baseline
        var errorRate = profile.errorRate
        var priors = labelNames.map { name in profile.labels.first { $0.name == name }?.prior ?? 0 }
        var confidenceScale = 1.0
        var medianScale = 1.0
        var tailProbability = profile.processingTime.tailProbability
        var sigmaScale = 1.0
        var bimodal: (share: Double, lowShare: Double)?
        var newLabel: (index: Int, alpha: Double?, beta: Double?)?
        var rollout: (share: Double, version: String, alpha: Double, beta: Double)?
        for drift in scenario.drifts {
            let w = drift.activation(at: elapsed)
            guard w > 0 else { continue }
            let effect = severity * w
            let mix = Swift.min(1, Swift.max(0, effect))
            switch drift.kind {
            case .confidenceDrop: confidenceScale *= Swift.max(0, 1 - (drift.amount ?? 0.35) * effect)
            case .latencyRegression: medianScale *= 1 + (drift.amount ?? 3) * effect
            case .latencyTail: tailProbability = Swift.min(1, tailProbability + (drift.amount ?? 0.08) * effect)
            case .errorBurst: errorRate = Swift.min(1, errorRate + (drift.amount ?? 0.25) * effect)
            case .labelPriorShift:
                let target = labelNames.map { name in drift.priors?.first { $0.label == name }?.weight ?? 0 }
                let total = target.reduce(0, +), base = priors.reduce(0, +)
                priors = zip(priors, target).map { (1 - mix) * $0 / base + mix * $1 / Swift.max(total, .leastNonzeroMagnitude) }
            case .labelCollapse:
                guard let label = drift.label, let index = labelIndex[label] else { continue }
                let base = priors.reduce(0, +)
                let share = drift.amount ?? 0.97
                priors = priors.enumerated().map { i, p in
                    let normalised = p / base
                    let target = i == index ? share : normalised * (1 - share) / Swift.max(1e-12, 1 - priors[index] / base)
                    return (1 - mix) * normalised + mix * target
                }
            case .modelRollout:
                rollout = (mix, drift.version ?? "v2", drift.confidenceAlpha ?? 4, drift.confidenceBeta ?? 2.2)
            case .confidenceBimodal:
                bimodal = (mix, Swift.min(0.9, Swift.max(0.05, drift.amount ?? 0.25)))
            case .latencySpread: sigmaScale *= 1 + (drift.amount ?? 0.5) * effect
            case .newLabel:
                guard let label = drift.label, let index = labelIndex[label] else { continue }
                let share = Swift.min(1, (drift.amount ?? 0.03) * effect)
                let base = priors.reduce(0, +) - priors[index]
                priors = priors.enumerated().map { i, p in i == index ? share : p / Swift.max(base, 1e-12) * (1 - share) }
                newLabel = (index, drift.confidenceAlpha, drift.confidenceBeta)
            }
        }
        if Samplers.bernoulli(errorRate, &rng) {
            let (type, message) = Self.errorTypes[Samplers.categorical([0.6, 0.3, 0.1], &rng)]
            return .error(timestamp: timestamp, type: type, message: message)
        }
        let labelSlot = Samplers.categorical(priors, &rng)
        let label = labelNames[labelSlot]
        let labelProfile = profile.labels.first { $0.name == label } ?? profile.labels[0]
        var version = profile.modelVersion
        var alpha = labelProfile.confidenceAlpha, beta = labelProfile.confidenceBeta
        if let newLabel, newLabel.index == labelSlot {
            alpha = newLabel.alpha ?? alpha
            beta = newLabel.beta ?? beta
        }
        if let rollout, Samplers.bernoulli(rollout.share, &rng) {
            version = rollout.version
            alpha = rollout.alpha
            beta = rollout.beta
        }
        var raw = Samplers.beta(alpha, beta, &rng)
        if let bimodal, Samplers.bernoulli(bimodal.share, &rng) {
            raw = Self.bimodal(raw, mean: alpha / (alpha + beta), lowShare: bimodal.lowShare, low: Samplers.bernoulli(bimodal.lowShare, &rng))
        }
        let confidence = Self.rounded(Swift.min(1, Swift.max(0, raw * confidenceScale)))
        let latency = profile.processingTime
        let time: Double
        if Samplers.bernoulli(tailProbability, &rng) {
            time = Samplers.pareto(scale: latency.tailScale, shape: latency.tailShape, &rng)
        } else {
            time = Samplers.logNormal(mu: log(latency.median * medianScale), sigma: latency.sigma * sigmaScale, &rng)
        }
        let words = 1 + Samplers.poisson(mean: Swift.max(0, profile.meanWords - 1), &rng)
        let characters = words - 1 + words + Samplers.poisson(mean: Double(words) * Swift.max(0, profile.meanWordLength - 1), &rng)
        let hash = rng.next()
        let client = rng.next() % UInt64(Swift.max(1, profile.clients))
        let session = rng.next() >> 16
        let agent = Self.userAgents[Int(rng.next() % UInt64(Self.userAgents.count))]
        return .prediction(PredictionRecord(
            timestamp: timestamp, textHash: Self.hex(hash, digits: 16), prediction: label, confidence: confidence,
            processingTime: Self.rounded(time), modelVersion: version, textLength: characters, wordCount: words,
            clientID: "client-\(client)", userAgent: agent, sessionID: "s-" + Self.hex(session, digits: 12)))
    }

    /// A confidence `c` of a class whose mean is `m`, moved to one of two
    /// modes with the mean kept: the high mode `m + 0.4 (1 − m)` (share
    /// `1 − lowShare`), the low mode below `m` by as much times
    /// `(1 − lowShare) / lowShare`; each keeps 0.3 of `c`'s own deviation.
    static func bimodal(_ c: Double, mean m: Double, lowShare: Double, low: Bool) -> Double {
        let up = 0.4 * (1 - m)
        let mode = low ? m - up * (1 - lowShare) / lowShare : m + up
        return Swift.min(1, Swift.max(0, mode + 0.3 * (c - m)))
    }

    /// Values are written with six decimals, as a service would log them.
    static func rounded(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }

    static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: Swift.max(0, digits - text.count)) + text
    }
}
