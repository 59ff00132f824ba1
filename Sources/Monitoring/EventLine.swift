/// One event as a JSON line, the input of `notebooks record` (stdin) and
/// `notebooks serve` (`POST /v1/predictions`, `POST /v1/errors`): one
/// implementation of reading a line and applying it to a monitor.
///
/// - a prediction: `{"prediction": "positive", "confidence": 0.93, "processing_time": 0.2,
///   "text": "…", "model_version": "v1", "client_id": …, "user_agent": …, "session_id": …}`
///   (`text` defaults to `""`, `model_version` to `"unknown"`);
/// - an error: `{"error_type": "timeout", "error_message": "…", "context": {…}}`;
/// - a command: `{"command": "flush"}`.
///
/// A repeated key takes its last value, as Python's `json.loads`. Decoding
/// reads the line's bytes once and allocates only the strings it keeps.
package enum EventLine {
    /// A prediction as it arrives, before the monitor timestamps it.
    package struct Prediction: Sendable, Equatable {
        package var label: String
        package var confidence: Double
        package var processingTime: Double
        package var text: String
        package var modelVersion: String
        package var clientID: String?
        package var userAgent: String?
        package var sessionID: String?

        package init(label: String, confidence: Double, processingTime: Double, text: String = "",
                    modelVersion: String = "unknown", clientID: String? = nil, userAgent: String? = nil,
                    sessionID: String? = nil) {
            self.label = label
            self.confidence = confidence
            self.processingTime = processingTime
            self.text = text
            self.modelVersion = modelVersion
            self.clientID = clientID
            self.userAgent = userAgent
            self.sessionID = sessionID
        }
    }

    /// An error report.
    package struct ErrorReport: Sendable, Equatable {
        package var type: String
        package var message: String
        package var context: JSONObject

        package init(type: String, message: String, context: JSONObject = JSONObject()) {
            self.type = type
            self.message = message
            self.context = context
        }
    }

    /// What a line asks for.
    package enum Event: Sendable, Equatable {
        case prediction(Prediction)
        case error(ErrorReport)
        case flush
    }

    /// Why a line was refused; nothing of it is recorded.
    package enum Rejection: Error, Sendable, Equatable, CustomStringConvertible {
        /// The line is not valid JSON.
        case invalidJSON(JSONSyntaxError)
        /// The line is valid JSON but not an object.
        case notAnObject
        /// A required member is missing or has the wrong type.
        case missingField(name: String, expected: String)
        /// The values are out of range (see ``RecordingError``).
        case invalidValue(RecordingError)

        package var description: String {
            switch self {
            case .invalidJSON(let error): return "not valid JSON (\(error.reason) at byte \(error.offset))"
            case .notAnObject: return "not a JSON object"
            case .missingField(let name, let expected): return "missing \"\(name)\" (\(expected))"
            case .invalidValue(let error): return error.description
            }
        }
    }

    /// Decodes one line (without its line break).
    ///
    /// - Throws: ``Rejection`` for malformed JSON, a non-object or a missing
    ///   or mistyped required field. Values are range-checked when recorded.
    package static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(Rejection) -> Event {
        var label: String?, labelWrongType = false
        var confidence: Double?, processingTime: Double?
        var text: String?, modelVersion: String?, clientID: String?, userAgent: String?, sessionID: String?
        var errorType: String?, errorMessage: String?, context: JSONObject?, command: String?
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        guard !parser.isAtEnd, bytes[parser.position] == UInt8(ascii: "{") else {
            // Valid JSON that is not an object, or not JSON at all.
            var probe = JSONParser(bytes)
            do {
                _ = try probe.parseValue()
                try probe.expectEnd()
            } catch {
                throw .invalidJSON(error)
            }
            throw .notAnObject
        }
        do {
            try parser.parseObjectTokens { (key, p) throws(JSONSyntaxError) in
                if key.equals("prediction") {
                    label = try stringMember(&p)
                    labelWrongType = label == nil
                } else if key.equals("confidence") {
                    confidence = try numberMember(&p)
                } else if key.equals("processing_time") {
                    processingTime = try numberMember(&p)
                } else if key.equals("text") {
                    text = try stringMember(&p)
                } else if key.equals("model_version") {
                    modelVersion = try stringMember(&p)
                } else if key.equals("client_id") {
                    clientID = try stringMember(&p)
                } else if key.equals("user_agent") {
                    userAgent = try stringMember(&p)
                } else if key.equals("session_id") {
                    sessionID = try stringMember(&p)
                } else if key.equals("error_type") {
                    errorType = try stringMember(&p)
                } else if key.equals("error_message") {
                    errorMessage = try stringMember(&p)
                } else if key.equals("context") {
                    if case .object(let object) = try p.parseValue() { context = object } else { context = nil }
                } else if key.equals("command") {
                    command = try stringMember(&p)
                } else {
                    try p.skipValue()
                }
            }
            try parser.expectEnd()
        } catch {
            throw .invalidJSON(error)
        }
        if command == "flush" { return .flush }
        if let errorType {
            return .error(ErrorReport(type: errorType, message: errorMessage ?? "", context: context ?? JSONObject()))
        }
        guard let label, !labelWrongType else { throw .missingField(name: "prediction", expected: "a string") }
        guard let confidence else { throw .missingField(name: "confidence", expected: "a number") }
        guard let processingTime else { throw .missingField(name: "processing_time", expected: "a number") }
        return .prediction(Prediction(label: label, confidence: confidence, processingTime: processingTime,
                                      text: text ?? "", modelVersion: modelVersion ?? "unknown",
                                      clientID: clientID, userAgent: userAgent, sessionID: sessionID))
    }

    /// Decodes one line held in a string.
    package static func decode(_ line: String) throws(Rejection) -> Event {
        var line = line
        let result: Result<Event, Rejection> = line.withUTF8 { bytes in
            Result { () throws(Rejection) -> Event in try decode(bytes) }
        }
        return try result.get()
    }

    /// A string member's value, or `nil` (having consumed the value) when it
    /// is of another type.
    private static func stringMember(_ p: inout JSONParser) throws(JSONSyntaxError) -> String? {
        p.skipWhitespace()
        if !p.isAtEnd, p.bytes[p.position] == UInt8(ascii: "\"") { return try p.scanString().string }
        _ = try p.parseValue()
        return nil
    }

    /// A number member's value, or `nil` (having consumed the value) when it
    /// is of another type (booleans included).
    private static func numberMember(_ p: inout JSONParser) throws(JSONSyntaxError) -> Double? {
        if case .number(let number) = try p.parseScalar() { return number.value }
        return nil
    }

    /// Records a decoded prediction.
    ///
    /// - Throws: ``RecordingError``; nothing is recorded then.
    package static func record(_ prediction: Prediction, to monitor: PredictionMonitor) throws(RecordingError) {
        try monitor.recordPrediction(prediction: prediction.label, confidence: prediction.confidence,
                                     processingTime: prediction.processingTime, text: prediction.text,
                                     modelVersion: prediction.modelVersion, clientID: prediction.clientID,
                                     userAgent: prediction.userAgent, sessionID: prediction.sessionID)
    }

    /// What applying a line did.
    package enum Outcome: Equatable, Sendable {
        case prediction, error, flushed
        case rejected(String)
        /// Refused because writes fail and the log backlog is full.
        case refused(String)
    }

    /// Decodes `line` and applies it to `monitor`: records the prediction or
    /// the error, or flushes.
    package static func apply(_ line: String, to monitor: PredictionMonitor) -> Outcome {
        let event: Event
        do { event = try decode(line) } catch { return .rejected(error.description) }
        switch event {
        case .flush:
            do { try monitor.flush() } catch { return .rejected("flush failed: \(error)") }
            return .flushed
        case .error(let report):
            monitor.recordError(type: report.type, message: report.message, context: report.context)
            return .error
        case .prediction(let prediction):
            do throws(RecordingError) {
                try record(prediction, to: monitor)
            } catch .logBacklogFull(let pending, let reason) {
                return .refused(RecordingError.logBacklogFull(pendingLines: pending, reason: reason).description)
            } catch {
                return .rejected(error.description)
            }
            return .prediction
        }
    }
}
