import ArgumentParser

/// The DriftLab command line: analyses of prediction-monitor directories.
@main
struct Notebooks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebooks",
        abstract: "DriftLab: monitor a classifier's prediction stream and research drift heuristics.",
        subcommands: [Analyze.self, Record.self, Serve.self, PrometheusRulesCommand.self, Simulate.self, Replay.self, Detect.self, Heuristics.self, NAB.self, Bench.self]
    )
}
