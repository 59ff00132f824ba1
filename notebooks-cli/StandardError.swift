import ArgumentParser
import Foundation
import Monitoring

/// Writes one line to standard error.
func printError(_ message: String) {
    var line = message
    if !line.hasSuffix("\n") { line += "\n" }
    FileHandle.standardError.write(Data(line.utf8))
}

/// Fails the command with one line on standard error and exit code 2.
func fail(_ message: String) -> ExitCode {
    printError("notebooks: \(message)")
    return ExitCode(2)
}

/// Writes one line to standard output at once (unbuffered), for output that
/// other processes read while the command runs.
func writeLine(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// The events of a monitor directory in timestamp order, reporting skipped
/// lines on stderr; a missing directory or unreadable log fails the command.
func loadEvents(_ directory: String) throws -> [MonitorEvent] {
    let outcome = Result { () throws(MonitorError) in try MonitorLoader.events(in: MonitorDirectory.resolve(directory)) }
    switch outcome {
    case .success(let (events, report)):
        if let skipped = report.skippedSummary { printError("notebooks: \(skipped)") }
        return events
    case .failure(let error):
        throw fail(error.description)
    }
}
