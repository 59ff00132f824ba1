extension JSONValue: Codable {
    /// Encodes the value as it is: objects keep their order, and integer
    /// literals of any length are kept exact when encoded to a ``JSONValue``
    /// tree (through `Foundation.JSONEncoder` an integer beyond `Int64`
    /// becomes a float).
    public func encode(to encoder: any Encoder) throws {
        if let tree = encoder as? JSONValueEncoding {
            tree.set(self)
            return
        }
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let b):
            var container = encoder.singleValueContainer()
            try container.encode(b)
        case .number(let n):
            var container = encoder.singleValueContainer()
            if let literal = n.integerLiteral, let exact = Int64(literal) {
                try container.encode(exact)
            } else {
                try container.encode(n.value)
            }
        case .string(let s):
            var container = encoder.singleValueContainer()
            try container.encode(s)
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try container.encode(element) }
        case .object(let object):
            var container = encoder.container(keyedBy: ReferenceCodingKey.self)
            for (key, value) in object.members { try container.encode(value, forKey: ReferenceCodingKey(key)) }
        }
    }

    /// Decodes any JSON value; objects keep the decoder's key order (the
    /// document's through a ``JSONValue`` tree; `Foundation.JSONDecoder`
    /// does not keep it).
    public init(from decoder: any Decoder) throws {
        if let tree = decoder as? JSONValueDecoding {
            self = tree.value
            return
        }
        if let object = try? decoder.container(keyedBy: ReferenceCodingKey.self) {
            var members: [(String, JSONValue)] = []
            for key in object.allKeys { members.append((key.stringValue, try object.decode(JSONValue.self, forKey: key))) }
            self = .object(JSONObject(members))
        } else if var array = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !array.isAtEnd { elements.append(try array.decode(JSONValue.self)) }
            self = .array(elements)
        } else {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let b = try? container.decode(Bool.self) {
                self = .bool(b)
            } else if let i = try? container.decode(Int.self) {
                self = .int(i)
            } else if let d = try? container.decode(Double.self) {
                self = .double(d)
            } else {
                self = .string(try container.decode(String.self))
            }
        }
    }
}

/// A coding key for the reference's maps, whose keys are data (labels,
/// hours) rather than field names.
package struct ReferenceCodingKey: CodingKey {
    package var stringValue: String
    package var intValue: Int? { nil }
    package init(_ string: String) { stringValue = string }
    package init(stringValue: String) { self.stringValue = stringValue }
    package init?(intValue: Int) { stringValue = String(intValue) }
}
