/// The reference's JSON text for DriftLab's `Codable` results: what Python's
/// `json.dumps` writes for the same data, byte for byte.
///
/// `Foundation.JSONEncoder` writes the same field names but in its own key
/// order and float spelling; use this when the text must equal the
/// reference's (the monitor's logs, `notebooks analyze`):
///
/// ```swift
/// let text = try ReferenceJSON.string(monitor.currentMetrics())
/// // {"timestamp": "2026-11-29T12:00:00", "total_predictions": 1600, …}
/// ```
public enum ReferenceJSON {
    /// The `json.dumps` text of `value`: `", "` and `": "` separators,
    /// non-ASCII as `\uXXXX`, floats in Python's `repr` form (`NaN` and
    /// `Infinity` for non-finite ones), keys in encoding order.
    ///
    /// - Parameters:
    ///   - value: A result, e.g. ``MonitoringMetrics`` or ``MonitorReport``.
    ///   - pretty: Indent by two spaces, as `json.dumps(indent=2)`.
    /// - Throws: The value's own `EncodingError`.
    /// - Complexity: O(size of the value).
    public static func string(_ value: some Encodable, pretty: Bool = false) throws -> String {
        JSONWriter.string(try JSONValueEncoder().encode(value), pretty: pretty)
    }

    /// Decodes `type` from the reference's JSON text, keeping the order of
    /// its objects (label and hour maps) and reading numbers as Python does.
    ///
    /// - Throws: ``JSONSyntaxError`` when the text is not JSON, `DecodingError`
    ///   when it does not have `type`'s shape.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONValueDecoder().decode(type, from: JSONParser.parse(text))
    }

    /// The tree of a result type whose encoding cannot fail (the result
    /// types encode only numbers, strings and containers).
    package static func tree(_ value: some Encodable) -> JSONValue {
        do {
            return try JSONValueEncoder().encode(value)
        } catch {
            preconditionFailure("\(type(of: value)) cannot fail to encode: \(error)")
        }
    }
}
