import DriftDetection
import DriftEvaluation
import Foundation
import Monitoring
import MonitorNumerics
import Testing
import TrafficSimulator

/// A drift alert reduced to what online and offline runs must agree on.
struct DriftMark: Hashable, CustomStringConvertible {
    var timestamp: LocalTimestamp
    var statistic: String
    var status: String

    init(_ alarm: Alarm) {
        timestamp = alarm.timestamp
        statistic = alarm.statistic.rawValue
        status = alarm.kind.rawValue
    }

    init?(_ alert: MonitorAlert) {
        guard case .drift(let drift) = alert.details else { return nil }
        timestamp = alert.timestamp
        statistic = drift.statistic.rawValue
        status = alert.status.rawValue
    }

    var description: String { "\(timestamp.isoformat) \(statistic) \(status)" }
}

/// Feeds events to a monitor as a replay does: the clock follows the events,
/// and the loop ticks every `tick` of simulated time.
func replay(_ events: [MonitorEvent], into monitor: PredictionMonitor, clock: ManualMonitorClock,
            tick: Int64 = 60_000_000, from start: LocalTimestamp? = nil) -> [MonitorAlert] {
    guard let first = events.first else { return [] }
    var alerts: [MonitorAlert] = []
    var nextTick = (start ?? first.timestamp).adding(microseconds: 17_000_000)
    for event in events {
        while nextTick <= event.timestamp {
            clock.set(nextTick)
            alerts += monitor.tick().alerts
            nextTick = nextTick.adding(microseconds: tick)
        }
        clock.set(event.timestamp)
        switch event {
        case .prediction(let record): try? monitor.recordPrediction(record)
        case .error(_, let type, let message): monitor.recordError(type: type, message: message)
        }
    }
    clock.set(events.last!.timestamp.adding(microseconds: tick))
    alerts += monitor.tick().alerts
    return alerts
}

func configuration(_ detector: DriftDetectorFactory? = .recommended, cooldown: Duration = .zero) -> MonitorConfiguration {
    var configuration = MonitorConfiguration()
    configuration.driftDetector = detector
    configuration.alertCooldown = cooldown
    return configuration
}

@Suite("Online drift detection in the live monitor")
struct OnlineDetectionTests {
    let start = LocalTimestamp(isoformat: "2026-01-05T00:00:00")!

    func events(_ scenario: String, hours: Double, seed: UInt64 = 1, rate: Double = 1) -> [MonitorEvent] {
        Array(TrafficGenerator(scenario: Scenario.named(scenario)!, seed: seed, start: start,
                               duration: .hours(hours), ratePerSecond: rate))
    }

    func offline(_ events: [MonitorEvent], _ detector: String = "recommended") throws -> [DriftMark] {
        let streams = MetricStreams(events: events)
        return try DetectorCatalogue.alarms(detector, on: streams, baselineIntervals: 60).map(DriftMark.init)
    }

    func online(_ events: [MonitorEvent], _ factory: DriftDetectorFactory = .recommended,
                cooldown: Duration = .zero) -> [MonitorAlert] {
        let clock = ManualMonitorClock(start: events[0].timestamp)
        let monitor = PredictionMonitor(inMemoryWith: configuration(factory, cooldown: cooldown), clock: clock)
        return replay(events, into: monitor, clock: clock)
    }

    @Test("replayed live, every built-in scenario gives the offline alarms at the same interval timestamps, within the delay the evaluation reports",
          arguments: Scenario.catalogue.map(\.name))
    func onlineEqualsOffline(scenario: String) throws {
        let events = events(scenario, hours: 6)
        let expected = try offline(events)
        let alerts = online(events)
        let marks = alerts.compactMap(DriftMark.init)
        #expect(marks == expected)
        // Each drift the offline evaluation detects gives a live alert within its reported delay.
        let generator = TrafficGenerator(scenario: Scenario.named(scenario)!, seed: 1, start: start,
                                         duration: .hours(6), ratePerSecond: 1)
        let truth = GroundTruth(scenario: Scenario.named(scenario)!, seed: 1, severity: 1, ratePerSecond: 1, start: start,
                                duration: .hours(6), predictions: 0, errors: 0)
        let run = DetectorEvaluation().evaluate(detectors: ["recommended"], events: Array(generator), truth: truth)[0]
        let onsets = truth.drifts.flatMap(\.intervals).map(\.onset).sorted()
        #expect(run.delaysSeconds.count == onsets.count, "every onset detected")
        for (onset, delay) in zip(onsets, run.delaysSeconds) {
            let deadline = onset.adding(microseconds: Int64(delay * 1e6))
            #expect(marks.contains { $0.status == "firing" && $0.timestamp >= onset && $0.timestamp <= deadline },
                    "\(scenario): no live alert between \(onset.isoformat) and \(deadline.isoformat)")
        }
        if scenario == "none" { #expect(marks.isEmpty) }
    }

