import Foundation
import MonitorNumerics

/// Loads a monitor directory as the reference's `load_historical_data` does:
/// predictions and metrics snapshots newer than 24 hours before `now`, the
/// last `capacity` of them, skipping (and counting) lines it cannot decode.
/// Rotated copies of a log (`predictions.json.1`, …) are read first, oldest
/// first (every copy present, gaps allowed), so a restart after rotation
/// restores the same day.
///
/// It also restores what the reference forgets on a restart: the number of
/// predictions in the log and the error records in `alerts.json`, so that the
/// error rate survives.
public struct MonitorLoader {
    /// How far back records are loaded (the reference's 24 hours).
    public var retention: Int64 = 24 * LocalTimestamp.microsecondsPerHour
    /// The window capacity.
    public var capacity: Int
    /// The metrics history capacity.
    public var metricsHistoryCapacity: Int
    /// Whether records stamped after `now` are left out (an as-of view of a
    /// log, for looking back into it). The reference keeps them.
    public var excludesFuture = false

    public init(capacity: Int = 10_000, metricsHistoryCapacity: Int = MonitorState.defaultMetricsHistoryCapacity,
                retention: Int64 = 24 * LocalTimestamp.microsecondsPerHour) {
        self.capacity = capacity
        self.metricsHistoryCapacity = metricsHistoryCapacity
        self.retention = retention
    }

    /// Bytes per `read(2)` of a log (internal, for tests of lines that
    /// straddle reads).
    var readChunkSize = 1 << 20
    /// A test hook, called after each `read(2)` of a log that returned data
    /// (sequential reads only).
    var afterRead: (() -> Void)?
    /// The smallest `predictions.json` file decoded on two threads.
    var parallelMinimumBytes = 4 << 20
    /// The size of the pieces decoded in parallel (each ends at a newline).
    var pieceBytes = 4 << 20
    /// Pieces decoded ahead of the merge at most (bounds the memory held in
    /// batches).
    var piecesInFlight = 8

    /// Loads `directory` as seen at `now`.
    ///
    /// Logs are read with `read(2)` into one reused buffer, never mapped: a
    /// log that shrinks during the load (truncated, or rotated with no
    /// retained files) ends its read early instead of crashing the process.
    ///
    /// - Parameters:
    ///   - directory: The monitor's files; missing files (and a missing
    ///     folder) read as empty. Every rotated copy present is read, oldest
    ///     (highest index) first, whatever gaps a crashed rotation left.
    ///   - now: The clock reading that sets the 24-hour cut.
    /// - Returns: The state and what was read and skipped.
    /// - Throws: ``MonitorError/unreadableFile(path:reason:)`` when a log
    ///   exists but cannot be read (a permission, not a regular file), and
    ///   ``MonitorError/unreadableDirectory(path:reason:)`` when the folder
    ///   cannot be listed. Undecodable lines never throw.
    /// - Complexity: O(total bytes); memory O(window + the longest line).
    public func load(_ directory: MonitorDirectory, now: LocalTimestamp) throws(MonitorError) -> (MonitorState, LoadReport) {
        var state = MonitorState(capacity: capacity, metricsHistoryCapacity: metricsHistoryCapacity)
        var report = LoadReport()
        let cutoff = now.microseconds - retention
        let latest = excludesFuture ? now.microseconds : Int64.max
        var reader = LogReader(chunkSize: readChunkSize)
        let batch = PredictionBatch()
        for url in try Self.logFiles(of: directory.predictionsURL) {
            try loadPredictionLog(url.path, into: &state, report: &report.predictions, reader: &reader, batch: batch,
                                  after: cutoff, notAfter: latest)
        }
        report.truncatedByCapacity = Self.truncation(of: state.columns, evicted: report.predictions.evicted, now: now)
        for url in try Self.logFiles(of: directory.metricsURL) {
            _ = try reader.forEachBlock(of: url.path, afterRead: afterRead) { block in
                report.metrics.add(loadMetrics(block, into: &state, after: cutoff, notAfter: latest))
            }
        }
        for url in try Self.logFiles(of: directory.alertsURL) {
            _ = try reader.forEachBlock(of: url.path, afterRead: afterRead) { block in
                report.alerts.add(countErrors(block, into: &state))
            }
        }
        return (state, report)
    }

    /// How the capacity cut a loaded window, or `nil` when nothing was evicted.
    static func truncation(of columns: PredictionColumns, evicted: Int, now: LocalTimestamp) -> LoadReport.CapacityTruncation? {
        guard evicted > 0, !columns.isEmpty else { return nil }
        return LoadReport.CapacityTruncation(
            capacity: columns.capacity, droppedRecords: evicted, requiredCapacity: columns.count + evicted,
            truncatesCurrentWindow: columns[0].timestamp > now.microseconds - MonitorState.currentWindow)
    }

    /// Loads prediction lines into `state`.
    public func loadPredictions(_ bytes: UnsafeBufferPointer<UInt8>, into state: inout MonitorState,
                                after cutoff: Int64, notAfter latest: Int64 = .max) -> LoadReport.FileCounts {
        let batch = PredictionBatch()
        batch.decode(bytes, after: cutoff, notAfter: latest)
        return batch.merge(into: &state)
    }

    /// Loads metrics snapshot lines into `state`: each must be an object with
    /// exactly the ten `MonitoringMetrics` keys and a readable timestamp.
    public func loadMetrics(_ bytes: UnsafeBufferPointer<UInt8>, into state: inout MonitorState,
                            after cutoff: Int64, notAfter latest: Int64 = .max) -> LoadReport.FileCounts {
        var counts = LoadReport.FileCounts()
        counts.endsWithoutNewline = Self.endsWithoutNewline(bytes)
        let expectedKeys = Set(MonitoringMetrics.keys)
        for line in LogLines(bytes) where !line.isEmpty {
            counts.lines += 1
            guard case .object(let object)? = try? JSONParser.parse(line),
                  object.count == expectedKeys.count, Set(object.keys) == expectedKeys,
                  let text = object["timestamp"]?.stringValue,
                  let timestamp = LocalTimestamp(isoformat: text) else {
                counts.skipped += 1
                continue
            }
            counts.records += 1
            guard timestamp.microseconds > cutoff, timestamp.microseconds <= latest else {
                counts.expired += 1
                continue
            }
            if state.retainedMetricsHistory.count == state.metricsHistoryCapacity { counts.evicted += 1 }
            state.appendMetrics(.init(timestamp: timestamp, json: object))
        }
        return counts
    }

    /// Counts the error records in `alerts.json` (the lines `record_error`
    /// writes, recognised by `error_type`); alerts are not otherwise loaded.
    public func countErrors(_ bytes: UnsafeBufferPointer<UInt8>, into state: inout MonitorState) -> LoadReport.FileCounts {
        var counts = LoadReport.FileCounts()
        counts.endsWithoutNewline = Self.endsWithoutNewline(bytes)
        for line in LogLines(bytes) where !line.isEmpty {
            counts.lines += 1
            guard case .object(let object)? = try? JSONParser.parse(line) else {
                counts.skipped += 1
                continue
            }
            counts.records += 1
            if object["error_type"] != nil { state.errorCount += 1 }
        }
        return counts
    }

    /// A log's files in the order they were written: its rotated copies
    /// present, oldest first, then the log itself.
    static func logFiles(of url: URL) throws(MonitorError) -> [URL] {
        try MonitorDirectory.rotatedFiles(of: url) + [url]
    }

    static func endsWithoutNewline(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let last = bytes.last else { return false }
        return last != 0x0A && last != 0x0D
    }
}
