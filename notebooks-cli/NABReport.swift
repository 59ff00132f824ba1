import DriftEvaluation
import Foundation

/// The NAB notebook's table, bar chart and HTML report.
enum NABReport {
    private static func cell(_ x: Double?) -> String { x.map { String(format: "%.1f", $0) } ?? "" }

    /// DriftLab's entries (each profile nested and in-sample, the standard profile also on the held-out half)
    /// and the published scoreboard.
    static func table(_ results: [NABEvaluation.Result]) -> ResultTable {
        let header = ["entry", "standard, nested CV", "standard, in-sample", "standard, held-out half",
                      "reward_low_FP_rate, nested CV", "reward_low_FP_rate, in-sample",
                      "reward_low_FN_rate, nested CV", "reward_low_FN_rate, in-sample", "published standard"]
        return ResultTable(
            title: "Scores", header: header,
            rows: results.map { r in
                [r.displayName] + [r.nestedCV["standard"], r.inSample["standard"], r.heldOut["standard"],
                                   r.nestedCV["reward_low_FP_rate"], r.inSample["reward_low_FP_rate"],
                                   r.nestedCV["reward_low_FN_rate"], r.inSample["reward_low_FN_rate"], r.published].map(cell)
            } + NABEvaluation.published.map { ["\($0.name) (published)"] + Array(repeating: "", count: header.count - 2) + [cell($0.standard)] })
    }

    /// Standard-profile scores as horizontal bars, best first: DriftLab's in-sample figures (comparable with
    /// the published ones, which are in-sample too) with the nested-CV figure as a marker, and the scoreboard.
    static func chart(_ results: [NABEvaluation.Result]) -> SVGBarChart {
        var bars = results.compactMap { r in
            r.inSample["standard"].map { SVGBarChart.Bar(label: r.displayName, value: $0, group: 0, secondary: r.nestedCV["standard"]) }
        }
        bars += NABEvaluation.published.map { SVGBarChart.Bar(label: "\($0.name) (published)", value: $0.standard, group: 1) }
        bars.sort { ($0.value, $1.label) > ($1.value, $0.label) }
        var chart = SVGBarChart(title: "NAB scores, standard profile",
                                subtitle: "100 = every anomaly window found at its start, no false positive; 0 = the null detector (no detection)",
                                valueLabel: "NAB score (standard profile)",
                                groups: [.init(name: "DriftLab, in-sample", color: ChartStyle.palette[4]),
                                         .init(name: "published (NAB scoreboard)", color: ChartStyle.palette[1])],
                                bars: bars)
        chart.secondaryName = "nested CV"
        return chart
    }

    static let howToRead = """
        One bar per entry, longest first; the number at its end is the score. Blue bars are DriftLab's entries scored by \
        NAB's method with the threshold (and the parameters, where there is a choice) tuned on the whole corpus, as NAB's \
        own scoreboard is (orange). The black diamond on a blue bar is the honest figure: nested cross-validation, where \
        every file is scored with parameters and a threshold chosen on other files only. A bar left of 0 does worse than \
        detecting nothing: its false positives cost more than its detections earn.
        """

    static func html(_ results: [NABEvaluation.Result], table: ResultTable, chart: SVGBarChart, facts: [(String, String)]) -> String {
        var report = HTMLReport(title: "DriftLab on the Numenta Anomaly Benchmark")
        report.paragraph("DriftLab's NAB entries scored with NAB's own method (its scorer's windows, profiles and threshold "
                         + "optimisation), beside NAB's published scoreboard. Per-file detections are in NAB's results layout next "
                         + "to this page; the folds' choices are in `results.json` (schema: `docs/results-schema.md`).")
        report.facts(facts)
        report.table(table)
        report.paragraph("In-sample: the threshold (and the parameters, for entries with a grid) chosen on all files, as NAB's "
                         + "published figures are. Nested CV: chosen on the training folds, scored on the held-out files. Held-out half: "
                         + "chosen on the development half of NAB's files (a seeded split fixed before DriftLab's own detectors were "
                         + "developed), scored on the other half.")
        report.figure(svg: chart.render(), caption: chart.subtitle ?? "", howToRead: howToRead)
        report.table(ResultTable(
            title: "How each entry was run", header: ["entry", "post-processing", "in-sample parameters", "folds' parameters (standard)", "folds' thresholds (standard)"],
            rows: results.map { r in
                [r.displayName, r.postProcessing, r.inSampleCandidate, (r.foldCandidates["standard"] ?? []).uniqued().joined(separator: "; "),
                 (r.foldThresholds["standard"] ?? []).map { String(format: "%.4g", $0) }.joined(separator: ", ")]
            }))
        return report.render()
    }
}