    @Test("other detectors agree online and offline too", arguments: ["adwin", "psi", "chi-square", "reference", "page-hinkley"])
    func otherDetectors(detector: String) throws {
        let events = events("compound", hours: 4)
        let factory = try DriftDetectorFactory.catalogue(detector)
        #expect(online(events, factory).compactMap(DriftMark.init) == (try offline(events, detector)))
    }

    @Test("the control, replayed for 72 hours with its daily cycle, raises no drift alert")
    func quietControl() {
        let alerts = online(events("none", hours: 72, seed: 11, rate: 0.5), cooldown: .seconds(900))
        #expect(alerts.filter { $0.category == .drift }.isEmpty, "\(alerts.filter { $0.category == .drift }.map(\.message))")
    }

    @Test("a lasting drift alarms once, with the statistic's baseline and current values in its units")
    func alertContent() throws {
        let alerts = online(events("sudden-confidence-drop", hours: 6), cooldown: .seconds(900))
            .filter { $0.category == .drift }
        let confidence = alerts.filter { $0.metric == "mean_confidence" }
        #expect(confidence.count == 1)
        let alert = try #require(confidence.first)
        #expect(alert.message.hasPrefix("Drift detected: mean confidence 0.8"))
        #expect(alert.message.contains(" → 0.5"))
        guard case .drift(let drift) = alert.details else { Issue.record("not a drift alert"); return }
        #expect(drift.statistic == .meanConfidence && drift.units == "confidence" && drift.detector == "recommended")
        let baseline = try #require(drift.baseline)
        let current = try #require(drift.current)
        #expect(baseline > 0.75 && current < baseline * 0.75)
        guard case .object(let line) = alert.jsonValue else { Issue.record("not an object"); return }
        #expect(line.keys == ["timestamp", "type", "category", "message", "status", "metric", "detector", "score", "baseline", "current"])
        guard case .object(let event) = alert.eventJSON else { Issue.record("not an object"); return }
        #expect(event.keys.prefix(6) == ["type", "timestamp", "category", "severity", "metric", "message"])
    }

    @Test("no detector configured: no drift alert and no score")
    func none() {
        let events = events("sudden-confidence-drop", hours: 5)
        let clock = ManualMonitorClock(start: events[0].timestamp)
        let monitor = PredictionMonitor(inMemoryWith: configuration(nil), clock: clock)
        #expect(replay(events, into: monitor, clock: clock).allSatisfy { $0.category != .drift })
        #expect(monitor.driftScores.isEmpty)
    }

    @Test("a restart in the middle of a drift neither repeats the reported alarm nor loses one raised while it was down")
    func restart() throws {
        let events = events("recurring-drift", hours: 6)
        let expected = try offline(events)
        try #require(expected.count >= 2)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("drift-restart-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Stop just after the first alarm's interval was reported, then restart and feed the rest.
        let firstAlarm = expected[0].timestamp
        let cut = events.firstIndex { $0.timestamp > firstAlarm.adding(microseconds: 150_000_000) }!
        let clock = ManualMonitorClock(start: events[0].timestamp)
        var marks: [DriftMark] = []
        do {
            let monitor = try PredictionMonitor(baseDirectory: directory, configuration: configuration(), clock: clock)
            marks += replay(Array(events[..<cut]), into: monitor, clock: clock).compactMap(DriftMark.init)
            try monitor.flush()
        }
        #expect(marks.first == expected[0])
        let resumed = try PredictionMonitor(baseDirectory: directory, configuration: configuration(), clock: clock)
        marks += replay(Array(events[cut...]), into: resumed, clock: clock, from: events[cut - 1].timestamp)
            .compactMap(DriftMark.init)
        #expect(marks == expected)

        // A second run stops after an alarm's interval closed but before any tick reported it.
        let second = expected[1].timestamp
        let directory2 = directory.appendingPathExtension("2")
        defer { try? FileManager.default.removeItem(at: directory2) }
        let cut2 = events.firstIndex { $0.timestamp >= second.adding(microseconds: 1) }!
        var marks2: [DriftMark] = []
        let clock2 = ManualMonitorClock(start: events[0].timestamp)
        do {
            let monitor = try PredictionMonitor(baseDirectory: directory2, configuration: configuration(), clock: clock2)
            let head = Array(events[..<cut2])
            // Tick only up to the minute before the second alarm's interval ended.
            let ticked = head.filter { $0.timestamp < second.adding(microseconds: -60_000_000) }
            marks2 += replay(ticked, into: monitor, clock: clock2).compactMap(DriftMark.init)
            for case .prediction(let record) in head[ticked.count...] {
                clock2.set(record.timestamp)
                try monitor.recordPrediction(record)
            }
            try monitor.flush()
        }
        #expect(!marks2.contains(expected[1]))
        let resumed2 = try PredictionMonitor(baseDirectory: directory2, configuration: configuration(), clock: clock2)
        marks2 += replay(Array(events[cut2...]), into: resumed2, clock: clock2, from: events[cut2 - 1].timestamp)
            .compactMap(DriftMark.init)
        #expect(marks2 == expected)
    }

