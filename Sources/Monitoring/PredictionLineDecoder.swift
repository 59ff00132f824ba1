/// Decodes one line of `predictions.json` as `PredictionRecord(**json.loads(line))`
/// would accept it, straight from the bytes.
///
/// The reference rejects (and skips) a line that is not a JSON object, that
/// lacks one of the eight required keys, that has a key the dataclass does not
/// know, or whose timestamp `datetime.fromisoformat` cannot read. DriftLab
/// also rejects lines the reference would accept but then fail on when
/// computing metrics: a non-numeric confidence or processing time, or a
/// non-string label.
struct PredictionLineDecoder {
    struct Fields {
        var timestamp: LocalTimestamp
        var prediction: String
        /// Set when the label is not a string (`prediction` is then its identity).
        var nonStringLabel: PythonLabel?
        var confidence: Double
        var processingTime: Double
        var modelVersion: String
        var textLength: Int32
        var wordCount: Int32
    }

    enum Rejection: Error { case invalidJSON, wrongShape }

    static func decode(_ line: UnsafeBufferPointer<UInt8>) throws(Rejection) -> Fields {
        var timestamp: LocalTimestamp?
        var prediction: String?
        var nonStringLabel: PythonLabel?
        var confidence: Double?
        var processingTime: Double?
        var modelVersion: String?
        var textLength: Int32 = 0, wordCount: Int32 = 0
        var seen: UInt16 = 0
        var parser = JSONParser(line)
        var unknownKey = false
        do {
            try parser.parseObjectTokens { (key, p) throws(JSONSyntaxError) in
                if key.equals("timestamp") {
                    seen |= 1 << 0
                    p.skipWhitespace()
                    let start = p.position
                    if case .raw(let bytes) = try? p.scanString() {
                        timestamp = LocalTimestamp(isoformat: bytes)
                    } else {
                        p.position = start
                        timestamp = try p.parseValue().stringValue.flatMap(LocalTimestamp.init(isoformat:))
                    }
                } else if key.equals("prediction") {
                    seen |= 1 << 2
                    p.skipWhitespace()
                    let start = p.position
                    if case .raw(let bytes) = try? p.scanString() {
                        prediction = String(decoding: bytes, as: UTF8.self)
                    } else {
                        p.position = start
                        let value = try p.parseValue()
                        if let text = value.stringValue {
                            prediction = text
                            nonStringLabel = nil
                        } else {
                            nonStringLabel = PythonLabel(value)
                            prediction = nonStringLabel?.identity
                        }
                    }
                } else if key.equals("confidence") {
                    seen |= 1 << 3; confidence = try p.parseScalar().doubleValue
                } else if key.equals("processing_time") {
                    seen |= 1 << 4; processingTime = try p.parseScalar().doubleValue
                } else if key.equals("text_hash") {
                    seen |= 1 << 1; try p.skipValue()
                } else if key.equals("model_version") {
                    seen |= 1 << 5
                    let value = try p.parseValue()
                    modelVersion = value.stringValue ?? JSONWriter.string(value)
                } else if key.equals("text_length") {
                    seen |= 1 << 6; textLength = Self.int32(try p.parseScalar())
                } else if key.equals("word_count") {
                    seen |= 1 << 7; wordCount = Self.int32(try p.parseScalar())
                } else if key.equals("client_id") || key.equals("user_agent") || key.equals("session_id") {
                    try p.skipValue()
                } else {
                    unknownKey = true
                    try p.skipValue()
                }
            }
            try parser.expectEnd()
        } catch {
            throw .invalidJSON
        }
        guard !unknownKey, seen == 0xFF, let timestamp, let prediction, let confidence, let processingTime,
              let modelVersion else { throw .wrongShape }
        return Fields(timestamp: timestamp, prediction: prediction, nonStringLabel: nonStringLabel, confidence: confidence,
                      processingTime: processingTime, modelVersion: modelVersion,
                      textLength: textLength, wordCount: wordCount)
    }

    private static func int32(_ value: JSONValue) -> Int32 {
        guard let d = value.doubleValue, d.isFinite, d >= Double(Int32.min), d <= Double(Int32.max) else { return -1 }
        return Int32(d)
    }
}
