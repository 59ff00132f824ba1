import DriftDetection
import DriftEvaluation
import Foundation
import Monitoring
import MonitorNumerics

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

    /// One point of the severity sweep: a detector's detection rate over every drift scenario at one severity.
    struct SweepRow { var detector: String; var severity: Double; var rate: Double }

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

    private static func minutes(_ s: Double?) -> String { s.map { String(format: "%.1f", $0 / 60) } ?? "–" }
    private static func number(_ x: Double?, _ digits: Int = 2) -> String { x.map { String(format: "%.\(digits)f", $0) } ?? "–" }

    /// The summary over all scenarios, then one table per scenario.
    static func tables(runs: [DetectorEvaluation.Run], detectors: [String], scenarios: [String]) -> [ResultTable] {
        var summary = ResultTable(
            title: "Summary: all scenarios (false alarms: before the first onset, and all of `none`)",
            header: ["detector", "scenarios caught", "detection rate", "median delay (min)", "p90 delay (min)",
                     "false alarms / 10k records", "false alarms / hour", "MTBFA (h)", "NAB-style"], rows: [])
        for name in detectors {
            let mine = runs.filter { $0.detector == name }
            let s = summarize(mine)
            let drifting = Set(mine.filter { $0.onsets > 0 }.map(\.scenario))
            let caught = drifting.filter { scenario in summarize(mine.filter { $0.scenario == scenario }).detectionRate >= 0.999 }
            summary.rows.append([name, "\(caught.count)/\(drifting.count)", number(s.detectionRate), minutes(s.medianDelay),
                                 minutes(s.p90Delay), number(s.falseAlarmsPer10k, 3), number(s.falseAlarmsPerHour, 3),
                                 number(s.meanTimeBetweenFalseAlarms, 1), number(s.nab, 1)])
        }
        return [summary] + scenarios.map { scenario in
            ResultTable(title: scenario, level: 3,
                        header: ["detector", "detection rate", "median delay (min)", "p90 delay (min)", "median delay (records)",
                                 "false alarms / 10k", "false alarms / hour", "NAB-style"],
                        rows: detectors.map { name in
                            let s = summarize(runs.filter { $0.detector == name && $0.scenario == scenario })
                            return [name, s.onsets == 0 ? "–" : number(s.detectionRate), minutes(s.medianDelay), minutes(s.p90Delay),
                                    number(s.medianDelayRecords, 0), number(s.falseAlarmsPer10k, 3), number(s.falseAlarmsPerHour, 3),
                                    number(s.nab, 1)]
                        })
        }
    }

    /// False alarms on the control per simulated week, each statistic alone
    /// and the family watched together (any alarm of any statistic).
    static func falseAlarmFamily(runs: [DetectorEvaluation.Run], detectors: [String], scenario: String) -> ResultTable {
        let statistics = DriftStatistic.allCases
        var table = ResultTable(title: "False alarms on `\(scenario)` per 7 simulated days: each statistic, and the family together",
                                header: ["detector", "days"] + statistics.map(\.rawValue) + ["family (all together)"], rows: [])
        for name in detectors {
            let mine = runs.filter { $0.detector == name }
            let days = mine.reduce(0) { $0 + $1.driftFreeHours } / 24
            guard days > 0 else { continue }
            let alarms = mine.flatMap(\.alarms)
            let cells = statistics.map { statistic in
                String(format: "%.2f", Double(alarms.filter { $0.statistic == statistic }.count) / days * 7)
            }
            table.rows.append([name, String(format: "%.0f", days)] + cells
                              + ["\(String(format: "%.2f", Double(alarms.count) / days * 7)) (\(alarms.count) in all)"])
        }
        return table
    }

    static func sweepTable(_ rows: [SweepRow], detectors: [String], severities: [Double]) -> ResultTable {
        ResultTable(title: "Severity sweep: detection rate over the drift scenarios",
                    header: ["detector"] + severities.map { "severity \(PythonFloatFormat.repr($0))" },
                    rows: detectors.map { name in
                        [name] + severities.map { s in
                            rows.first { $0.detector == name && $0.severity == s }.map { String(format: "%.2f", $0.rate) } ?? "–"
                        }
                    })
    }

    static func json(runs: [DetectorEvaluation.Run], sweep: [SweepRow]) -> JSONValue {
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
