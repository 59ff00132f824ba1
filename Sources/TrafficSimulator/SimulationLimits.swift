import Monitoring

/// A scenario or simulation setting outside the range the generator handles.
public struct SimulationRangeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The setting, e.g. `rate` or `baseline.labels[0].prior`.
    public var setting: String
    /// The value and the range it should be in.
    public var reason: String
    public var description: String { "\(setting): \(reason)" }
}

/// The ranges a simulation accepts, so that every run finishes in bounded
/// time and memory and no sampler sees a value it cannot draw from.
public enum SimulationLimits {
    /// The longest simulated time: 10 years.
    public static let maximumDuration = TimeSpan.days(3_650)
    /// The highest mean arrival rate: 100,000 per second.
    public static let maximumRate = 100_000.0
    /// The most events a run may be expected to generate (rate × duration):
    /// 100 million, about four minutes and 25 GB of log at the writer's speed.
    public static let maximumExpectedEvents = 100_000_000.0
    /// Drift severities: 0...10.
    public static let severityRange = 0.0...10.0
    /// The shortest period of a recurring drift: one second.
    public static let minimumPeriod = TimeSpan.seconds(1)
    /// The most activity intervals a recurring drift may have in one run.
    public static let maximumPeriods = 100_000.0

    /// Checks a run's settings and its scenario.
    ///
    /// - Parameters:
    ///   - scenario: The traffic and drifts (``check(_:)``).
    ///   - duration: Simulated time, more than 0 and at most ``maximumDuration``.
    ///   - ratePerSecond: Mean arrivals per second, more than 0 and at most
    ///     ``maximumRate``; with `duration`, at most ``maximumExpectedEvents``.
    ///   - severity: In ``severityRange``.
    ///   - start: The first timestamp; `start + duration` must stay before year 10000.
    /// - Throws: ``SimulationRangeError`` for the first setting out of range.
    public static func check(scenario: Scenario, duration: TimeSpan, ratePerSecond: Double, severity: Double,
                             start: LocalTimestamp) throws(SimulationRangeError) {
        try check(scenario, runFor: duration)
        try require(duration.microseconds > 0 && duration <= maximumDuration, "duration",
                     "\(duration) is not in (0, 3650d]")
        try require(ratePerSecond.isFinite && ratePerSecond > 0 && ratePerSecond <= maximumRate, "rate",
                    "\(ratePerSecond) per second is not in (0, 100000]")
        let expected = ratePerSecond * duration.seconds
        try require(expected <= maximumExpectedEvents, "rate × duration",
                    "\(ratePerSecond)/s for \(duration) is about \(Int(expected)) events, more than 100 million")
        let candidates = expected * scenario.baseline.peakRateFactor
        try require(candidates <= maximumExpectedEvents, "rate × peak factor × duration",
                    "\(ratePerSecond)/s at its peak (×\(scenario.baseline.peakRateFactor): daily cycle, weekend level, surges) "
                    + "for \(duration) is about \(Int(Swift.min(candidates, 1e18))) candidate arrivals to draw, more than 100 million")
        try require(severityRange.contains(severity), "severity", "\(severity) is not in 0...10")
        let last = LocalTimestamp(year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59, microsecond: 999_999)!
        try require(start.microseconds <= last.microseconds - duration.microseconds, "start",
                    "\(start.isoformat) + \(duration) runs past year 9999")
    }

