import Foundation
import Testing
@testable import Monitoring

/// Every fixture case: a monitor directory and the reference's answers for it
/// (written by Tests/fixture-generator/generate_fixtures.py).
enum ReferenceFixtures {
    static let root = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

    static var caseNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    static func expected(_ name: String) throws -> JSONObject {
        let data = try Data(contentsOf: root.appendingPathComponent(name).appendingPathComponent("expected.json"))
        guard case .object(let object) = try data.withUnsafeBytes({ try JSONParser.parse($0.bindMemory(to: UInt8.self)) }) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return object
    }

    static func analyze(_ name: String, expected: JSONObject) throws -> MonitorReport {
        let now = LocalTimestamp(isoformat: expected["now"]!.stringValue!)!
        let hours = expected["hours"]!.doubleValue!
        return try MonitorReport.analyze(
            directory: MonitorDirectory.resolve(root.appendingPathComponent(name).path), now: now, hours: hours)
    }
}

@Suite("Agreement with the reference PredictionMonitor")
struct ReferenceFixtureTests {
    @Test("the fixtures are present")
    func fixturesPresent() {
        #expect(ReferenceFixtures.caseNames.count >= 22)
    }

    @Test("every field agrees to 1e-12 relative", arguments: ReferenceFixtures.caseNames)
    func agreesWithReference(caseName: String) throws {
        let expected = try ReferenceFixtures.expected(caseName)
        let report = try ReferenceFixtures.analyze(caseName, expected: expected)
        guard case .object(let actual) = report.jsonValue else { Issue.record("not an object"); return }
        for key in ["current_metrics", "prediction_patterns", "confidence_analysis", "historical_metrics"] {
            let differences = jsonDifferences(
                expected[key]!, actual[key]!, path: key,
                ignoring: ["current_metrics/timestamp", "current_metrics/total_predictions", "current_metrics/error_rate"])
            #expect(differences.isEmpty, "\(caseName): \(differences.prefix(5))")
        }
    }

    @Test("means and standard deviations are bit-identical to numpy", arguments: ReferenceFixtures.caseNames)
    func bitIdentical(caseName: String) throws {
        let expected = try ReferenceFixtures.expected(caseName)
        let report = try ReferenceFixtures.analyze(caseName, expected: expected)
        guard case .object(let actual) = report.jsonValue else { return }
        let differences = ["prediction_patterns", "confidence_analysis", "current_metrics"].flatMap { key in
            jsonDifferences(expected[key]!, actual[key]!, path: key, relativeTolerance: 0,
                            ignoring: ["current_metrics/timestamp", "current_metrics/total_predictions", "current_metrics/error_rate"])
        }
        #expect(differences.isEmpty, "\(caseName): \(differences.prefix(5))")
    }

    @Test("loads as many records as the reference holds", arguments: ReferenceFixtures.caseNames)
    func loadedCounts(caseName: String) throws {
        let expected = try ReferenceFixtures.expected(caseName)
        let now = LocalTimestamp(isoformat: expected["now"]!.stringValue!)!
        let directory = try MonitorDirectory.resolve(ReferenceFixtures.root.appendingPathComponent(caseName).path)
        let (state, _) = try MonitorLoader().load(directory, now: now)
        #expect(state.columns.count == Int(expected["loaded_predictions"]!.doubleValue!))
        #expect(state.retainedMetricsHistory.count == Int(expected["loaded_metrics"]!.doubleValue!))
    }

    @Test("garbage and torn lines are skipped and counted")
    func skippedLinesCounted() throws {
        let garbage = try ReferenceFixtures.analyze("garbage_lines", expected: ReferenceFixtures.expected("garbage_lines"))
        #expect(garbage.load.predictions.skipped == 10)
        #expect(garbage.load.metrics.skipped == 3)
        #expect(garbage.load.skippedSummary == "skipped 13 undecodable lines (predictions.json: 10, metrics.json: 3)")
        let torn = try ReferenceFixtures.analyze("torn_last_line", expected: ReferenceFixtures.expected("torn_last_line"))
        #expect(torn.load.predictions.skipped == 1)
        #expect(torn.load.predictions.endsWithoutNewline)
        #expect(torn.load.predictions.records == 40)
    }

    @Test("more than the capacity keeps the newest records")
    func capacityEvictsOldest() throws {
        let report = try ReferenceFixtures.analyze("over_capacity", expected: ReferenceFixtures.expected("over_capacity"))
        #expect(report.load.predictions.evicted == 600)
        #expect(report.predictionPatterns?.totalPredictions == 10_000)
    }
}

@Suite("As-of analysis")
struct AsOfTests {
    @Test("--as-of leaves out records after now; the reference's view keeps them")
    func asOf() throws {
        let directory = try MonitorDirectory.resolve(ReferenceFixtures.root.appendingPathComponent("future_records").path)
        let now = LocalTimestamp(isoformat: "2026-11-29T12:00:00")!
        let reference = try MonitorReport.analyze(directory: directory, now: now)
        let asOf = try MonitorReport.analyze(directory: directory, now: now, asOf: true)
        let future = 4
        #expect(reference.predictionPatterns!.totalPredictions == asOf.predictionPatterns!.totalPredictions + future)
        #expect(asOf.currentMetrics.totalPredictions == reference.currentMetrics.totalPredictions - future)
    }
}
