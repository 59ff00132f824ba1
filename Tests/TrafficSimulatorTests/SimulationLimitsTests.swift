import Foundation
import Monitoring
import Testing
@testable import TrafficSimulator

@Suite("Simulation ranges and scenario files")
struct SimulationLimitsTests {
    static let start = LocalTimestamp(isoformat: "2026-01-05T00:00:00")!

    @Test("every built-in scenario is in range at its defaults")
    func catalogueInRange() throws {
        for scenario in Scenario.catalogue {
            try SimulationLimits.check(scenario: scenario, duration: scenario.duration,
                                       ratePerSecond: scenario.baseline.ratePerSecond, severity: 1, start: Self.start)
        }
    }

    @Test("the run settings out of range are named", arguments: [
        ("duration", TimeSpan.zero, 1.0, 1.0),
        ("duration", TimeSpan.days(3_651), 1.0, 1.0),
        ("rate", TimeSpan.hours(1), 0.0, 1.0),
        ("rate", TimeSpan.hours(1), Double.infinity, 1.0),
        ("rate", TimeSpan.hours(1), 1e300, 1.0),
        ("rate × duration", TimeSpan.days(3_650), 1_000.0, 1.0),
        ("severity", TimeSpan.hours(1), 1.0, -0.5),
        ("severity", TimeSpan.hours(1), 1.0, .nan),
    ])
    func runOutOfRange(setting: String, duration: TimeSpan, rate: Double, severity: Double) {
        #expect {
            try SimulationLimits.check(scenario: Scenario.catalogue[0], duration: duration, ratePerSecond: rate,
                                       severity: severity, start: Self.start)
        } throws: { error in (error as? SimulationRangeError)?.setting == setting }
    }

    @Test("weekend level and surges are range-checked; the peak factor multiplies overlapping surges")
    func surgesAndWeekend() throws {
        var scenario = Scenario.catalogue[0]
        scenario.baseline.dailyCycleAmplitude = 0.5
        scenario.baseline.weekendLevel = 2
        scenario.baseline.surges = [TrafficSurge(onset: .hours(1), length: .hours(2), factor: 3),
                                    TrafficSurge(onset: .hours(2), length: .hours(2), factor: 4),
                                    TrafficSurge(onset: .hours(10), length: .hours(1), factor: 5)]
        // 1.5 (cycle) × 2 (weekend) × max(3 × 4 where the first two overlap, 5 alone).
        #expect(scenario.baseline.peakRateFactor == 1.5 * 2 * 12)
        scenario.baseline.surges![1].onset = .hours(3)  // now apart: the largest factor alone
        #expect(scenario.baseline.peakRateFactor == 1.5 * 2 * 5)
        try SimulationLimits.check(scenario)
        for (setting, change) in [("baseline.weekend_level", { (s: inout Scenario) in s.baseline.weekendLevel = 566 }),
                                  ("baseline.weekend_level", { (s: inout Scenario) in s.baseline.weekendLevel = .nan }),
                                  ("baseline.surges[0].factor", { (s: inout Scenario) in s.baseline.surges![0].factor = 1e9 }),
                                  ("baseline.surges[2].length", { (s: inout Scenario) in s.baseline.surges![2].length = .days(4_000) })] {
            var bad = scenario
            change(&bad)
            #expect { try SimulationLimits.check(bad) } throws: { ($0 as? SimulationRangeError)?.setting == setting }
        }
        // A mean rate within the event budget whose peak is not: too many candidate arrivals to thin.
        scenario.baseline.weekendLevel = 100
        scenario.baseline.surges = [TrafficSurge(onset: .zero, length: .hours(1), factor: 1_000)]
        #expect {
            try SimulationLimits.check(scenario: scenario, duration: .hours(1), ratePerSecond: 1, severity: 1, start: Self.start)
        } throws: { ($0 as? SimulationRangeError)?.setting == "rate × peak factor × duration" }
    }

    @Test("a run may not pass year 9999")
    func pastYear9999() {
        let late = LocalTimestamp(isoformat: "9999-12-31T00:00:00")!
        #expect(throws: SimulationRangeError.self) {
            try SimulationLimits.check(scenario: Scenario.catalogue[0], duration: .days(2), ratePerSecond: 1, severity: 1, start: late)
        }
    }

    @Test("the committed scenario files decode and are in range")
    func committedFiles() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../datasets/scenarios").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
        #expect(files.count == Scenario.catalogue.count)
        for file in files {
            let scenario = try ScenarioFile.decode(Data(contentsOf: directory.appendingPathComponent(file)))
            #expect(Scenario.named(scenario.name) == scenario)
        }
    }

    @Test("bad scenario files are typed errors, not traps", arguments: [
        ("{", "undecodable"),
        ("[]", "undecodable"),
        (#"{"name": "x"}"#, "undecodable"),
        (#"{"name": "x", "summary": "", "duration": "1e300h", "baseline": {}, "drifts": []}"#, "undecodable"),
        (#"{"name": "x", "summary": "", "duration": -5, "baseline": {}, "drifts": []}"#, "undecodable"),
    ])
    func badFiles(text: String, kind: String) {
        #expect { try ScenarioFile.decode(Data(text.utf8)) } throws: { error in
            if case .undecodable = error as? ScenarioFile.Failure { return kind == "undecodable" }
            return false
        }
    }

    @Test("a missing key is named as the file spells it, with where it is missing", arguments: [
        (["summary"], "missing key 'summary'"),
        (["baseline", "rate_per_second"], "missing key 'rate_per_second' at baseline"),
        (["baseline", "processing_time", "median"], "missing key 'median' at baseline.processing_time"),
    ])
    func missingKey(path: [String], message: String) throws {
        let encoded = try JSONSerialization.jsonObject(with: Data(ScenarioFile.encode(Scenario.named("error-burst")!).utf8))
        func removing(_ path: ArraySlice<String>, from value: Any) -> Any {
            guard var object = value as? [String: Any], let key = path.first else { return value }
            if path.count == 1 { object[key] = nil } else { object[key] = removing(path.dropFirst(), from: object[key] as Any) }
            return object
        }
        let data = try JSONSerialization.data(withJSONObject: removing(path[...], from: encoded))
        #expect { try ScenarioFile.decode(data) } throws: { error in
            (error as? ScenarioFile.Failure) == .undecodable(message)
        }
    }

    @Test("snake_case keys from the types' camelCase ones")
    func snakeCase() {
        #expect(ScenarioFile.snakeCase("ratePerSecond") == "rate_per_second")
        #expect(ScenarioFile.snakeCase("summary") == "summary")
        #expect(ScenarioFile.snakeCase("rate_per_second") == "rate_per_second")
    }

    @Test("out-of-range profile values in a file are named", arguments: [
        ("baseline.rate_per_second", "rate_per_second", JSONValue.double(1e300)),
        ("baseline.error_rate", "error_rate", .int(2)),
        ("baseline.daily_cycle_amplitude", "daily_cycle_amplitude", .int(-3)),
        ("baseline.mean_words", "mean_words", .double(1e300)),
        ("baseline.clients", "clients", .int(0)),
        ("baseline.labels", "labels", .array([])),
        ("baseline.labels", "labels", .array([["name": "a", "prior": 1, "confidence_alpha": 2, "confidence_beta": 2],
                                             ["name": "a", "prior": 1, "confidence_alpha": 2, "confidence_beta": 2]])),
    ])
    func outOfRangeProfile(setting: String, key: String, value: JSONValue) throws {
        guard case .object(var file) = try JSONParser.parse(ScenarioFile.encode(Scenario.catalogue[0])),
              case .object(var baseline)? = file["baseline"] else { Issue.record("not an object"); return }
        baseline[key] = value
        file["baseline"] = .object(baseline)
        let text = JSONWriter.string(.object(file))
        #expect { try ScenarioFile.decode(Data(text.utf8)) } throws: { error in
            if case .outOfRange(let range) = error as? ScenarioFile.Failure { return range.setting == setting }
            return false
        }
    }
}
