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
            Prints markdown tables; with --out, also writes results.json, one SVG per scenario (the metric \
            stream, the drift band and each detector's alarms) and severity-sweep.svg.
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

        @Option(help: "Where to write results.json and the SVG charts.")
        var out: String?

        enum Suite: String, ExpressibleByArgument, CaseIterable { case builtin, realistic, all }

        func validate() throws {
            for name in scenarios where Scenario.named(name) == nil { throw ValidationError("unknown scenario '\(name)' (see simulate --list)") }
            for name in detectors where !DetectorEvaluation.detectorNames.contains(name) { throw ValidationError("unknown detector '\(name)'") }
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
            let showProgress = isatty(STDERR_FILENO) == 1
            // Streams run two at a time (one per core); results are put back in job order.
            var results = [[DetectorEvaluation.Run]](repeating: [], count: jobs.count)
            var charts: [(String, SVGChart)] = []
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
                        return (index, runs, wantChart ? Self.chart(scenario, events, truth, runs) : nil)
                    }
                }
                for _ in 0..<2 { add() }
                while let (index, runs, chart) = try await group.next() {
                    results[index] = runs
                    if let chart { charts.append((jobs[index].0.name, chart)) }
                    done += 1
                    if showProgress { printProgress("heuristics: \(done)/\(jobs.count) streams", Double(done) / Double(jobs.count)) }
                    add()
                }
            }
            if showProgress { writeAll("\n", to: STDERR_FILENO) }
            let order = Dictionary(chosen.enumerated().map { ($1.name, $0) }, uniquingKeysWith: min)
            charts.sort { order[$0.0, default: 0] < order[$1.0, default: 0] }
            let runs = results.flatMap { $0 }
            print(HeuristicsReport.markdown(runs: runs, detectors: names, scenarios: chosen.map(\.name)))

            if allRealistic, let control = chosen.first(where: { $0.drifts.isEmpty }) {
                print(HeuristicsReport.falseAlarmFamily(runs: runs.filter { $0.scenario == control.name }, detectors: names,
                                                        scenario: control.name))
            }

            var sweepRows: [(detector: String, severity: Double, rate: Double)] = []
            if !noSweep, !sweep.isEmpty, !allRealistic {
                let drifting = chosen.filter { !$0.drifts.isEmpty && !Self.isRealistic($0) }
                let start = LocalTimestamp(isoformat: SimulationDefaults.start)!
                let span = duration ?? .hours(24)
                for severity in sweep {
                    var sweepRuns: [DetectorEvaluation.Run] = []
                    for scenario in drifting {
                        let sweepSpan = TimeSpan.hours(min(span.seconds / 3600, 8))
                        let generator = TrafficGenerator(scenario: scenario, seed: firstSeed + 99, start: start, duration: sweepSpan,
                                                         ratePerSecond: rate, severity: severity)
                        let truth = GroundTruth(scenario: scenario, seed: firstSeed + 99, severity: severity, ratePerSecond: rate,
                                                start: start, duration: sweepSpan, predictions: 0, errors: 0)
                        sweepRuns += evaluation.evaluate(detectors: names, events: DetectorEvaluation.events(of: generator), truth: truth)
                    }
                    for name in names {
                        let mine = sweepRuns.filter { $0.detector == name }
                        let onsets = mine.reduce(0) { $0 + $1.onsets }
                        sweepRows.append((name, severity, onsets == 0 ? 0 : Double(mine.reduce(0) { $0 + $1.detected }) / Double(onsets)))
                    }
                }
                print(HeuristicsReport.sweepMarkdown(sweepRows, detectors: names, severities: sweep))
            }

            if let out {
                let directory = URL(fileURLWithPath: out)
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                for (name, chart) in charts {
                    try Data(chart.render().utf8).write(to: directory.appendingPathComponent("\(name).svg"))
                }
                if !sweepRows.isEmpty {
                    var chart = SVGChart(title: "Detection rate by severity (all drift scenarios)", xLabel: "severity",
                                         yLabel: "detection rate", yRange: 0...1)
                    for (i, name) in names.enumerated() {
                        chart.series.append(.init(name: name, points: sweepRows.filter { $0.detector == name }.map { ($0.severity, $0.rate) },
                                                  color: SVGChart.palette[i % SVGChart.palette.count]))
                    }
                    try Data(chart.render().utf8).write(to: directory.appendingPathComponent("severity-sweep.svg"))
                }
                let json = HeuristicsReport.json(runs: runs, sweep: sweepRows)
                try Data((JSONWriter.string(json, pretty: true) + "\n").utf8).write(to: directory.appendingPathComponent("results.json"))
                printError("notebooks: wrote results.json and \(charts.count + (sweepRows.isEmpty ? 0 : 1)) charts to \(out)")
            }
        }

        private static func chart(_ scenario: Scenario, _ events: [MonitorEvent], _ truth: GroundTruth,
                           _ results: [DetectorEvaluation.Run]) -> SVGChart {
            let metric = MonitoredMetric(rawValue: scenario.affectedMetrics.first ?? "confidence") ?? .confidence
            let streams = MetricStreams(events: events)
            let hours = { (t: LocalTimestamp) in Double(t.microseconds - truth.start.microseconds) / 3.6e9 }
            var chart = SVGChart(title: "\(scenario.name): per-minute \(metric.rawValue) and alarms", xLabel: "hours since start",
                                 yLabel: metric.rawValue)
            let series = streams.scalarSeries(metric)
            chart.series = [.init(name: metric.rawValue, points: zip(streams.intervals, series).compactMap { interval, value in
                value.map { (hours(interval.start), metric == .processingTime ? exp($0) : $0) }
            }, color: "#555")]
            chart.bands = truth.drifts.flatMap(\.intervals).map { .init(from: hours($0.onset), to: hours($0.offset ?? truth.end), label: "drift") }
            chart.tickRows = results.enumerated().map { i, run in
                .init(name: run.detector, xs: run.alarms.map { hours($0.timestamp) }, color: SVGChart.palette[i % SVGChart.palette.count])
            }
            return chart
        }
    }
}

