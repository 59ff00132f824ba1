import Foundation
import Testing
@testable import Monitoring

@Suite("Durability across a killed process")
struct CrashTests {
    /// The `notebooks` executable that `swift test` builds beside the tests.
    static var notebooksBinary: URL? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("notebooks")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    @Test("records flushed before SIGKILL are all in the log, whole")
    func killAfterFlush() throws {
        guard let binary = Self.notebooksBinary else {
            Issue.record("the notebooks executable was not found beside \(CommandLine.arguments[0])")
            return
        }
        let directory = try temporaryMonitorDirectory()
        let process = Process()
        process.executableURL = binary
        process.arguments = ["record", directory.monitorURL.path, "--no-loop"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()

        var events = ""
        for i in 0..<1_050 {
            events += #"{"prediction": "p\#(i % 4)", "confidence": 0.8, "processing_time": 0.2, "text": "t\#(i)"}"# + "\n"
        }
        events += #"{"command": "flush"}"# + "\n"
        // Written after the flush: these may or may not survive, but never torn into garbage mid-file.
        for i in 0..<37 {
            events += #"{"prediction": "late", "confidence": 0.8, "processing_time": 0.2, "text": "u\#(i)"}"# + "\n"
        }
        input.fileHandleForWriting.write(Data(events.utf8))

        var received = Data()
        while !String(decoding: received, as: UTF8.self).contains("{\"flushed\": 1050}") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            received.append(chunk)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let now = LocalTimestamp.now()
        let (state, report) = try MonitorLoader(capacity: 100_000).load(directory, now: now)
        #expect(state.totalPredictions >= 1_050)
        #expect(state.totalPredictions <= 1_087)
        #expect(report.predictions.skipped == 0 || report.predictions.endsWithoutNewline)
    }
}
