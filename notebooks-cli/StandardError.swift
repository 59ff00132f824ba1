import ArgumentParser
import Foundation

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
