import Foundation

/// A recorded event of a monitor directory, for replays.
public enum MonitorEvent: Sendable, Equatable {
    case prediction(PredictionRecord)
    case error(timestamp: LocalTimestamp, type: String, message: String)

    public var timestamp: LocalTimestamp {
        switch self {
        case .prediction(let record): return record.timestamp
        case .error(let timestamp, _, _): return timestamp
        }
    }
}

extension MonitorLoader {
    /// Every prediction in `predictions.json` (rotated copies first, read
    /// with `read(2)` as ``MonitorLoader/load(_:now:)`` reads them) and
    /// every error record in `alerts.json`, in timestamp order (ties keep
    /// file order, predictions first). Undecodable lines are skipped and
    /// counted in the report.
    ///
    /// Prediction lines of the reference's shape take the loader's fast path
    /// (``PredictionLineScanner``, labels and model versions made `String`s
    /// once per distinct value); the others the general decoder, which
    /// decides every line the fast path does not accept.
    ///
    /// - Complexity: O(n) when each log is in timestamp order (the two are
    ///   merged), O(n log n) otherwise.
    public static func events(in directory: MonitorDirectory) throws(MonitorError) -> ([MonitorEvent], LoadReport) {
        try events(in: directory, fastPath: true)
    }

    /// ``events(in:)``, with the fast path switched off to test it against
    /// the general decoder.
    static func events(in directory: MonitorDirectory, fastPath: Bool) throws(MonitorError) -> ([MonitorEvent], LoadReport) {
        var predictions: [MonitorEvent] = []
        var errors: [MonitorEvent] = []
        var report = LoadReport()
        var reader = LogReader()
        var strings = EventStrings()
        var dates = PredictionLineScanner.DateCache()
        for url in try logFiles(of: directory.predictionsURL) {
            _ = try reader.forEachBlock(of: url.path) { bytes in
                report.predictions.endsWithoutNewline = endsWithoutNewline(bytes)
                guard let base = bytes.baseAddress else { return }
                let end = base + bytes.count
                var position = base
                while position < end {
                    if fastPath, position.pointee == UInt8(ascii: "{"),
                       let (f, next) = PredictionLineScanner.scanLine(position, end, dates: &dates) {
                        report.predictions.lines += 1
                        report.predictions.records += 1
                        predictions.append(.prediction(PredictionRecord(
                            timestamp: LocalTimestamp(microseconds: f.timestamp), textHash: "",
                            prediction: strings.label(f.label), confidence: f.confidence,
                            processingTime: f.processingTime, modelVersion: strings.modelVersion(f.modelVersion),
                            textLength: Int(f.textLength), wordCount: Int(f.wordCount))))
                        position = next
                        continue
                    }
                    var lines = LogLines.Iterator(bytes: bytes, position: position - base)
                    guard let line = lines.next() else { break }
                    position = base + lines.position
                    if line.isEmpty { continue }
                    report.predictions.lines += 1
                    guard let f = try? PredictionLineDecoder.decode(line) else {
                        report.predictions.skipped += 1
                        continue
                    }
                    report.predictions.records += 1
                    predictions.append(.prediction(PredictionRecord(
                        timestamp: f.timestamp, textHash: "", prediction: f.nonStringLabel?.jsonKey ?? f.prediction,
                        confidence: f.confidence,
                        processingTime: f.processingTime, modelVersion: f.modelVersion,
                        textLength: Int(f.textLength), wordCount: Int(f.wordCount))))
                }
            }
        }
        for url in try logFiles(of: directory.alertsURL) {
            _ = try reader.forEachBlock(of: url.path) { bytes in
                for line in LogLines(bytes) where !line.isEmpty {
                    report.alerts.lines += 1
                    guard case .object(let object)? = try? JSONParser.parse(line) else {
                        report.alerts.skipped += 1
                        continue
                    }
                    report.alerts.records += 1
                    guard let type = object["error_type"]?.stringValue,
                          let timestamp = object["timestamp"]?.stringValue.flatMap(LocalTimestamp.init(isoformat:)) else { continue }
                    errors.append(.error(timestamp: timestamp, type: type,
                                         message: object["error_message"]?.stringValue ?? ""))
                }
            }
        }
        return (ordered(predictions, errors), report)
    }

    /// The events in timestamp order, ties in file order with predictions
    /// first: a merge when each list is in order (the usual case), else a
    /// stable sort of the two concatenated.
    static func ordered(_ predictions: [MonitorEvent], _ errors: [MonitorEvent]) -> [MonitorEvent] {
        func isOrdered(_ events: [MonitorEvent]) -> Bool {
            events.indices.dropFirst().allSatisfy { events[$0 - 1].timestamp <= events[$0].timestamp }
        }
        guard isOrdered(predictions), isOrdered(errors) else {
            return (predictions + errors).enumerated().sorted { a, b in
                a.element.timestamp != b.element.timestamp ? a.element.timestamp < b.element.timestamp : a.offset < b.offset
            }.map(\.element)
        }
        if errors.isEmpty { return predictions }
        var merged: [MonitorEvent] = []
        merged.reserveCapacity(predictions.count + errors.count)
        var i = 0, j = 0
        while i < predictions.count && j < errors.count {
            // A tie takes the prediction first: it comes first in the concatenation.
            if errors[j].timestamp < predictions[i].timestamp {
                merged.append(errors[j])
                j += 1
            } else {
                merged.append(predictions[i])
                i += 1
            }
        }
        merged += predictions[i...]
        merged += errors[j...]
        return merged
    }
}

/// Labels and model versions read as bytes by the fast path, made `String`s
/// once per distinct value.
private struct EventStrings {
    private var labels = ByteInterner(), modelVersions = ByteInterner()
    private var labelStrings: [String] = [], modelVersionStrings: [String] = []

    mutating func label(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        Self.string(bytes, &labels, &labelStrings)
    }

    mutating func modelVersion(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        Self.string(bytes, &modelVersions, &modelVersionStrings)
    }

    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ interner: inout ByteInterner, _ strings: inout [String]) -> String {
        let id = Int(interner.id(of: bytes))
        if id == strings.count { strings.append(String(decoding: bytes, as: UTF8.self)) }
        return strings[id]
    }
}
