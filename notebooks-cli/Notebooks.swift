import ArgumentParser
import Foundation

/// The DriftLab command line: analyses of prediction-monitor directories.
@main
struct Notebooks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebooks",
        abstract: "DriftLab: monitor a classifier's prediction stream and research drift heuristics.",
        subcommands: [Analyze.self, Record.self, Simulate.self, Replay.self, Detect.self, Heuristics.self, NAB.self, Bench.self]
    )

    /// Parses and runs the command. A bad option, a failed validation or any
    /// other error is one line, `notebooks: …`, on stderr and exit code 2;
    /// help requests print as usual.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if error is ExitCode || exitCode(for: error) == .success { exit(withError: error) }
            let lines = message(for: error).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            printError("notebooks: " + (lines.isEmpty ? "\(error)" : lines.joined(separator: " ")))
            Foundation.exit(2)
        }
    }
}
