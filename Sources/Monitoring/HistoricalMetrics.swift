extension MonitorState {
    /// A snapshot in the metrics history, kept as it was read from
    /// `metrics.json` (or taken by the live monitor) so that it is reported
    /// as is: the reference's `MonitoringMetrics(**data)` keeps whatever
    /// values the line held.
    ///
    /// ``metrics`` gives it typed; its `Codable` form is the JSON object as read.
    public struct HistoricalMetrics: Sendable, Equatable, Codable {
        /// When the snapshot was taken.
        public var timestamp: LocalTimestamp
        /// The snapshot's object, with the ten `MonitoringMetrics` keys.
        public var json: JSONObject

        /// A snapshot with its object as read.
        public init(timestamp: LocalTimestamp, json: JSONObject) {
            self.timestamp = timestamp
            self.json = json
        }

        /// The live monitor's snapshot.
        public init(_ metrics: MonitoringMetrics) {
            guard case .object(let object) = metrics.jsonValue else { preconditionFailure("metrics encode as an object") }
            self.init(timestamp: metrics.timestamp, json: object)
        }

        /// The snapshot typed, or `nil` when a value in the line does not
        /// have the reference's type (the reference loads such lines too,
        /// and reports them as they are).
        public var metrics: MonitoringMetrics? {
            try? JSONValueDecoder().decode(MonitoringMetrics.self, from: .object(json))
        }

        public func encode(to encoder: any Encoder) throws {
            try JSONValue.object(json).encode(to: encoder)
        }

        /// Decodes a snapshot object; its `timestamp` must be a naive
        /// ISO-8601 date-time.
        public init(from decoder: any Decoder) throws {
            guard case .object(let object) = try JSONValue(from: decoder) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a snapshot is an object"))
            }
            guard let text = object["timestamp"]?.stringValue, let timestamp = LocalTimestamp(isoformat: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "a snapshot needs a naive ISO-8601 'timestamp'"))
            }
            self.init(timestamp: timestamp, json: object)
        }
    }
}
