/// Encodes an `Encodable` value into a ``JSONValue`` tree, keeping the order
/// in which keys were encoded and the difference between integers and floats.
///
/// `Foundation.JSONEncoder` hashes keys (its output order is not the
/// encoding order) and spells floats its own way; this encoder is what lets
/// the Codable result types produce the reference's JSON byte for byte,
/// through ``JSONWriter``. Encoding a key twice keeps its first position and
/// takes the last value, as a Python dict does.
package struct JSONValueEncoder {
    package init() {}

    /// The tree of `value`.
    ///
    /// - Throws: `EncodingError.invalidValue` when `value` encodes nothing.
    package func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let root = JSONValueEncoding.Node()
        try value.encode(to: JSONValueEncoding(node: root, codingPath: []))
        guard let tree = root.value else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(T.self) encoded no value"))
        }
        return tree
    }
}

/// The `Encoder` behind ``JSONValueEncoder``: each container writes into a
/// node of a tree that is turned into a ``JSONValue`` at the end.
struct JSONValueEncoding: Encoder {
    /// A place in the tree: nothing yet, a finished value, an object or an array.
    final class Node {
        enum Content {
            case empty
            case value(JSONValue)
            case object(keys: [String], nodes: [Node])
            case array([Node])
        }
        var content = Content.empty

        var value: JSONValue? {
            switch content {
            case .empty: return nil
            case .value(let value): return value
            case .object(let keys, let nodes):
                return .object(JSONObject(zip(keys, nodes).map { ($0, $1.value ?? .object(JSONObject())) }))
            case .array(let nodes): return .array(nodes.map { $0.value ?? .object(JSONObject()) })
            }
        }

        /// A new child for `key`. A repeated key is resolved when the tree
        /// becomes a ``JSONObject`` (first position, last value, keys
        /// compared by Unicode scalars as Python compares them).
        ///
        /// - Complexity: O(1) amortised.
        func child(forKey key: String) -> Node {
            let node = Node()
            if case .object(var keys, var nodes) = content {
                content = .empty  // keep the arrays uniquely referenced
                keys.append(key)
                nodes.append(node)
                content = .object(keys: keys, nodes: nodes)
            } else {
                content = .object(keys: [key], nodes: [node])
            }
            return node
        }

        func appendChild() -> Node {
            let node = Node()
            if case .array(var nodes) = content {
                content = .empty  // keep the array uniquely referenced
                nodes.append(node)
                content = .array(nodes)
            } else {
                content = .array([node])
            }
            return node
        }

        func makeObject() { if case .object = content {} else { content = .object(keys: [], nodes: []) } }
        func makeArray() { if case .array = content {} else { content = .array([]) } }
    }

    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Sets this place to `value` (``JSONValue``'s own encoding uses it to
    /// keep integer literals of any length).
    func set(_ value: JSONValue) { node.content = .value(value) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(node: node, codingPath: codingPath)
    }

    static func scalar(_ value: some BinaryInteger) -> JSONValue {
        .number(JSONNumber(value: Double(value), integerLiteral: String(value)))
    }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let codingPath: [any CodingKey]

        private func put(_ value: JSONValue, _ key: Key) { node.child(forKey: key.stringValue).content = .value(value) }

        mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
        mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { put(.double(value), key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { put(.double(Double(value)), key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { put(.int(value), key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { put(scalar(value), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { put(scalar(value), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { put(scalar(value), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { put(scalar(value), key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { put(scalar(value), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { put(scalar(value), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { put(scalar(value), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { put(scalar(value), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { put(scalar(value), key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            let child = node.child(forKey: key.stringValue)
            try value.encode(to: JSONValueEncoding(node: child, codingPath: codingPath + [key]))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                            forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            JSONValueEncoding(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            JSONValueEncoding(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            JSONValueEncoding(node: node.child(forKey: "super"), codingPath: codingPath)
        }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            JSONValueEncoding(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
        }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]
        var count: Int {
            if case .array(let nodes) = node.content { return nodes.count }
            return 0
        }

        private func put(_ value: JSONValue) { node.appendChild().content = .value(value) }

        mutating func encodeNil() throws { put(.null) }
        mutating func encode(_ value: Bool) throws { put(.bool(value)) }
        mutating func encode(_ value: String) throws { put(.string(value)) }
        mutating func encode(_ value: Double) throws { put(.double(value)) }
        mutating func encode(_ value: Float) throws { put(.double(Double(value))) }
        mutating func encode(_ value: Int) throws { put(.int(value)) }
        mutating func encode(_ value: Int8) throws { put(scalar(value)) }
        mutating func encode(_ value: Int16) throws { put(scalar(value)) }
        mutating func encode(_ value: Int32) throws { put(scalar(value)) }
        mutating func encode(_ value: Int64) throws { put(scalar(value)) }
        mutating func encode(_ value: UInt) throws { put(scalar(value)) }
        mutating func encode(_ value: UInt8) throws { put(scalar(value)) }
        mutating func encode(_ value: UInt16) throws { put(scalar(value)) }
        mutating func encode(_ value: UInt32) throws { put(scalar(value)) }
        mutating func encode(_ value: UInt64) throws { put(scalar(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            try value.encode(to: JSONValueEncoding(node: node.appendChild(), codingPath: codingPath))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            JSONValueEncoding(node: node.appendChild(), codingPath: codingPath).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            JSONValueEncoding(node: node.appendChild(), codingPath: codingPath).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            JSONValueEncoding(node: node.appendChild(), codingPath: codingPath)
        }
    }

    struct SingleValueContainer: SingleValueEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]

        private func put(_ value: JSONValue) { node.content = .value(value) }

        mutating func encodeNil() throws { put(.null) }
        mutating func encode(_ value: Bool) throws { put(.bool(value)) }
        mutating func encode(_ value: String) throws { put(.string(value)) }
        mutating func encode(_ value: Double) throws { put(.double(value)) }
        mutating func encode(_ value: Float) throws { put(.double(Double(value))) }
        mutating func encode(_ value: Int) throws { put(.int(value)) }
        mutating func encode(_ value: Int8) throws { put(scalar(value)) }
        mutating func encode(_ value: Int16) throws { put(scalar(value)) }
        mutating func encode(_ value: Int32) throws { put(scalar(value)) }
        mutating func encode(_ value: Int64) throws { put(scalar(value)) }
        mutating func encode(_ value: UInt) throws { put(scalar(value)) }
        mutating func encode(_ value: UInt8) throws { put(scalar(value)) }
        mutating func encode(_ value: UInt16) throws { put(scalar(value)) }
        mutating func encode(_ value: UInt32) throws { put(scalar(value)) }
        mutating func encode(_ value: UInt64) throws { put(scalar(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            try value.encode(to: JSONValueEncoding(node: node, codingPath: codingPath))
        }
    }
}

private func scalar(_ value: some BinaryInteger) -> JSONValue { JSONValueEncoding.scalar(value) }
