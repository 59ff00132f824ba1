import Foundation
import Logging
import Synchronization
import Testing
@testable import Monitoring
#if canImport(Glibc)
import Glibc
#endif

/// One prediction line in the reference's format at `timestamp`.
private func predictionLine(_ timestamp: LocalTimestamp, label: String, confidence: Double = 0.9) -> String {
    #"{"timestamp": "\#(timestamp.isoformat)", "text_hash": "h", "prediction": "\#(label)", "confidence": \#(confidence), "processing_time": 0.1, "model_version": "v", "text_length": 1, "word_count": 1}"#
}

/// A `write(2)` over a disk with a settable number of free bytes: writes go
/// to the real file until the space runs out, then fail with `ENOSPC`.
private final class SimulatedDisk: Sendable {
    private let free = Mutex(Int.max)
    func setFree(_ bytes: Int) { free.withLock { $0 = bytes } }

    var write: LogFile.WriteFunction {
        { [self] descriptor, bytes, count in
            let allowed = free.withLock { free -> Int in
                let allowed = min(free, count)
                free -= allowed
                return allowed
            }
            guard allowed > 0 else {
                errno = ENOSPC
                return -1
            }
            return Glibc.write(descriptor, bytes, allowed)
        }
    }
}

@Suite("Reliability: full disks, shrinking logs, unreadable paths, rotation gaps, the writer lock")
struct ReliabilityTests {
    // MARK: Full disk