    @Test("8 tasks recording while intervals close: every record reaches the detector, and the log's offline alarms equal the live ones")
    func concurrency() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("drift-concurrency-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ManualMonitorClock(start: start)
        let monitor = try PredictionMonitor(baseDirectory: directory, configuration: configuration(), clock: clock)
        var collected: [MonitorAlert] = []
        let minutes = 150
        let drifted = 100
        for minute in 0..<minutes {
            collected += await withTaskGroup(of: [MonitorAlert].self) { group in
                for task in 0..<8 {
                    group.addTask {
                        var rng = SplitMix64(seed: UInt64(minute * 8 + task))
                        for _ in 0..<10 {
                            let shift = minute >= drifted ? 0.3 : 0
                            try? monitor.recordPrediction(prediction: rng.next() % 2 == 0 ? "a" : "b",
                                                          confidence: 0.85 - shift + 0.1 * (rng.nextUnitDouble() - 0.5),
                                                          processingTime: 0.2, text: "t")
                        }
                        return []
                    }
                }
                group.addTask { monitor.tick().alerts }
                return await group.reduce(into: []) { $0 += $1 }
            }
            clock.advance(by: .seconds(60))
        }
        collected += monitor.tick().alerts
        try monitor.flush()
        #expect(monitor.totals.predictions == minutes * 80)
        let (events, _) = try MonitorLoader.events(in: MonitorDirectory.resolve(directory.path))
        #expect(events.count == minutes * 80)
        let expected = try offline(events)
        #expect(expected.contains { $0.statistic == "mean_confidence" && $0.status == "firing" })
        #expect(collected.compactMap(DriftMark.init) == expected)
    }
}

@Suite("Detector configuration")
struct DetectorConfigurationTests {
    @Test("an unknown detector or an unsupported metric is an error at configuration time")
    func badConfiguration() {
        #expect(throws: DetectorCatalogue.Error.unknownDetector("adwn", suggestion: "adwin")) {
            try DetectorCatalogue.make("adwn")
        }
        #expect(throws: DetectorCatalogue.Error.unsupportedMetric(detector: "psi", metric: .processingTime, supported: [.confidence])) {
            try DriftDetectorFactory.catalogue("psi", metrics: [.processingTime])
        }
        #expect(throws: DetectorCatalogue.Error.invalidBaseline(0)) { try DetectorCatalogue.make("recommended", baselineIntervals: 0) }
    }

    @Test("intervals without traffic are never cut, and each event lands in its aligned minute")
    func cutter() {
        var cutter = IntervalCutter()
        let t0 = LocalTimestamp(isoformat: "2026-01-05T00:00:59.999999")!
        #expect(cutter.addPrediction(at: t0, label: "a", confidence: 0.5, processingTime: 1) == nil)
        let closed = cutter.addError(at: t0.adding(microseconds: 600_000_000))
        #expect(closed?.start == LocalTimestamp(isoformat: "2026-01-05T00:00:00")!)
        #expect(closed?.end == LocalTimestamp(isoformat: "2026-01-05T00:01:00")!)
        #expect(closed?.predictions == 1)
        #expect(cutter.open?.start == LocalTimestamp(isoformat: "2026-01-05T00:10:00")!)
        #expect(cutter.close(at: LocalTimestamp(isoformat: "2026-01-05T00:10:59")!) == nil)
        #expect(cutter.close(at: LocalTimestamp(isoformat: "2026-01-05T00:11:00")!)?.errors == 1)
    }

    @Test("non-finite values never reach a scalar detector")
    func nonFinite() {
        var detector = ScalarIntervalDetector(PageHinkley(), metrics: [.processingTime], baselineIntervals: 1)
        var interval = IntervalSummary(start: LocalTimestamp(microseconds: 0), end: LocalTimestamp(microseconds: 60_000_000))
        interval.addPrediction(confidence: 0.5, processingTime: .infinity, label: 0)
        #expect(detector.update(interval).isEmpty)
        #expect(detector.scores.isEmpty)
    }
}