/// Tables and JSON of the heuristics notebook.
enum HeuristicsReport {
    struct Summary {
        var detectionRate: Double
        var onsets: Int
        var medianDelay: Double?
        var p90Delay: Double?
        var medianDelayRecords: Double?
        var falseAlarmsPer10k: Double
        var falseAlarmsPerHour: Double
        var meanTimeBetweenFalseAlarms: Double?
        var nab: Double?
    }

    static func summarize(_ runs: [DetectorEvaluation.Run]) -> Summary {
        let onsets = runs.reduce(0) { $0 + $1.onsets }
        let detected = runs.reduce(0) { $0 + $1.detected }
        let delays = runs.flatMap(\.delaysSeconds)
        let delayRecords = runs.flatMap(\.delaysRecords).map(Double.init)
        let falseAlarms = Double(runs.reduce(0) { $0 + $1.falseAlarms })
        let records = Double(runs.reduce(0) { $0 + $1.driftFreeRecords })
        let hours = runs.reduce(0) { $0 + $1.driftFreeHours }
        let nabs = runs.compactMap(\.nabScore)
        func percentile(_ xs: [Double], _ p: Double) -> Double? {
            xs.isEmpty ? nil : xs.withUnsafeBufferPointer { Quantiles.linear($0, percentiles: [p]) }[0]
        }
        return Summary(detectionRate: onsets == 0 ? 0 : Double(detected) / Double(onsets), onsets: onsets,
                       medianDelay: percentile(delays, 50), p90Delay: percentile(delays, 90),
                       medianDelayRecords: percentile(delayRecords, 50),
                       falseAlarmsPer10k: records > 0 ? falseAlarms / records * 10_000 : 0,
                       falseAlarmsPerHour: hours > 0 ? falseAlarms / hours : 0,
                       meanTimeBetweenFalseAlarms: falseAlarms > 0 ? hours / falseAlarms : nil,
                       nab: nabs.isEmpty ? nil : nabs.reduce(0, +) / Double(nabs.count))
    }

