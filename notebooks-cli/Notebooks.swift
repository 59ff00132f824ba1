import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The DriftLab command line: analyses of prediction-monitor directories.
@main
struct Notebooks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebooks",
        abstract: "DriftLab: monitor a classifier's prediction stream and research drift heuristics.",
        subcommands: [Analyze.self, Record.self, Simulate.self, Replay.self, Detect.self, Heuristics.self, NAB.self, Bench.self]
    )

    /// Ignores SIGPIPE, so that a closed pipe (`notebooks record … | head -1`)
    /// is an `EPIPE` that output functions ignore rather than a signal that
    /// kills the process with its input half recorded; then runs the command.
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        await main(nil)
    }
}
