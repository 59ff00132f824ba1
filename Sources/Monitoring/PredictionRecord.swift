/// One prediction as the reference's `PredictionRecord` dataclass holds it,
/// with the same fields and JSON keys.
public struct PredictionRecord: Sendable, Equatable {
    public var timestamp: LocalTimestamp
    public var textHash: String
    public var prediction: String
    public var confidence: Double
    public var processingTime: Double
    public var modelVersion: String
    public var textLength: Int
    public var wordCount: Int
    public var clientID: String?
    public var userAgent: String?
    public var sessionID: String?

    public init(timestamp: LocalTimestamp, textHash: String, prediction: String, confidence: Double,
                processingTime: Double, modelVersion: String = "unknown", textLength: Int, wordCount: Int,
                clientID: String? = nil, userAgent: String? = nil, sessionID: String? = nil) {
        self.timestamp = timestamp
        self.textHash = textHash
        self.prediction = prediction
        self.confidence = confidence
        self.processingTime = processingTime
        self.modelVersion = modelVersion
        self.textLength = textLength
        self.wordCount = wordCount
        self.clientID = clientID
        self.userAgent = userAgent
        self.sessionID = sessionID
    }

    /// The JSON keys of the dataclass, in field order.
    public static let keys = ["timestamp", "text_hash", "prediction", "confidence", "processing_time",
                              "model_version", "text_length", "word_count", "client_id", "user_agent", "session_id"]

    /// The keys without a default in the dataclass: a log line lacking one
    /// is rejected.
    public static let requiredKeys = Set(keys.prefix(8))

    /// The record as `asdict(record)`, in field order.
    public var jsonValue: JSONValue {
        func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
        return .object(JSONObject([
            ("timestamp", .string(timestamp.isoformat)), ("text_hash", .string(textHash)),
            ("prediction", .string(prediction)), ("confidence", .double(confidence)),
            ("processing_time", .double(processingTime)), ("model_version", .string(modelVersion)),
            ("text_length", .int(textLength)), ("word_count", .int(wordCount)),
            ("client_id", optional(clientID)), ("user_agent", optional(userAgent)), ("session_id", optional(sessionID)),
        ]))
    }
}