@Suite("Baseline policies of the recommended detector")
struct BaselinePolicyTests {
    let start = LocalTimestamp(isoformat: "2026-01-05T00:00:00")!

    func alarms(_ scenario: String, hours: Double, policy: RecommendedDetector.BaselinePolicy, seed: UInt64 = 1) -> [Alarm] {
        let events = Array(TrafficGenerator(scenario: Scenario.named(scenario)!, seed: seed, start: start,
                                            duration: .hours(hours), ratePerSecond: 1))
        return RecommendedDetector(policy: policy).alarms(over: MetricStreams(events: events).intervals)
    }

    @Test("every policy catches a lasting drop once and stays quiet before it",
          arguments: [RecommendedDetector.BaselinePolicy.afterLastDrift, .fixedStart, .trailing(window: 60, gap: 30)])
    func lastingDrop(policy: RecommendedDetector.BaselinePolicy) {
        let found = alarms("sudden-confidence-drop", hours: 6, policy: policy).filter { $0.statistic == .meanConfidence }
        let onset = start.adding(microseconds: 3 * 3_600_000_000)
        let firing = found.filter { $0.kind == .firing }
        #expect(firing.count == 1, "\(found)")
        #expect(firing.first.map { $0.timestamp >= onset && $0.timestamp.microseconds - onset.microseconds <= 10 * 60_000_000 } == true)
    }

    @Test("a trailing baseline follows the control's daily cycle without alarms for three days")
    func trailingQuiet() {
        let found = alarms("none", hours: 72, policy: .trailing(window: 120, gap: 60), seed: 5)
        #expect(found.isEmpty, "\(found)")
    }

    @Test("fixed-start stays latched during a lasting drift and resolves when the statistic returns")
    func fixedStartResolves() {
        let found = alarms("recurring-drift", hours: 6, policy: .fixedStart).filter { $0.statistic == .meanConfidence }
        let kinds = found.map(\.kind)
        #expect(kinds.first == .firing)
        // Firing and resolved alternate: no second alarm while a drift is unresolved.
        #expect(zip(kinds, kinds.dropFirst()).allSatisfy { $0 != $1 }, "\(found)")
        #expect(kinds.contains(.resolved))
    }
}

@Suite("Online detection and the reference's alerts on realistic traffic")
struct RealisticOnlineTests {
    @Test("realistic-night-drift from its Sunday start: online equals offline, and the night drop alarms live within 40 minutes")
    func nightDriftOnline() throws {
        let scenario = Scenario.named("realistic-night-drift")!
        let start = LocalTimestamp(isoformat: scenario.start!)!
        let events = Array(TrafficGenerator(scenario: scenario, seed: 2, start: start, duration: .hours(30), ratePerSecond: 1))
        let expected = try DetectorCatalogue.alarms("recommended", on: MetricStreams(events: events), baselineIntervals: 60)
            .map(DriftMark.init)
        let clock = ManualMonitorClock(start: events[0].timestamp)
        let monitor = PredictionMonitor(inMemoryWith: configuration(.recommended), clock: clock)
        let marks = replay(events, into: monitor, clock: clock).compactMap(DriftMark.init)
        #expect(marks == expected)
        let onset = start.adding(microseconds: 26 * LocalTimestamp.microsecondsPerHour)
        let firing = marks.filter { $0.status == "firing" }
        #expect(firing.allSatisfy { $0.timestamp >= onset }, "no alarm before the onset: \(firing)")
        #expect(firing.first.map { $0.timestamp.microseconds - onset.microseconds <= 40 * 60_000_000 } == true, "\(firing)")
    }

    @Test("reference-alerts: the loop's low-confidence alert after a sudden drop, nothing before it")
    func referenceAlerts() {
        let start = LocalTimestamp(isoformat: "2026-01-05T00:00:00")!
        let events = Array(TrafficGenerator(scenario: Scenario.named("sudden-confidence-drop")!, seed: 1, start: start,
                                            duration: .hours(4), ratePerSecond: 1))
        let alarms = ReferenceAlerts.alarms(events: events)
        let onset = start.adding(microseconds: 3 * LocalTimestamp.microsecondsPerHour)
        #expect(alarms.filter { $0.timestamp < onset && $0.statistic == .meanConfidence }.isEmpty)
        let first = alarms.first { $0.timestamp >= onset && $0.statistic == .meanConfidence }
        #expect(first.map { $0.timestamp.microseconds - onset.microseconds <= 10 * 60_000_000 } == true, "\(alarms)")
        // Ticks are whole minutes, as the loop's.
        #expect(alarms.filter { $0.statistic == .meanConfidence }.allSatisfy { $0.timestamp.microseconds % 60_000_000 == 0 })
    }
}