    /// Checks a scenario's profile and drifts: distinct label names, finite,
    /// non-negative rates and weights, probabilities in 0...1, positive distribution parameters,
    /// bounded sizes, and recurring drifts with a period of at least a second.
    ///
    /// - Parameters:
    ///   - scenario: The scenario, as built in or decoded from a file.
    ///   - duration: The run's simulated time, if not the scenario's own.
    /// - Throws: ``SimulationRangeError`` naming the first field out of range.
    public static func check(_ scenario: Scenario, runFor duration: TimeSpan? = nil) throws(SimulationRangeError) {
        let runDuration = duration ?? scenario.duration
        let b = scenario.baseline
        try require(scenario.duration.microseconds > 0 && scenario.duration <= maximumDuration, "duration",
                    "\(scenario.duration) is not in (0, 3650d]")
        try require(b.ratePerSecond.isFinite && b.ratePerSecond > 0 && b.ratePerSecond <= maximumRate,
                    "baseline.rate_per_second", "\(b.ratePerSecond) is not in (0, 100000]")
        try require((0...1).contains(b.dailyCycleAmplitude), "baseline.daily_cycle_amplitude",
                    "\(b.dailyCycleAmplitude) is not in 0...1")
        if let weekend = b.weekendLevel {
            try require(weekend.isFinite && (0...100).contains(weekend), "baseline.weekend_level", "\(weekend) is not in 0...100")
        }
        let surges = b.surges ?? []
        try require(surges.count <= 1_000, "baseline.surges", "\(surges.count) surges, more than 1,000")
        for (i, surge) in surges.enumerated() {
            try require(surge.factor.isFinite && (0...1_000).contains(surge.factor), "baseline.surges[\(i)].factor",
                        "\(surge.factor) is not in 0...1000")
            try require(surge.onset <= maximumDuration, "baseline.surges[\(i)].onset", "\(surge.onset) is longer than 3650d")
            try require(surge.length.microseconds >= 0 && surge.length <= maximumDuration, "baseline.surges[\(i)].length",
                        "\(surge.length) is not in 0...3650d")
            if let ramp = surge.ramp {
                try require(ramp.microseconds >= 0 && ramp <= maximumDuration, "baseline.surges[\(i)].ramp",
                            "\(ramp) is not in 0...3650d")
            }
        }
        try require(!b.labels.isEmpty && b.labels.count <= 10_000, "baseline.labels", "needs 1...10,000 labels")
        for (i, label) in b.labels.enumerated() {
            try require(!label.name.isEmpty, "baseline.labels[\(i)].name", "is empty")
            try require(label.prior.isFinite && label.prior >= 0, "baseline.labels[\(i)].prior", "\(label.prior) is not ≥ 0")
            try requirePositive(label.confidenceAlpha, "baseline.labels[\(i)].confidence_alpha")
            try requirePositive(label.confidenceBeta, "baseline.labels[\(i)].confidence_beta")
        }
        try require(b.labels.reduce(0) { $0 + $1.prior } > 0, "baseline.labels", "the priors sum to zero")
        try require(Set(b.labels.map(\.name)).count == b.labels.count, "baseline.labels", "two labels have the same name")
        let t = b.processingTime
        try require(t.median.isFinite && t.median > 0 && t.median <= 1e6, "baseline.processing_time.median",
                    "\(t.median) is not in (0, 1e6]")
        try require((0...10).contains(t.sigma), "baseline.processing_time.sigma", "\(t.sigma) is not in 0...10")
        try require((0...1).contains(t.tailProbability), "baseline.processing_time.tail_probability",
                    "\(t.tailProbability) is not in 0...1")
        try requirePositive(t.tailScale, "baseline.processing_time.tail_scale")
        try requirePositive(t.tailShape, "baseline.processing_time.tail_shape")
        try require((0...1).contains(b.errorRate), "baseline.error_rate", "\(b.errorRate) is not in 0...1")
        try require((0...10_000).contains(b.meanWords), "baseline.mean_words", "\(b.meanWords) is not in 0...10000")
        try require((0...1_000).contains(b.meanWordLength), "baseline.mean_word_length", "\(b.meanWordLength) is not in 0...1000")
        try require((1...1_000_000_000).contains(b.clients), "baseline.clients", "\(b.clients) is not in 1...1e9")
        for (i, drift) in scenario.drifts.enumerated() {
            let name = "drifts[\(i)]"
            try require(drift.onset <= maximumDuration, "\(name).onset", "\(drift.onset) is longer than 3650d")
            if let amount = drift.amount {
                try require(amount.isFinite && (0...1_000).contains(amount), "\(name).amount", "\(amount) is not in 0...1000")
            }
            for (j, weight) in (drift.priors ?? []).enumerated() {
                try require(weight.weight.isFinite && weight.weight >= 0, "\(name).priors[\(j)].weight", "\(weight.weight) is not ≥ 0")
            }
            if let alpha = drift.confidenceAlpha { try requirePositive(alpha, "\(name).confidence_alpha") }
            if let beta = drift.confidenceBeta { try requirePositive(beta, "\(name).confidence_beta") }
            if let label = drift.label { try require(!label.isEmpty, "\(name).label", "is empty") }
            if let period = drift.period, drift.activeFor != nil, period.microseconds > 0 {
                try require(period >= minimumPeriod, "\(name).period", "\(period) is shorter than 1s")
                try require(runDuration.seconds / period.seconds <= maximumPeriods, "\(name).period",
                            "\(period) repeats more than 100,000 times in \(runDuration)")
            }
        }
    }

    private static func require(_ ok: Bool, _ setting: String, _ reason: @autoclosure () -> String) throws(SimulationRangeError) {
        if !ok { throw SimulationRangeError(setting: setting, reason: reason()) }
    }

    private static func requirePositive(_ value: Double, _ setting: String) throws(SimulationRangeError) {
        try require(value.isFinite && value > 0 && value <= 1e6, setting, "\(value) is not in (0, 1e6]")
    }
}
