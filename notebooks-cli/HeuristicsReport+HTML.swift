import TrafficSimulator

extension HeuristicsReport {
    /// The notebook as one self-contained HTML page: the run's parameters, the summary, each
    /// scenario's table and chart, the false-alarm family (realistic suite) and the severity sweep.
    static func html(tables: [ResultTable], familyTable: ResultTable?, sweepTable: ResultTable?,
                     charts: [(Scenario, SVGChart)], sweepChart: SVGChart?, facts: [(String, String)]) -> String {
        var report = HTMLReport(title: "DriftLab heuristics: drift detectors on simulated scenarios")
        report.paragraph("Every detector runs on simulated prediction streams with drift injected at known times (the ground truth). "
                         + "The same figures are in `report.md` and, run by run, in `results.json` (schema: `docs/results-schema.md`).")
        report.facts(facts)
        report.heading("How to read the tables")
        report.paragraph("Detection rate: the share of drift onsets followed by an alarm before the drift ends (plus ten minutes). "
                         + "Delay: from onset to the first alarm, over detected onsets. False alarms: alarms before the first onset, "
                         + "and every alarm on `none`, per 10,000 drift-free records and per drift-free hour; MTBFA is the mean time between them. "
                         + "NAB-style: NAB's standard-profile score with a window around each onset (100 is perfect, 0 is no alarm at all). "
                         + "– means not applicable (no onset, no delay, no false alarm).")
        guard let summary = tables.first else { return report.render() }
        report.table(summary)
        let chartOf = Dictionary(charts.map { ($0.0.name, $0) }, uniquingKeysWith: { first, _ in first })
        if tables.count > 1 { report.heading("Scenarios") }
        for table in tables.dropFirst() {
            var table = table
            let entry = chartOf[table.title]
            table.note = entry.map { "\($0.0.summary)" }
            report.table(table)
            if let entry {
                let (scenario, chart) = entry
                report.figure(svg: chart.render(), caption: "`\(scenario.name)`: \(chart.subtitle ?? "")",
                              howToRead: HeuristicsCharts.scenarioHowToRead(scenario))
            }
        }
        if let familyTable {
            report.table(familyTable)
            report.paragraph("Each cell is the control's alarms per 7 simulated days for one statistic; the last column counts "
                             + "every alarm of every statistic, what an operator watching all of them would see.")
        }
        if let sweepTable {
            report.table(sweepTable)
            if let sweepChart {
                report.figure(svg: sweepChart.render(), caption: sweepChart.subtitle ?? "", howToRead: HeuristicsCharts.sweepHowToRead)
            }
        }
        return report.render()
    }
}
