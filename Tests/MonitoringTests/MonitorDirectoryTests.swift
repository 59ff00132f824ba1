import Foundation
import Testing
import MonitorNumerics
@testable import Monitoring

@Suite("Monitor directories and bad input")
struct MonitorDirectoryTests {
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("driftlab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("a missing directory is a typed error")
    func missingDirectory() {
        #expect(throws: MonitorError.directoryNotFound(path: "/nonexistent/driftlab")) {
            try MonitorDirectory.resolve("/nonexistent/driftlab")
        }
    }

    @Test("a file is not a directory")
    func fileIsNotDirectory() throws {
        let base = try temporaryDirectory()
        let file = base.appendingPathComponent("file.txt")
        try Data("x".utf8).write(to: file)
        #expect(throws: MonitorError.notADirectory(path: file.path)) { try MonitorDirectory.resolve(file.path) }
    }

    @Test("the base directory and the monitor folder resolve alike")
    func baseOrMonitorFolder() throws {
        let base = try temporaryDirectory()
        let monitor = base.appendingPathComponent("monitor")
        try FileManager.default.createDirectory(at: monitor, withIntermediateDirectories: true)
        func normalized(_ url: URL) -> String {
            var path = url.standardizedFileURL.path
            while path.hasSuffix("/") { path.removeLast() }
            return path
        }
        #expect(normalized(try MonitorDirectory.resolve(base.path).monitorURL) == normalized(monitor))
        #expect(normalized(try MonitorDirectory.resolve(monitor.path).monitorURL) == normalized(monitor))
    }

    @Test("an unreadable log is a typed error, not a crash")
    func unreadableLog() throws {
        let base = try temporaryDirectory()
        let monitor = base.appendingPathComponent("monitor")
        // A directory where the log file should be cannot be read as a file.
        try FileManager.default.createDirectory(at: monitor.appendingPathComponent("predictions.json"),
                                                withIntermediateDirectories: true)
        #expect(throws: MonitorError.self) {
            try MonitorLoader().load(MonitorDirectory(monitorURL: monitor), now: LocalTimestamp(microseconds: 0))
        }
    }

    @Test("random bytes never crash a load and every line is accounted for")
    func randomBytes() throws {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<50 {
            let bytes = (0..<2_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var state = MonitorState()
            let counts = bytes.withUnsafeBufferPointer {
                MonitorLoader().loadPredictions($0, into: &state, after: .min)
            }
            #expect(counts.records + counts.skipped == counts.lines)
        }
    }
}

@Suite("Labels that share a spelling")
struct SameSpellingLabelTests {
    /// The reference keeps `"1"` and `1` as two dict keys and writes the key
    /// `"1"` twice; DriftLab keys labels by their JSON spelling, so both are
    /// one key holding both counts (README, compatibility table).
    @Test("a string label and a number of the same spelling are one key")
    func stringAndNumberMerge() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("driftlab-\(UUID().uuidString)")
        let monitor = base.appendingPathComponent("monitor")
        try FileManager.default.createDirectory(at: monitor, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        func line(_ label: String, _ second: Int) -> String {
            #"{"timestamp": "2026-11-29T12:00:\#(String(format: "%02d", second)).000000", "text_hash": "0123456789abcdef", "prediction": \#(label), "confidence": 0.9, "processing_time": 0.1, "model_version": "v1", "text_length": 3, "word_count": 1}"#
        }
        let lines = [line("\"1\"", 1), line("1", 2), line("1", 3), line("\"2\"", 4)]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: monitor.appendingPathComponent("predictions.json"))
        let report = try MonitorReport.analyze(directory: MonitorDirectory.resolve(base.path),
                                               now: LocalTimestamp(isoformat: "2026-11-29T12:01:00")!, hours: 24)
        let distribution = report.currentMetrics.predictionDistribution
        #expect(Array(distribution.keys) == ["1", "2"])
        #expect(distribution["1"] == 3 && distribution["2"] == 1)
        #expect(report.currentMetrics.totalPredictions == 4)
    }
}