    @Test("a full disk: the failure is reported at once, the backlog is bounded, refusals are typed, nothing accepted is lost")
    func fullDisk() throws {
        let directory = try temporaryMonitorDirectory()
        let disk = SimulatedDisk()
        var configuration = MonitorConfiguration()
        configuration.flush.batchSize = 10
        configuration.flush.maxPendingLines = 200
        let logged = LogCapture()
        configuration.logger = Logger(label: "test") { _ in logged }
        let clock = ManualMonitorClock(start: testStart)
        let monitor = try PredictionMonitor(directory: directory, configuration: configuration, clock: clock,
                                            alertHandler: nil, write: disk.write)
        let reported = Mutex<[MonitorError]>([])
        monitor.setWriteFailureHandler { error in reported.withLock { $0.append(error) } }
        for _ in 0..<95 { try monitor.recordPrediction(prediction: "a", confidence: 0.9, processingTime: 0.1, text: "x") }
        try monitor.flush()
        let before = try Data(contentsOf: directory.predictionsURL).count
        disk.setFree(before / 95 * 3 + 17)  // room for three lines and part of a fourth
        var accepted = 95, refusals: [RecordingError] = []
        for _ in 0..<1_000 {
            do throws(RecordingError) {
                try monitor.recordPrediction(prediction: "b", confidence: 0.9, processingTime: 0.1, text: "x")
                accepted += 1
            } catch {
                refusals.append(error)
            }
        }
        // Reported once, at the first failure, with the path and the reason.
        let failures = reported.withLock { $0 }
        #expect(failures.count == 1)
        // And logged once through swift-log, at .error, with the path and the reason.
        let errors = logged.messages.filter { $0.level == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.message.hasPrefix("\(directory.predictionsURL.path): ") == true)
        #expect(errors.first?.message.contains(String(cString: strerror(ENOSPC))) == true)
        #expect(failures.first == .writeFailed(path: directory.predictionsURL.path, reason: String(cString: strerror(ENOSPC))))
        // Bounded: the backlog stops at the limit and every later record is refused, typed.
        let status = monitor.writeStatus
        #expect(status.isFailing)
        #expect(status.pendingPredictions == configuration.flush.maxPendingLines)
        #expect(accepted == 95 + 3 + configuration.flush.maxPendingLines)
        #expect(refusals.count == 1_000 - (accepted - 95))
        #expect(status.refusedPredictions == refusals.count)
        if case .logBacklogFull(let pending, _)? = refusals.first { #expect(pending == 200) } else {
            Issue.record("expected logBacklogFull, got \(String(describing: refusals.first))")
        }
        #expect(throws: MonitorError.self) { try monitor.flush() }
        // Space comes back: every accepted record reaches the log, whole, once.
        disk.setFree(.max)
        try monitor.flush()
        #expect(monitor.writeStatus.unwrittenLines == 0)
        #expect(!monitor.writeStatus.isFailing)
        let written = try lines(of: directory.predictionsURL)
        #expect(written.count == accepted)
        #expect(written.allSatisfy { line in
            Array(line.utf8).withUnsafeBufferPointer { (try? PredictionLineDecoder.decode($0)) != nil }
        })
    }

    @Test("a restart on a full disk opens, defers the torn-line repair, serves reads, and repairs once space returns")
    func restartOnFullDisk() throws {
        let directory = try temporaryMonitorDirectory()
        let torn = (0..<5).map { predictionLine(testStart.adding(microseconds: -Int64($0) * 1_000_000), label: "a") }
            .joined(separator: "\n") + "\n" + #"{"timestamp": "2026-11-29T11:59"#
        try Data(torn.utf8).write(to: directory.predictionsURL)
        let disk = SimulatedDisk()
        disk.setFree(0)
        let clock = ManualMonitorClock(start: testStart)
        let monitor = try PredictionMonitor(directory: directory, configuration: MonitorConfiguration(), clock: clock,
                                            alertHandler: nil, write: disk.write)
        #expect(monitor.startupWriteError == .writeFailed(path: directory.predictionsURL.path, reason: String(cString: strerror(ENOSPC))))
        #expect(monitor.repairedTornLines == ["predictions.json"])
        #expect(monitor.totals.predictions == 5)
        #expect(monitor.currentMetrics().totalPredictions == 5)
        #expect(monitor.writeStatus.isFailing)
        #expect(try Data(contentsOf: directory.predictionsURL) == Data(torn.utf8))  // nothing written yet
        try monitor.recordPrediction(prediction: "b", confidence: 0.5, processingTime: 0.1, text: "x")
        disk.setFree(.max)
        try monitor.flush()
        let content = try String(contentsOf: directory.predictionsURL, encoding: .utf8)
        #expect(content.hasPrefix(torn + "\n"))  // the repair went first
        let (state, report) = try MonitorLoader().load(directory, now: clock.now())
        #expect(state.totalPredictions == 6)
        #expect(report.predictions.skipped == 1)
    }

    // MARK: Reading with read(2)

    /// Lines with `\n`, `\r\n` and lone `\r` endings, blank lines, a line far
    /// longer than small read sizes, and a torn last line.
    private func awkwardLog() -> [UInt8] {
        var text = ""
        let endings = ["\n", "\r\n", "\r", "\n\n"]
        for i in 0..<300 {
            let label = i % 37 == 0 ? String(repeating: "long", count: 500) : "l\(i % 5)"
            text += predictionLine(testStart.adding(microseconds: -Int64(300 - i) * 100_000), label: label,
                                   confidence: Double(i % 100) / 100) + endings[i % endings.count]
        }
        text += "garbage line\n" + String(predictionLine(testStart, label: "torn").prefix(50))
        return Array(text.utf8)
    }

    @Test("reading in chunks of any size gives what one whole buffer gives", arguments: [1, 7, 64, 1_000, 4_096, 1 << 20])
    func chunkBoundaries(chunkSize: Int) throws {
        let directory = try temporaryMonitorDirectory()
        let bytes = awkwardLog()
        try Data(bytes).write(to: directory.predictionsURL)
        var whole = MonitorState()
        let wholeCounts = bytes.withUnsafeBufferPointer {
            MonitorLoader().loadPredictions($0, into: &whole, after: .min)
        }
        var loader = MonitorLoader()
        loader.readChunkSize = chunkSize
        var (chunked, report) = try loader.load(directory, now: testStart)
        #expect(report.predictions == wholeCounts)
        #expect(wholeCounts.records == 300 && wholeCounts.skipped == 2 && wholeCounts.endsWithoutNewline)
        #expect(JSONWriter.string(chunked.currentMetrics(at: testStart).jsonValue)
                == JSONWriter.string(whole.currentMetrics(at: testStart).jsonValue))
        let events = try MonitorLoader.events(in: directory).0
        #expect(events.count == 300)
    }

    @Test("a log that shrinks during a load ends the read: no crash, whole lines only", arguments: [0, 1, 5_000, 20_000])
    func shrinkDuringLoad(truncateTo: Int) throws {
        let directory = try temporaryMonitorDirectory()
        // Never a whole second, so that every timestamp prints its fraction and every line has one length.
        let text = (0..<1_000).map { predictionLine(testStart.adding(microseconds: -Int64(1_000 - $0) * 1_000 - 1), label: "a") }
            .joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: directory.predictionsURL)
        var loader = MonitorLoader(capacity: 100_000)
        loader.readChunkSize = 4_096
        let path = directory.predictionsURL.path
        let reads = Mutex(0)
        loader.afterRead = {
            // After the first read, the log is cut (as `truncate -s`, `> file` or copytruncate would).
            if reads.withLock({ $0 += 1; return $0 }) == 1 { _ = Glibc.truncate(path, off_t(truncateTo)) }
        }
        let (state, report) = try loader.load(directory, now: testStart)
        let lineLength = text.utf8.count / 1_000
        let readable = max(4_096, truncateTo)  // the first read, then what is left
        #expect(state.totalPredictions == readable / lineLength)
        #expect(report.predictions.records == state.totalPredictions)
        #expect(report.predictions.skipped <= 1)  // at most the line cut by the truncation
    }

    // MARK: Unreadable and mistyped paths

    @Test("a file where the monitor folder should be is a typed error, not an empty monitor")
    func fileForFolder() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("driftlab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: base.appendingPathComponent("monitor"))
        #expect(throws: MonitorError.notADirectory(path: base.path + "/monitor")) {
            try MonitorDirectory.resolve(base.path)
        }
        // Read directly, the folder fails with the reason instead of reading as empty.
        let direct = MonitorDirectory(monitorURL: base.appendingPathComponent("monitor"))
        do throws(MonitorError) {
            _ = try MonitorLoader().load(direct, now: testStart)
            Issue.record("a file read as a monitor folder")
        } catch {
            guard case .notADirectory(let path) = error else { Issue.record("unexpected \(error)"); return }
            #expect(path.hasSuffix("/monitor") || path.hasSuffix("/monitor/"))
        }
    }

    @Test("a folder or log that cannot be read is a typed error (chmod 000, when not run as root)",
          .enabled(if: geteuid() != 0, "root bypasses permissions; Tests/reliability.sh checks this as uid 65534"))
    func permissionDenied() throws {
        let directory = try temporaryMonitorDirectory()
        try Data(predictionLine(testStart, label: "a").utf8 + [0x0A]).write(to: directory.predictionsURL)
        chmod(directory.predictionsURL.path, 0)
        defer { chmod(directory.predictionsURL.path, 0o644) }
        #expect(throws: MonitorError.unreadableFile(path: directory.predictionsURL.path, reason: String(cString: strerror(EACCES)))) {
            try MonitorLoader().load(directory, now: testStart)
        }
        let base = directory.monitorURL.deletingLastPathComponent().path
        chmod(directory.monitorURL.path, 0)
        defer { chmod(directory.monitorURL.path, 0o755) }
        do throws(MonitorError) {
            _ = try MonitorDirectory.resolve(base)
            Issue.record("an unreadable monitor folder resolved")
        } catch {
            guard case .unreadableDirectory(let path, let reason) = error else { Issue.record("unexpected \(error)"); return }
            #expect(path.hasSuffix("monitor"))
            #expect(reason == String(cString: strerror(EACCES)))
        }
    }

    @Test("a directory without monitor/ or logs reads as empty in the library (as the reference) and is refused by requireLogs")
    func noLogs() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("driftlab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let directory = try MonitorDirectory.resolve(base.path)
        let (state, _) = try MonitorLoader().load(directory, now: testStart)
        #expect(state.totalPredictions == 0)
        #expect(throws: MonitorError.noLogs(path: base.path)) { try directory.requireLogs(givenAs: base.path) }
        try FileManager.default.createDirectory(at: directory.monitorURL, withIntermediateDirectories: true)
        #expect(throws: MonitorError.noLogs(path: base.path)) { try directory.requireLogs(givenAs: base.path) }
        try Data().write(to: directory.alertsURL)
        try directory.requireLogs(givenAs: base.path)
    }

    // MARK: Rotation

    @Test("a crash between two renames (.1 missing, .2 and .3 present): every copy is read, oldest first")
    func rotationGap() throws {
        let directory = try temporaryMonitorDirectory()
        let path = directory.predictionsURL.path
        func write(_ suffix: String, label: String, count: Int, hoursAgo: Int64) throws {
            let start = testStart.adding(microseconds: -hoursAgo * LocalTimestamp.microsecondsPerHour)
            let text = (0..<count).map { predictionLine(start.adding(microseconds: Int64($0) * 1_000), label: label) }
            try Data((text.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path + suffix))
        }
        try write(".3", label: "oldest", count: 30, hoursAgo: 3)
        try write(".2", label: "middle", count: 20, hoursAgo: 2)
        try write("", label: "newest", count: 10, hoursAgo: 1)
        let (all, _) = try MonitorLoader().load(directory, now: testStart)
        #expect(all.totalPredictions == 60)
        // Capacity 25 keeps the newest 25 only if the files were read oldest first.
        var (window, report) = try MonitorLoader(capacity: 25).load(directory, now: testStart)
        #expect(report.predictions.evicted == 35)
        // Each file is an hour of its own: the window holds the newest file and the newest of the middle one.
        let hours = window.predictionPatterns(hours: 24, at: testStart)?.hourlyDistribution ?? [:]
        #expect(hours.keys.elements == [testStart.hour - 2, testStart.hour - 1])
        #expect(hours.values.elements == [15, 10])
        #expect(try MonitorDirectory.rotatedFiles(of: directory.predictionsURL).map(\.lastPathComponent)
                == ["predictions.json.3", "predictions.json.2"])
    }

    @Test("rotation after a crash that left a gap keeps every record and the order")
    func rotationAcrossGap() throws {
        let directory = try temporaryMonitorDirectory()
        var configuration = MonitorConfiguration()
        configuration.rotation = .init(maxBytes: 5_000, retainedFiles: 3)
        configuration.flush.batchSize = 5
        let clock = ManualMonitorClock(start: testStart)
        var recorded = 0
        do {
            let monitor = try PredictionMonitor(directory: directory, configuration: configuration, clock: clock)
            for _ in 0..<60 {
                try monitor.recordPrediction(prediction: "a", confidence: 0.9, processingTime: 0.1, text: "x")
                recorded += 1
            }
            try monitor.flush()
        }
        let path = directory.predictionsURL.path
        // The crash: .1 was renamed to .2 but the log was not yet renamed to .1.
        #expect(Glibc.unlink(path + ".3") == 0 || errno == ENOENT)
        #expect(Glibc.rename(path + ".2", path + ".3") == 0)
        #expect(Glibc.rename(path + ".1", path + ".2") == 0)
        let present = try ["", ".2", ".3"].map { try lines(of: URL(fileURLWithPath: path + $0)).count }
        let restarted = try PredictionMonitor(directory: directory, configuration: configuration, clock: clock)
        #expect(restarted.totals.predictions == present.reduce(0, +))
        #expect(restarted.totals.predictions > present[0])
    }

    // MARK: The writer lock

    @Test("a second writer gets a typed error naming the holder's pid; readers take no lock; the lock ends with the monitor")
    func writerLock() throws {
        let directory = try temporaryMonitorDirectory()
        let clock = ManualMonitorClock(start: testStart)
        do {
            let first = try PredictionMonitor(directory: directory, clock: clock)
            try first.recordPrediction(prediction: "a", confidence: 0.9, processingTime: 0.1, text: "x")
            try first.flush()
            #expect(throws: MonitorError.lockedByAnotherWriter(path: directory.monitorURL.path, pid: getpid())) {
                try PredictionMonitor(directory: directory, clock: clock)
            }
            // A reader loads while the writer holds the lock.
            #expect(try MonitorLoader().load(directory, now: clock.now()).0.totalPredictions == 1)
            withExtendedLifetime(first) {}
        }
        let second = try PredictionMonitor(directory: directory, clock: clock)
        #expect(second.totals.predictions == 1)
    }
}
