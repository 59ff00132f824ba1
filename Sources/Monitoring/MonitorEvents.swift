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
    /// - Complexity: O(n log n) for n events.
    public static func events(in directory: MonitorDirectory) throws(MonitorError) -> ([MonitorEvent], LoadReport) {
        var events: [MonitorEvent] = []
        var report = LoadReport()
        var reader = LogReader()
        for url in try logFiles(of: directory.predictionsURL) {
            _ = try reader.forEachBlock(of: url.path) { bytes in
                report.predictions.endsWithoutNewline = endsWithoutNewline(bytes)
                for line in LogLines(bytes) where !line.isEmpty {
                    report.predictions.lines += 1
                    guard let f = try? PredictionLineDecoder.decode(line) else {
                        report.predictions.skipped += 1
                        continue
                    }
                    report.predictions.records += 1
                    events.append(.prediction(PredictionRecord(
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
                    events.append(.error(timestamp: timestamp, type: type,
                                         message: object["error_message"]?.stringValue ?? ""))
                }
            }
        }
        let ordered = events.enumerated().sorted { a, b in
            a.element.timestamp != b.element.timestamp ? a.element.timestamp < b.element.timestamp : a.offset < b.offset
        }.map(\.element)
        return (ordered, report)
    }
}
