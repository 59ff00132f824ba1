import DriftDetection
import DriftEvaluation
import Foundation
import Monitoring
import TrafficSimulator

/// The heuristics notebook's figures: one chart per scenario (its stream, its
/// drift and every detector's alarms) and the severity sweep.
enum HeuristicsCharts {
    /// What a scenario chart's line is, in words and units.
    static func quantity(_ metric: MonitoredMetric) -> String {
        switch metric {
        case .confidence: return "mean confidence per minute (0–1)"
        case .processingTime: return "geometric-mean processing time per minute (s)"
        case .label: return "share of the first hour's most frequent label per minute (0–1)"
        case .errorRate: return "error rate per minute (errors / requests, 0–1)"
        }
    }

    /// The metric a scenario's chart shows: the first its drifts affect.
    static func metric(of scenario: Scenario) -> MonitoredMetric {
        MonitoredMetric(rawValue: scenario.affectedMetrics.first ?? "confidence") ?? .confidence
    }

    /// A scenario's stream at one seed: its per-minute metric, the drift bands and each detector's alarms.
    static func scenario(_ scenario: Scenario, _ events: [MonitorEvent], _ truth: GroundTruth,
                         _ results: [DetectorEvaluation.Run]) -> SVGChart {
        let metric = metric(of: scenario)
        let streams = MetricStreams(events: events)
        let hours = { (t: LocalTimestamp) in Double(t.microseconds - truth.start.microseconds) / 3.6e9 }
        let span = Double(truth.end.microseconds - truth.start.microseconds) / 3.6e9
        var chart = SVGChart(title: "\(scenario.name): per-minute \(metric.rawValue) and alarms",
                             subtitle: "seed \(truth.seed), severity \(AxisTicks.label(truth.severity)), "
                                 + "\(AxisTicks.label(truth.ratePerSecond)) predictions/s, "
                                 + "\(AxisTicks.label(span)) h from \(truth.start.isoformat); y: \(quantity(metric))",
                             xLabel: "hours since start", yLabel: quantity(metric))
        chart.series = [.init(name: "per-minute \(metric.rawValue)", points: zip(streams.intervals, streams.scalarSeries(metric)).compactMap { interval, value in
            value.map { (hours(interval.start), metric == .processingTime ? exp($0) : $0) }
        }, color: "#555555")]
        chart.bands = truth.drifts.flatMap(\.intervals).map { .init(from: hours($0.onset), to: hours($0.offset ?? truth.end), label: "drift (ground truth)") }
        chart.tickRows = results.enumerated().map { i, run in
            .init(name: run.detector, xs: run.alarms.map { hours($0.timestamp) }, color: ChartStyle.style(i).color)
        }
        return chart
    }

    static func scenarioHowToRead(_ scenario: Scenario) -> String {
        "The grey line is the stream's \(quantity(metric(of: scenario))), one point per minute with traffic. "
            + "Shaded spans are where the simulator injected drift (the ground truth). Each row under the plot is one detector: "
            + "a tick is an alarm (or a resolution) at that time. A good detector ticks once soon after each shaded span starts "
            + "and stays quiet outside them; ticks before the first span, or anywhere on `none`, are false alarms."
    }

    /// Detection rate against severity, a marker at every measured point and an x tick at every measured severity.
    static func sweep(_ rows: [HeuristicsReport.SweepRow], detectors: [String], severities: [Double], hours: Double, seed: UInt64) -> SVGChart {
        var chart = SVGChart(title: "Detection rate by severity (all drift scenarios)",
                             subtitle: "one \(AxisTicks.label(hours))-hour stream per drift scenario at seed \(seed); "
                                 + "y: share of drift onsets detected (0–1)",
                             xLabel: "severity (1 = the scenario as written)", yLabel: "detection rate", yRange: -0.04...1.04)
        chart.xTicks = severities.uniqued().sorted()
        chart.xPadding = 0.06
        chart.dodgeCoincidentMarkers = true
        for (i, name) in detectors.enumerated() {
            let points = rows.filter { $0.detector == name }.sorted { $0.severity < $1.severity }.map { (x: $0.severity, y: $0.rate) }
            chart.series.append(SVGChart.styledSeries(i, name: name, points: points))
        }
        return chart
    }

    static let sweepHowToRead = """
        Each line is one detector; each marker is a measured point: the share of drift onsets it detected, over one stream per \
        drift scenario, when every drift is scaled by the severity on the x axis (ticks are at the measured severities only; \
        lines between them are only a guide). Higher and further left is better: a detector that reaches 1 at small severities \
        finds weak drifts. Detectors with the same value at a severity would hide each other, so their markers are set side \
        by side, a few pixels apart, around the tick; read the value on the y axis and the exact figures in the table above. \
        The sweep says nothing about false alarms: read it with the summary table.
        """
}
