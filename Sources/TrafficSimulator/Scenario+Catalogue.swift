import Monitoring

extension Scenario {
    /// The built-in scenarios, in `--list` order (the realistic ones last).
    /// Each has a file of the same name under `datasets/scenarios/`.
    public static let catalogue: [Scenario] = [
        Scenario(name: "none", summary: "Control: stationary traffic with its daily cycle; no alarm should fire.", drifts: []),
        Scenario(name: "sudden-confidence-drop", summary: "At 3h every confidence drops by 35%.",
                 drifts: [DriftSpec(kind: .confidenceDrop, onset: .hours(3), amount: 0.35)]),
        Scenario(name: "gradual-confidence-decay", summary: "From 2h confidences decay linearly, 40% lower after 3 more hours.",
                 drifts: [DriftSpec(kind: .confidenceDrop, onset: .hours(2), ramp: .hours(3), amount: 0.4)]),
        Scenario(name: "label-prior-shift", summary: "At 3h the label mix moves from 50/30/20 to 20/60/20.",
                 drifts: [DriftSpec(kind: .labelPriorShift, onset: .hours(3), priors: [
                     LabelWeight(label: "positive", weight: 0.2), LabelWeight(label: "negative", weight: 0.6),
                     LabelWeight(label: "neutral", weight: 0.2)])]),
        Scenario(name: "single-label-collapse", summary: "At 3h 97% of predictions become 'negative' (the reference's extreme skew).",
                 drifts: [DriftSpec(kind: .labelCollapse, onset: .hours(3), amount: 0.97, label: "negative")]),
        Scenario(name: "latency-regression", summary: "At 3h the median processing time grows fourfold.",
                 drifts: [DriftSpec(kind: .latencyRegression, onset: .hours(3), amount: 3)]),
        Scenario(name: "latency-tail", summary: "At 3h 8% more requests hit the heavy tail: p95/p99 grow, the median barely moves.",
                 drifts: [DriftSpec(kind: .latencyTail, onset: .hours(3), amount: 0.08)]),
        Scenario(name: "error-burst", summary: "From 3h to 3h30m a quarter of requests fail.",
                 drifts: [DriftSpec(kind: .errorBurst, onset: .hours(3), end: .hours(3.5), amount: 0.25)]),
        Scenario(name: "recurring-drift", summary: "From 1h, confidences drop 35% for 30 minutes in every 90.",
                 drifts: [DriftSpec(kind: .confidenceDrop, onset: .hours(1), period: .minutes(90), activeFor: .minutes(30),
                                    amount: 0.35)]),
        Scenario(name: "model-version-rollout", summary: "From 2h model v2, less confident, takes over the traffic over 2 hours.",
                 drifts: [DriftSpec(kind: .modelRollout, onset: .hours(2), ramp: .hours(2), version: "v2",
                                    confidenceAlpha: 4, confidenceBeta: 2.2)]),
        Scenario(name: "compound", summary: "At 3h confidences drop 25%, latency doubles and the label mix shifts.",
                 drifts: [
                    DriftSpec(kind: .confidenceDrop, onset: .hours(3), amount: 0.25),
                    DriftSpec(kind: .latencyRegression, onset: .hours(3), amount: 1),
                    DriftSpec(kind: .labelPriorShift, onset: .hours(3), priors: [
                        LabelWeight(label: "positive", weight: 0.25), LabelWeight(label: "negative", weight: 0.5),
                        LabelWeight(label: "neutral", weight: 0.25)]),
                 ]),
    ] + realistic

    /// Production-like traffic: a strong daily cycle (a few requests a
    /// minute at night at the mean 1 request/s), weekends at 60% of
    /// weekdays, two surges that are not drift and errors throughout (0.5%).
    /// Two days from Sunday 00:00.
    public static let realisticProfile: TrafficProfile = {
        var profile = TrafficProfile()
        profile.ratePerSecond = 1
        profile.dailyCycleAmplitude = 0.95
        profile.weekendLevel = 0.6
        profile.surges = [TrafficSurge(onset: .hours(20), length: .hours(1), factor: 3, ramp: .minutes(10)),
                          TrafficSurge(onset: .hours(33), length: .minutes(45), factor: 2.5, ramp: .minutes(5))]
        return profile
    }()

    /// The realistic scenarios (names start with `realistic-`): the control
    /// and one drift kind each that mean-based statistics miss or that the
    /// sparse night makes hard.
    public static let realistic: [Scenario] = {
        func scenario(_ name: String, _ summary: String, _ drifts: [DriftSpec]) -> Scenario {
            Scenario(name: "realistic-" + name, summary: summary, duration: .hours(48), baseline: realisticProfile,
                     drifts: drifts, start: "2026-01-04T00:00:00")
        }
        return [
            scenario("none", "Control: two days from Sunday, strong daily cycle, quiet nights, weekend level, two surges, 0.5% errors.", []),
            scenario("confidence-bimodal", "Monday 12:00: confidences split into two modes (a quarter low), the mean kept.",
                     [DriftSpec(kind: .confidenceBimodal, onset: .hours(36), amount: 0.25)]),
            scenario("latency-spread", "Monday 14:00: the latency body's log-spread grows by half, the median kept.",
                     [DriftSpec(kind: .latencySpread, onset: .hours(38), amount: 0.5)]),
            scenario("new-label", "Monday 06:00 (morning ramp): a label never seen, 'unknown', takes 3% of the traffic.",
                     [DriftSpec(kind: .newLabel, onset: .hours(30), amount: 0.03, label: "unknown")]),
            scenario("error-rise", "Monday 12:00: the error rate rises from 0.5% to 2.5%.",
                     [DriftSpec(kind: .errorBurst, onset: .hours(36), amount: 0.02)]),
            scenario("night-drift", "Monday 02:00 to 05:00, in the quiet night: confidences drop 25%.",
                     [DriftSpec(kind: .confidenceDrop, onset: .hours(26), end: .hours(29), amount: 0.25)]),
            scenario("slow-decay", "From Monday 08:00 confidences decay linearly, 30% lower after 6 hours.",
                     [DriftSpec(kind: .confidenceDrop, onset: .hours(32), ramp: .hours(6), amount: 0.3)]),
        ]
    }()

    /// The built-in scenario called `name`.
    public static func named(_ name: String) -> Scenario? { catalogue.first { $0.name == name } }
}
