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
        var confidence: Double?
        var processingTime: Double?
        var modelVersion: String?
        var textLength: Int32 = 0, wordCount: Int32 = 0
        var seen: UInt16 = 0
        var parser = JSONParser(line)
        var unknownKey = false
        do {
            try parser.parseObject { (key, p) throws(JSONSyntaxError) in
                switch key {
                case "timestamp":
                    seen |= 1 << 0
                    let value = try p.parseValue()
                    timestamp = value.stringValue.flatMap(LocalTimestamp.init(isoformat:))
                case "text_hash": seen |= 1 << 1; _ = try p.parseValue()
                case "prediction": seen |= 1 << 2; prediction = try p.parseValue().stringValue
                case "confidence": seen |= 1 << 3; confidence = try p.parseValue().doubleValue
                case "processing_time": seen |= 1 << 4; processingTime = try p.parseValue().doubleValue
                case "model_version":
                    seen |= 1 << 5
                    let value = try p.parseValue()
                    modelVersion = value.stringValue ?? JSONWriter.string(value)
                case "text_length": seen |= 1 << 6; textLength = Self.int32(try p.parseValue())
                case "word_count": seen |= 1 << 7; wordCount = Self.int32(try p.parseValue())
                case "client_id", "user_agent", "session_id": _ = try p.parseValue()
                default:
                    unknownKey = true
                    _ = try p.parseValue()
                }
            }
            try parser.expectEnd()
        } catch {
            throw .invalidJSON
        }
        guard !unknownKey, seen == 0xFF, let timestamp, let prediction, let confidence, let processingTime,
              let modelVersion else { throw .wrongShape }
        return Fields(timestamp: timestamp, prediction: prediction, confidence: confidence,
                      processingTime: processingTime, modelVersion: modelVersion,
                      textLength: textLength, wordCount: wordCount)
    }

    private static func int32(_ value: JSONValue) -> Int32 {
        guard let d = value.doubleValue, d.isFinite, d >= Double(Int32.min), d <= Double(Int32.max) else { return -1 }
        return Int32(d)
    }
}
