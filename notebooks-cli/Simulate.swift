import ArgumentParser
import Foundation
import Monitoring
import TrafficSimulator

extension Notebooks {
    /// `notebooks simulate`: synthetic prediction traffic with injected drift.
    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a scenario's prediction traffic, with its drift and ground truth, as a monitor directory.",
            discussion: """
            Writes OUT/monitor/predictions.json and OUT/monitor/alerts.json (errors, as record_error writes \
            them) in the reference's format, and OUT/ground_truth.json. The same seed gives the same bytes.
            """
        )

        @Option(help: "A built-in scenario name (see --list) or a scenario JSON file.")
        var scenario: String?

        @Option(help: "The random seed.")
        var seed: UInt64 = 1

        @Option(help: "Simulated time, e.g. 6h, 90m, 2d or plain seconds, at most 3650d (default: the scenario's).",
                transform: TimeSpan.argument)
        var duration: TimeSpan?

        @Option(help: "Mean predictions per second, at most 100000, and at most 100 million events in all (default: the scenario's).")
        var rate: Double?

        @Option(help: "The first timestamp, naive local ISO-8601 (default: the scenario's, else \(SimulationDefaults.start)).")
        var start: String?

        @Option(help: "Scales every drift: 0 none, 1 as written, 2 twice as strong; at most 10.")
        var severity: Double = 1

        @Option(help: "The base directory to write.")
        var out: String?

        @Flag(help: "List the built-in scenarios, one line each.")
        var list = false

        @Flag(help: "Print the scenario as JSON (a starting point for a scenario file) instead of simulating.")
        var printScenario = false

        func validate() throws {
            if list { return }
            guard scenario != nil else { throw ValidationError("--scenario is required (or --list).") }
            if !printScenario, out == nil { throw ValidationError("--out is required.") }
            if !printScenario, let out { try OutputPath.checkDirectory(out) }
            if let duration, duration.microseconds == 0 || duration > SimulationLimits.maximumDuration {
                throw ValidationError("--duration \(OptionRange.readable(duration)) is out of range: use more than 0s and at most 3650d.")
            }
            if let rate { try OptionRange.check("rate", rate, above: 0, upTo: SimulationLimits.maximumRate) }
            if let start, LocalTimestamp(isoformat: start) == nil { throw ValidationError("--start '\(start)' is not a timestamp.") }
            try OptionRange.check("severity", severity, in: SimulationLimits.severityRange)
            if let builtIn = Scenario.named(scenario!) {
                do {
                    try SimulationLimits.check(scenario: builtIn, duration: duration ?? builtIn.duration,
                                               ratePerSecond: rate ?? builtIn.baseline.ratePerSecond, severity: severity,
                                               start: SimulationDefaults.start(for: builtIn, explicit: start))
                } catch {
                    throw ValidationError("\(error).")
                }
            }
        }

        func run() async throws {
            if list {
                let width = Scenario.catalogue.map(\.name.count).max() ?? 0
                for s in Scenario.catalogue {
                    print(s.name + String(repeating: " ", count: width - s.name.count) + "  " + s.summary)
                }
                return
            }
            let scenario = try ScenarioFiles.load(self.scenario!)
            if printScenario {
                print(try ScenarioFiles.encode(scenario))
                return
            }
            let first = SimulationDefaults.start(for: scenario, explicit: start)
            do {
                try SimulationLimits.check(scenario: scenario, duration: duration ?? scenario.duration,
                                           ratePerSecond: rate ?? scenario.baseline.ratePerSecond, severity: severity, start: first)
            } catch {
                throw fail("\(error)")
            }
            let generator = TrafficGenerator(scenario: scenario, seed: seed, start: first, duration: duration,
                                             ratePerSecond: rate, severity: severity)
            var progress = TerminalProgress("simulating \(scenario.name)", delay: 0.5)
            let truth = try SimulationWriter(baseURL: URL(fileURLWithPath: out!)).write(generator) { progress.update($0) }
            progress.finish()
            printError("notebooks: wrote \(truth.predictions) predictions and \(truth.errors) errors to \(out!)"
                       + (truth.onset.map { "; drift onset \($0.isoformat)" } ?? ""))
        }
    }
}

enum SimulationDefaults {
    static let start = "2026-01-05T00:00:00"

    /// `explicit` if given, else the scenario's own start, else ``start``.
    static func start(for scenario: Scenario, explicit: String? = nil) -> LocalTimestamp {
        for text in [explicit, scenario.start, start].compactMap({ $0 }) {
            if let timestamp = LocalTimestamp(isoformat: text) { return timestamp }
        }
        return LocalTimestamp(isoformat: start)!
    }
}

/// Scenario files: the catalogue's scenarios as JSON with snake_case keys.
enum ScenarioFiles {
    static func load(_ nameOrPath: String) throws -> Scenario {
        if let builtIn = Scenario.named(nameOrPath) { return builtIn }
        guard FileManager.default.fileExists(atPath: nameOrPath) else {
            throw fail("no scenario '\(nameOrPath)': not a built-in name\(didYouMean(nameOrPath, among: Scenario.catalogue.map(\.name))) "
                       + "(see --list) nor a file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: nameOrPath))
        } catch {
            throw fail("cannot read scenario \(nameOrPath): \(error.localizedDescription)")
        }
        do {
            return try ScenarioFile.decode(data)
        } catch {
            throw fail("scenario \(nameOrPath): \(error)")
        }
    }

    static func encode(_ scenario: Scenario) throws -> String { try ScenarioFile.encode(scenario) }
}