    static func markdown(runs: [DetectorEvaluation.Run], detectors: [String], scenarios: [String]) -> String {
        func minutes(_ s: Double?) -> String { s.map { String(format: "%.1f", $0 / 60) } ?? "–" }
        func number(_ x: Double?, _ digits: Int = 2) -> String { x.map { String(format: "%.\(digits)f", $0) } ?? "–" }
        var lines: [String] = []
        lines.append("## Summary: all scenarios (false alarms: before the first onset, and all of `none`)\n")
        lines.append("| detector | scenarios caught | detection rate | median delay (min) | p90 delay (min) | false alarms / 10k records | false alarms / hour | MTBFA (h) | NAB-style |")
        lines.append("|---|---|---|---|---|---|---|---|---|")
        for name in detectors {
            let mine = runs.filter { $0.detector == name }
            let s = summarize(mine)
            let drifting = Set(mine.filter { $0.onsets > 0 }.map(\.scenario))
            let caught = drifting.filter { scenario in summarize(mine.filter { $0.scenario == scenario }).detectionRate >= 0.999 }
            lines.append("| \(name) | \(caught.count)/\(drifting.count) | \(number(s.detectionRate)) | \(minutes(s.medianDelay)) | \(minutes(s.p90Delay)) | \(number(s.falseAlarmsPer10k, 3)) | \(number(s.falseAlarmsPerHour, 3)) | \(number(s.meanTimeBetweenFalseAlarms, 1)) | \(number(s.nab, 1)) |")
        }
        for scenario in scenarios {
            lines.append("\n### \(scenario)\n")
            lines.append("| detector | detection rate | median delay (min) | p90 delay (min) | median delay (records) | false alarms / 10k | false alarms / hour | NAB-style |")
            lines.append("|---|---|---|---|---|---|---|---|")
            for name in detectors {
                let s = summarize(runs.filter { $0.detector == name && $0.scenario == scenario })
                let rate = s.onsets == 0 ? "–" : number(s.detectionRate)
                lines.append("| \(name) | \(rate) | \(minutes(s.medianDelay)) | \(minutes(s.p90Delay)) | \(number(s.medianDelayRecords, 0)) | \(number(s.falseAlarmsPer10k, 3)) | \(number(s.falseAlarmsPerHour, 3)) | \(number(s.nab, 1)) |")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// False alarms on the control per simulated week, each statistic alone
    /// and the family watched together (any alarm of any statistic).
    static func falseAlarmFamily(runs: [DetectorEvaluation.Run], detectors: [String], scenario: String) -> String {
        let statistics = DriftStatistic.allCases
        var lines = ["\n## False alarms on `\(scenario)` per 7 simulated days: each statistic, and the family together\n",
                     "| detector | days | " + statistics.map(\.rawValue).joined(separator: " | ") + " | family (all together) |",
                     "|---|---|" + statistics.map { _ in "---|" }.joined() + "---|"]
        for name in detectors {
            let mine = runs.filter { $0.detector == name }
            let days = mine.reduce(0) { $0 + $1.driftFreeHours } / 24
            guard days > 0 else { continue }
            let alarms = mine.flatMap(\.alarms)
            let cells = statistics.map { statistic in
                String(format: "%.2f", Double(alarms.filter { $0.statistic == statistic }.count) / days * 7)
            }
            lines.append("| \(name) | \(String(format: "%.0f", days)) | " + cells.joined(separator: " | ")
                         + " | \(String(format: "%.2f", Double(alarms.count) / days * 7)) (\(alarms.count) in all) |")
        }
        return lines.joined(separator: "\n")
    }

    static func sweepMarkdown(_ rows: [(detector: String, severity: Double, rate: Double)], detectors: [String], severities: [Double]) -> String {
        var lines = ["\n## Severity sweep: detection rate over the drift scenarios\n",
                     "| detector | " + severities.map { "severity \(PythonFloatFormat.repr($0))" }.joined(separator: " | ") + " |",
                     "|---|" + severities.map { _ in "---|" }.joined()]
        for name in detectors {
            let cells = severities.map { s in rows.first { $0.detector == name && $0.severity == s }.map { String(format: "%.2f", $0.rate) } ?? "–" }
            lines.append("| \(name) | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }

    static func json(runs: [DetectorEvaluation.Run], sweep: [(detector: String, severity: Double, rate: Double)]) -> JSONValue {
        .object(JSONObject([
            ("runs", .array(runs.map { run in
                .object(JSONObject([
                    ("detector", .string(run.detector)), ("scenario", .string(run.scenario)),
                    ("seed", .int(Int(run.seed))), ("severity", .double(run.severity)),
                    ("onsets", .int(run.onsets)), ("detected", .int(run.detected)),
                    ("delays_seconds", .array(run.delaysSeconds.map { .double($0) })),
                    ("delays_records", .array(run.delaysRecords.map { .int($0) })),
                    ("false_alarms", .int(run.falseAlarms)), ("drift_free_records", .int(run.driftFreeRecords)),
                    ("drift_free_hours", .double(run.driftFreeHours)),
                    ("nab_score", run.nabScore.map { .double($0) } ?? .null),
                    ("alarms", .array(run.alarms.map { $0.jsonValue() })),
                ]))
            })),
            ("severity_sweep", .array(sweep.map { ["detector": .string($0.detector), "severity": .double($0.severity), "detection_rate": .double($0.rate)] })),
        ]))
    }
}
