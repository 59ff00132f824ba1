extension LocalTimestamp: Codable {
    /// Decodes Python's `datetime.isoformat()` text (any form
    /// `datetime.fromisoformat` accepts, as ``init(isoformat:)-(String)``).
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the text is not a naive
    ///   ISO-8601 date-time.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let timestamp = LocalTimestamp(isoformat: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a naive ISO-8601 date-time")
        }
        self = timestamp
    }

    /// Encodes ``isoformat``, as the reference writes its timestamps.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(isoformat)
    }
}
