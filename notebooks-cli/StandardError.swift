import ArgumentParser
import Foundation
import Monitoring
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes all of `text` to a descriptor with `write(2)`, looping over short
/// writes and `EINTR`, and giving up quietly on any other error (`EPIPE`
/// from a closed pipe, `ENOSPC` from `/dev/full`): output to a terminal or
/// a pipe must never crash or stop the process. SIGPIPE is ignored at start
/// (see ``Notebooks/main()``), so a closed pipe is an `EPIPE` here.
///
/// - Returns: Whether every byte was written.
@discardableResult
func writeAll(_ text: String, to descriptor: Int32) -> Bool {
    var bytes = Array(text.utf8)
    var written = 0
    while written < bytes.count {
        let result = bytes.withUnsafeMutableBytes { raw in
            Glibc.write(descriptor, raw.baseAddress! + written, raw.count - written)
        }
        if result < 0 {
            if errno == EINTR { continue }
            return false
        }
        written += result
    }
    return true
}

/// Writes one line to standard error (never crashes, see ``writeAll(_:to:)``).
func printError(_ message: String) {
    var line = message
    if !line.hasSuffix("\n") { line += "\n" }
    writeAll(line, to: STDERR_FILENO)
}

/// Fails the command with one line on standard error and exit code 2.
func fail(_ message: String) -> ExitCode {
    printError("notebooks: \(message)")
    return ExitCode(2)
}

/// Writes one line to standard output at once (unbuffered), for output that
/// other processes read while the command runs. A failed write (a closed
/// pipe, a full disk) is ignored; it never crashes.
func writeLine(_ line: String) {
    fflush(nil)  // keep order with anything print() buffered
    writeAll(line + "\n", to: STDOUT_FILENO)
}

/// Resolves a directory for a reading command (`analyze`, `detect`,
/// `replay`): unlike the library, which reads a directory without logs as
/// empty (as the reference does), a path with no `monitor/` folder and no
/// log fails, so that a mistyped path never gives a healthy-looking report.
/// A folder or log that exists but cannot be read fails too.
func resolveForReading(_ path: String) throws -> MonitorDirectory {
    let outcome = Result { () throws(MonitorError) -> MonitorDirectory in
        let directory = try MonitorDirectory.resolve(path)
        try directory.requireLogs(givenAs: path)
        return directory
    }
    switch outcome {
    case .success(let directory): return directory
    case .failure(let error): throw fail(error.description)
    }
}

/// The events of a monitor directory in timestamp order, reporting skipped
/// lines on stderr; a missing, unreadable or log-less directory fails the command.
func loadEvents(_ directory: String) throws -> [MonitorEvent] {
    let resolved = try resolveForReading(directory)
    let outcome = Result { () throws(MonitorError) in try MonitorLoader.events(in: resolved) }
    switch outcome {
    case .success(let (events, report)):
        if let skipped = report.skippedSummary { printError("notebooks: \(skipped)") }
        return events
    case .failure(let error):
        throw fail(error.description)
    }
}
