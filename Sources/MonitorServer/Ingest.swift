import Monitoring

/// What a `POST /v1/predictions` or `POST /v1/errors` body did:
/// `{"recorded": N, "rejected": [{"line": n, "reason": "…"}]}`.
package struct IngestResult: Sendable, Equatable {
    package struct Rejected: Sendable, Equatable {
        /// The 1-based line of the body.
        package var line: Int
        package var reason: String
    }

    package var recorded = 0
    package var rejected: [Rejected] = []
    /// Lines refused because the monitor's log backlog is full (a failing
    /// disk): the server answers 503 when nothing was recorded.
    package var refusedForBacklog = 0

    package var jsonValue: JSONValue {
        .object(JSONObject([
            ("recorded", .int(recorded)),
            ("rejected", .array(rejected.map { .object(JSONObject([("line", .int($0.line)), ("reason", .string($0.reason))])) })),
        ]))
    }
}

/// Applies request bodies to a monitor, line by line: each line is decoded and
/// checked as a whole before anything of it is recorded, and a bad line is
/// reported without stopping the lines after it.
struct Ingestor: Sendable {
    enum Kind: Sendable { case predictions, errors }

    let monitor: PredictionMonitor
    let metrics: ServerMetrics

    /// Applies a body: JSON lines, or one JSON object that may span lines.
    func ingest(_ body: UnsafeBufferPointer<UInt8>, as kind: Kind) -> IngestResult {
        var result = IngestResult()
        var predictions: [EventLine.Prediction] = []
        if kind == .predictions { predictions.reserveCapacity(body.count / 64) }
        var lineNumber = 0
        var start = 0
        var sawContent = false
        while start < body.count {
            var end = start
            while end < body.count, body[end] != UInt8(ascii: "\n") { end += 1 }
            lineNumber += 1
            var stop = end
            if stop > start, body[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
            let line = UnsafeBufferPointer(rebasing: body[start..<stop])
            start = end + 1
            guard !Self.isBlank(line) else { continue }
            let event: EventLine.Event
            do {
                event = try EventLine.decode(line)
            } catch {
                // The first line of one pretty-printed object is not JSON by
                // itself: try the body as one document.
                if !sawContent, case .invalidJSON = error {
                    do throws(EventLine.Rejection) {
                        return ingest(single: try EventLine.decode(body), as: kind)
                    } catch .invalidJSON {
                        // Not one document either: go on line by line.
                    } catch {
                        var result = IngestResult()
                        result.rejected.append(.init(line: 1, reason: Self.reason(for: error, as: kind)))
                        return result
                    }
                }
                sawContent = true
                result.rejected.append(.init(line: lineNumber, reason: Self.reason(for: error, as: kind)))
                continue
            }
            sawContent = true
            if let reason = apply(event, as: kind, predictions: &predictions) {
                result.rejected.append(.init(line: lineNumber, reason: reason))
                if reason.hasPrefix(Self.backlogPrefix) { result.refusedForBacklog += 1 }
            } else {
                result.recorded += 1
            }
        }
        if !predictions.isEmpty { metrics.recordPredictions(predictions) }
        return result
    }

    /// How a rejection for a full log backlog starts.
    static let backlogPrefix = "not recorded, retry later: "

    private func ingest(single event: EventLine.Event, as kind: Kind) -> IngestResult {
        var predictions: [EventLine.Prediction] = []
        var result = IngestResult()
        if let reason = apply(event, as: kind, predictions: &predictions) {
            result.rejected.append(.init(line: 1, reason: reason))
            if reason.hasPrefix(Self.backlogPrefix) { result.refusedForBacklog += 1 }
        } else {
            result.recorded = 1
        }
        if !predictions.isEmpty { metrics.recordPredictions(predictions) }
        return result
    }

    /// Records one event; returns why it was refused, or `nil`.
    private func apply(_ event: EventLine.Event, as kind: Kind, predictions: inout [EventLine.Prediction]) -> String? {
        switch (event, kind) {
        case (.prediction(let prediction), .predictions):
            do throws(RecordingError) {
                try EventLine.record(prediction, to: monitor)
            } catch .logBacklogFull(let pending, let reason) {
                return Self.backlogPrefix + RecordingError.logBacklogFull(pendingLines: pending, reason: reason).description
            } catch {
                return error.description
            }
            predictions.append(prediction)
            return nil
        case (.error(let report), .errors):
            monitor.recordError(type: report.type, message: report.message, context: report.context)
            metrics.recordError(type: report.type)
            return nil
        case (.error, .predictions):
            return "an error report: POST it to /v1/errors"
        case (.prediction, .errors):
            return "missing \"error_type\" (a string)"
        case (.flush, _):
            return "a command: POST /v1/flush instead"
        }
    }

    /// A decoding failure as the endpoint's client should read it.
    private static func reason(for rejection: EventLine.Rejection, as kind: Kind) -> String {
        if kind == .errors, case .missingField = rejection { return "missing \"error_type\" (a string)" }
        return rejection.description
    }

    private static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in line {
            switch byte {
            case 0x20, 0x09, 0x0D: continue
            default: return false
            }
        }
        return true
    }
}
