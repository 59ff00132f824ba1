import OrderedCollections

// How the result types write the reference's dicts through `Codable`: maps
// whose keys are data (labels, hours) as JSON objects in their order, and
// the results that are absent without traffic as the reference's `{}`.

extension KeyedEncodingContainer {
    /// Encodes `map` as a JSON object with its keys in order.
    mutating func encodeReferenceMap<Value: Encodable>(_ map: OrderedDictionary<String, Value>, forKey key: Key) throws {
        var object = nestedContainer(keyedBy: ReferenceCodingKey.self, forKey: key)
        for (name, value) in map { try object.encode(value, forKey: ReferenceCodingKey(name)) }
    }

    /// Encodes `value`, or the reference's empty dict `{}` when it is `nil`.
    mutating func encodeReferenceOptional<Value: Encodable>(_ value: Value?, forKey key: Key) throws {
        if let value {
            try encode(value, forKey: key)
        } else {
            _ = nestedContainer(keyedBy: ReferenceCodingKey.self, forKey: key)
        }
    }
}

extension KeyedDecodingContainer {
    /// Decodes a JSON object as an ordered map, in the decoder's key order
    /// (the document's through ``ReferenceJSON``; `Foundation.JSONDecoder`
    /// does not keep it).
    func decodeReferenceMap<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> OrderedDictionary<String, Value> {
        let object = try nestedContainer(keyedBy: ReferenceCodingKey.self, forKey: key)
        var map = OrderedDictionary<String, Value>()
        for name in object.allKeys { map[name.stringValue] = try object.decode(type, forKey: name) }
        return map
    }

    /// Decodes `type`, or `nil` for the reference's empty dict `{}`.
    func decodeReferenceOptional<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
        if try nestedContainer(keyedBy: ReferenceCodingKey.self, forKey: key).allKeys.isEmpty { return nil }
        return try decode(type, forKey: key)
    }
}
