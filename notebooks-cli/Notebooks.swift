import ArgumentParser
import Foundation

/// The DriftLab command line: analyses of prediction-monitor directories.
@main
struct Notebooks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebooks",
        abstract: "DriftLab: monitor a classifier's prediction stream and research drift heuristics.",
        version: "0.5.0",
        subcommands: [Analyze.self, Record.self, Serve.self, PrometheusRulesCommand.self, Simulate.self, Replay.self, Detect.self,
                      Heuristics.self, NAB.self, Bench.self]
    )

    /// Ignores SIGPIPE, so that a closed pipe (`notebooks record … | head -1`)
    /// is an `EPIPE` that output functions ignore rather than a signal that
    /// kills the process with its input half recorded; then runs the command.
    /// A bad option or argument is one line on stderr and exit code 2 (help
    /// and `--version` print as usual and exit 0).
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)  // the command has said why
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                writeLine(fullMessage(for: error))
                Foundation.exit(0)
            }
            let full = message(for: error)
            if full.hasPrefix("CommandError(") {
                // An `ExitCode` thrown by a `validate()` that has printed its own line.
                Foundation.exit(code.rawValue)
            }
            let message = full.split(separator: "\n").first.map(String.init) ?? "\(error)"
            let text = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
            printError("notebooks: \(text) (see `notebooks help`)")
            Foundation.exit(2)
        }
    }
}
