import ArgumentParser
import DriftDetection
import DriftEvaluation
import Foundation
import Monitoring
import MonitorNumerics
import TrafficSimulator

extension Notebooks {
    /// `notebooks heuristics`: detectors × simulated drift scenarios.
    struct Heuristics: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score every detector on simulated drift scenarios: detection rate, delay, false alarms, NAB-style score.",
            discussion: """
            Prints markdown tables; with --out, also writes report.html (every table and chart on one self-contained \
            page), report.md, results.json (schema: docs/results-schema.md), one SVG per scenario (the metric stream, \
            the drift band and each detector's alarms) and severity-sweep.svg.
            """
        )

        @Option(parsing: .upToNextOption, help: "Scenarios (default: the suite's).")
        var scenarios: [String] = []

        @Option(help: "Scenario suite when --scenarios is not given: builtin (the 11 short ones), realistic (realistic-*, two days each from their own start), or all.")
        var suite: Suite = .builtin

        @Option(help: "Seeds per scenario, 1 to 1000 (default: 3; 5 for the realistic suite).")
        var seeds: Int?

        @Option(help: "The first seed: streams use seeds first-seed, first-seed+1, ... (tune on 101, report on 1).")
        var firstSeed: UInt64 = 1

        @Option(help: "Simulated time per stream, e.g. 24h, at most 3650d (default: 24h; a realistic scenario's own two days).",
                transform: TimeSpan.argument)
        var duration: TimeSpan?

        @Option(help: "Mean predictions per second, at most 100000, and at most 10 million events per stream.")
        var rate: Double = 1

        @Option(parsing: .upToNextOption, help: "Severities of the main table, 0 to 10 (default 1).")
        var severity: [Double] = [1]

        @Option(parsing: .upToNextOption, help: "Severities of the sweep, 0 to 10.")
        var sweep: [Double] = [0.25, 0.5, 0.75, 1, 1.5]

        @Flag(help: "Skip the severity sweep (always skipped for the realistic suite).")
        var noSweep = false

        @Option(parsing: .upToNextOption, help: "Detectors (default: all, and reference-alerts).")
        var detectors: [String] = []

        @Option(help: "Where to write report.html, report.md, results.json and the SVG charts.")
        var out: String?

        enum Suite: String, ExpressibleByArgument, CaseIterable { case builtin, realistic, all }

        func validate() throws {
            for name in scenarios where Scenario.named(name) == nil { throw ValidationError(ScenarioNames.unknown(name)) }
            for name in detectors where !DetectorEvaluation.detectorNames.contains(name) {
                throw ValidationError("unknown detector '\(name)'\(didYouMean(name, among: DetectorEvaluation.detectorNames))")
            }
            if let seeds { try OptionRange.check("seeds", seeds, in: 1...1_000) }
            if let duration { try OptionRange.check("duration", duration, in: .oneSecond ... .tenYears) }
            try OptionRange.check("rate", rate, above: 0, upTo: SimulationLimits.maximumRate)
            guard rate * (duration ?? .days(2)).seconds <= 10_000_000 else {
                throw ValidationError("--rate \(rate) for --duration \(OptionRange.readable(duration ?? .days(2))) is more than 10 million events per stream.")
            }
            for value in severity { try OptionRange.check("severity", value, in: SimulationLimits.severityRange) }
            for value in sweep { try OptionRange.check("sweep", value, in: SimulationLimits.severityRange) }
            if let out { try OutputPath.checkDirectory(out) }
        }

        /// The scenarios to run.
        var chosen: [Scenario] {
            if !scenarios.isEmpty { return scenarios.compactMap(Scenario.named) }
            let realistic = Set(Scenario.realistic.map(\.name))
            switch suite {
            case .builtin: return Scenario.catalogue.filter { !realistic.contains($0.name) }
            case .realistic: return Scenario.realistic
            case .all: return Scenario.catalogue
            }
        }

        static func isRealistic(_ scenario: Scenario) -> Bool { scenario.name.hasPrefix("realistic-") }

        func run() async throws {
            // The output directory first, so that a bad --out fails before the work.
            let directory = try out.map(OutputPath.create)
            let chosen = self.chosen
            let names = detectors.isEmpty ? DetectorEvaluation.detectorNames : detectors
            let allRealistic = chosen.allSatisfy(Self.isRealistic)
            let seedCount = seeds ?? (allRealistic ? 5 : 3)
            func span(_ scenario: Scenario) -> TimeSpan {
                duration ?? (Self.isRealistic(scenario) ? scenario.duration : .hours(24))
            }
            let evaluation = DetectorEvaluation()
            let rate = self.rate
            let firstSeed = self.firstSeed
            let jobs = chosen.flatMap { scenario in
                severity.flatMap { severity in (0..<UInt64(seedCount)).map { (scenario, severity, firstSeed + $0) } }
            }
            var progress = TerminalProgress("heuristics")
            // Streams run two at a time (one per core); results are put back in job order.
            var results = [[DetectorEvaluation.Run]](repeating: [], count: jobs.count)
            var charts: [(Scenario, SVGChart)] = []
            let chartSeverity = self.severity.first
            try await withThrowingTaskGroup(of: (Int, [DetectorEvaluation.Run], SVGChart?).self) { group in
                var next = 0, done = 0
                func add() {
                    guard next < jobs.count else { return }
                    let index = next, (scenario, severity, seed) = jobs[index]
                    let streamSpan = span(scenario)
                    let wantChart = seed == firstSeed && severity == chartSeverity
                    next += 1
                    group.addTask {
                        let start = SimulationDefaults.start(for: scenario)
                        let generator = TrafficGenerator(scenario: scenario, seed: seed, start: start, duration: streamSpan,
                                                         ratePerSecond: rate, severity: severity)
                        let events = DetectorEvaluation.events(of: generator)
                        let truth = GroundTruth(scenario: scenario, seed: seed, severity: severity, ratePerSecond: rate,
                                                start: start, duration: streamSpan, predictions: 0, errors: 0)
                        let runs = evaluation.evaluate(detectors: names, events: events, truth: truth)
                        return (index, runs, wantChart ? HeuristicsCharts.scenario(scenario, events, truth, runs) : nil)
                    }
                }
                for _ in 0..<2 { add() }
                while let (index, runs, chart) = try await group.next() {
                    results[index] = runs
                    if let chart { charts.append((jobs[index].0, chart)) }
                    done += 1
                    progress.update(Double(done) / Double(jobs.count), detail: " \(done)/\(jobs.count) streams")
                    add()
                }
            }
            progress.finish()
            let order = Dictionary(chosen.enumerated().map { ($1.name, $0) }, uniquingKeysWith: min)
            charts.sort { order[$0.0.name, default: 0] < order[$1.0.name, default: 0] }
            let runs = results.flatMap { $0 }
            let tables = HeuristicsReport.tables(runs: runs, detectors: names, scenarios: chosen.map(\.name))
            var markdown = tables.map { $0.markdown() }.joined(separator: "\n\n")
            print(markdown)

            var familyTable: ResultTable?
            if allRealistic, let control = chosen.first(where: { $0.drifts.isEmpty }) {
                let table = HeuristicsReport.falseAlarmFamily(runs: runs.filter { $0.scenario == control.name }, detectors: names,
                                                              scenario: control.name)
                familyTable = table
                markdown += "\n\n" + table.markdown()
                print("\n" + table.markdown())
            }

            var sweepRows: [HeuristicsReport.SweepRow] = []
            var sweepTable: ResultTable?
            let sweepHours = min((duration ?? .hours(24)).seconds / 3600, 8)
            if !noSweep, !sweep.isEmpty, !allRealistic {
                let drifting = chosen.filter { !$0.drifts.isEmpty && !Self.isRealistic($0) }
                let start = LocalTimestamp(isoformat: SimulationDefaults.start)!
                var sweepProgress = TerminalProgress("heuristics: severity sweep")
                for (k, severity) in sweep.enumerated() {
                    var sweepRuns: [DetectorEvaluation.Run] = []
                    for (j, scenario) in drifting.enumerated() {
                        let sweepSpan = TimeSpan.hours(sweepHours)
                        let generator = TrafficGenerator(scenario: scenario, seed: firstSeed + 99, start: start, duration: sweepSpan,
                                                         ratePerSecond: rate, severity: severity)
                        let truth = GroundTruth(scenario: scenario, seed: firstSeed + 99, severity: severity, ratePerSecond: rate,
                                                start: start, duration: sweepSpan, predictions: 0, errors: 0)
                        sweepRuns += evaluation.evaluate(detectors: names, events: DetectorEvaluation.events(of: generator), truth: truth)
                        sweepProgress.update(Double(k * drifting.count + j + 1) / Double(sweep.count * max(drifting.count, 1)))
                    }
                    for name in names {
                        let mine = sweepRuns.filter { $0.detector == name }
                        let onsets = mine.reduce(0) { $0 + $1.onsets }
                        sweepRows.append(.init(detector: name, severity: severity,
                                               rate: onsets == 0 ? 0 : Double(mine.reduce(0) { $0 + $1.detected }) / Double(onsets)))
                    }
                }
                sweepProgress.finish()
                let table = HeuristicsReport.sweepTable(sweepRows, detectors: names, severities: sweep)
                sweepTable = table
                markdown += "\n\n" + table.markdown()
                print("\n" + table.markdown())
            }

            if let directory, let out {
                for (scenario, chart) in charts {
                    try write(chart.render(), to: directory.appendingPathComponent("\(scenario.name).svg"))
                }
                var sweepChart: SVGChart?
                if !sweepRows.isEmpty {
                    let chart = HeuristicsCharts.sweep(sweepRows, detectors: names, severities: sweep, hours: sweepHours, seed: firstSeed + 99)
                    sweepChart = chart
                    try write(chart.render(), to: directory.appendingPathComponent("severity-sweep.svg"))
                }
                let json = HeuristicsReport.json(runs: runs, sweep: sweepRows)
                try write(JSONWriter.string(json, pretty: true) + "\n", to: directory.appendingPathComponent("results.json"))
                try write(markdown + "\n", to: directory.appendingPathComponent("report.md"))
                let report = HeuristicsReport.html(
                    tables: tables, familyTable: familyTable, sweepTable: sweepTable, charts: charts, sweepChart: sweepChart,
                    facts: [("command", "`" + (["notebooks"] + CommandLine.arguments.dropFirst()).joined(separator: " ") + "`"),
                            ("scenarios", chosen.map(\.name).joined(separator: ", ")),
                            ("seeds", seedCount == 1 ? "\(firstSeed)" : "\(firstSeed)–\(firstSeed + UInt64(seedCount) - 1) (\(seedCount) per scenario and severity)"),
                            ("simulated time per stream", duration.map(OptionRange.readable) ?? (allRealistic ? "each scenario's own" : "24h")),
                            ("rate", "\(AxisTicks.label(rate)) predictions/s on average"),
                            ("severities", severity.map(AxisTicks.label).joined(separator: ", ")),
                            ("detectors", names.joined(separator: ", "))])
                try write(report, to: directory.appendingPathComponent("report.html"))
                printError("notebooks: wrote results.json, report.html, report.md and \(charts.count + (sweepRows.isEmpty ? 0 : 1)) charts to \(out)")
            }
        }

        /// Writes `text` to `url`, or fails with one line naming the file.
        private func write(_ text: String, to url: URL) throws {
            do {
                try Data(text.utf8).write(to: url)
            } catch {
                throw fail("\(url.path): cannot write (\(Self.reason(error)))")
            }
        }

        static func reason(_ error: any Error) -> String {
            let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
            if let underlying, underlying.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
                return String(cString: strerror(code.rawValue))
            }
            return (error as NSError).localizedDescription
        }
    }
}
