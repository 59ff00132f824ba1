import Foundation

/// Loads a monitor directory as the reference's `load_historical_data` does:
/// predictions and metrics snapshots newer than 24 hours before `now`, the
/// last `capacity` of them, skipping (and counting) lines it cannot decode.
/// Rotated copies of a log (`predictions.json.1`, …) are read first, oldest
/// first, so a restart after rotation restores the same day.
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

    /// Loads `directory` as seen at `now`.
    ///
    /// - Parameters:
    ///   - directory: The monitor's files; missing files read as empty.
    ///   - now: The clock reading that sets the 24-hour cut.
    /// - Returns: The state and what was read and skipped.
    /// - Throws: ``MonitorError/unreadableFile(path:reason:)`` when a log
    ///   exists but cannot be read. Undecodable lines never throw.
    /// - Complexity: O(total bytes).
    public func load(_ directory: MonitorDirectory, now: LocalTimestamp) throws(MonitorError) -> (MonitorState, LoadReport) {
        var state = MonitorState(capacity: capacity, metricsHistoryCapacity: metricsHistoryCapacity)
        var report = LoadReport()
        let cutoff = now.microseconds - retention
        let latest = excludesFuture ? now.microseconds : Int64.max
        for url in Self.rotatedFiles(of: directory.predictionsURL) + [directory.predictionsURL] {
            guard let data = try Self.read(url) else { continue }
            report.predictions.add(Self.withBytes(data) { loadPredictions($0, into: &state, after: cutoff, notAfter: latest) })
        }
        for url in Self.rotatedFiles(of: directory.metricsURL) + [directory.metricsURL] {
            guard let data = try Self.read(url) else { continue }
            report.metrics.add(Self.withBytes(data) { loadMetrics($0, into: &state, after: cutoff, notAfter: latest) })
        }
        for url in Self.rotatedFiles(of: directory.alertsURL) + [directory.alertsURL] {
            guard let data = try Self.read(url) else { continue }
            report.alerts.add(Self.withBytes(data) { countErrors($0, into: &state) })
        }
        return (state, report)
    }

    /// Loads prediction lines into `state`.
    public func loadPredictions(_ bytes: UnsafeBufferPointer<UInt8>, into state: inout MonitorState,
                                after cutoff: Int64, notAfter latest: Int64 = .max) -> LoadReport.FileCounts {
        var counts = LoadReport.FileCounts()
        counts.endsWithoutNewline = Self.endsWithoutNewline(bytes)
        for line in LogLines(bytes) where !line.isEmpty {
            counts.lines += 1
            guard let fields = try? PredictionLineDecoder.decode(line) else {
                counts.skipped += 1
                continue
            }
            counts.records += 1
            if fields.timestamp.microseconds <= latest { state.totalPredictions += 1 }
            guard fields.timestamp.microseconds > cutoff, fields.timestamp.microseconds <= latest else {
                counts.expired += 1
                continue
            }
            if state.columns.count == state.columns.capacity { counts.evicted += 1 }
            if let label = fields.nonStringLabel, state.labels.code(of: label.identity) == nil {
                state.labelDisplays[UInt32(state.labels.count)] = label
            }
            state.append(timestamp: fields.timestamp, prediction: fields.prediction, confidence: fields.confidence,
                         processingTime: fields.processingTime, modelVersion: fields.modelVersion,
                         textLength: fields.textLength, wordCount: fields.wordCount)
        }
        return counts
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

    /// The rotated copies of a log (`name.1`, `name.2`, …), oldest first.
    static func rotatedFiles(of url: URL) -> [URL] {
        var files: [URL] = []
        var index = 1
        while FileManager.default.fileExists(atPath: "\(url.path).\(index)") {
            files.append(URL(fileURLWithPath: "\(url.path).\(index)"))
            index += 1
        }
        return files.reversed()
    }

    static func endsWithoutNewline(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let last = bytes.last else { return false }
        return last != 0x0A && last != 0x0D
    }

    static func read(_ url: URL) throws(MonitorError) -> Data? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw .unreadableFile(path: url.path, reason: (error as NSError).localizedDescription)
        }
    }

    static func withBytes<R>(_ data: Data, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        data.withUnsafeBytes { raw in body(raw.bindMemory(to: UInt8.self)) }
    }
}
