/// A JSON value as Python's `json` module reads it: object keys keep their
/// order (the order of first appearance; a repeated key keeps its place and
/// takes the last value), and numbers keep their literal so integers stay
/// integers.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The member `key` of an object, or `nil`.
    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number as Python would use it in arithmetic: a number, or a
    /// boolean as 0 or 1.
    public var doubleValue: Double? {
        switch self {
        case .number(let n): return n.value
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }
}

/// A JSON number: its value as a `Double` and whether Python would read it as
/// an `int` (no fraction, no exponent), with the literal for exact output.
public struct JSONNumber: Sendable, Equatable {
    public var value: Double
    /// The literal as written, for integers (which Python keeps exact).
    public var integerLiteral: String?

    public init(_ value: Double) {
        self.value = value
        integerLiteral = nil
    }

    public init(_ value: Int) {
        self.value = Double(value)
        integerLiteral = String(value)
    }

    public init(value: Double, integerLiteral: String?) {
        self.value = value
        self.integerLiteral = integerLiteral
    }

    public var isInteger: Bool { integerLiteral != nil }
}

/// An ordered JSON object with Python `dict` semantics: members keep the
/// order of their key's first appearance, and setting a present key replaces
/// its value in place (so a repeated key in a document keeps the position of
/// its first appearance and takes its last value, as `json.loads` does).
///
/// Keys are equal when their Unicode scalars are, as Python's `str`
/// compares them: `"\u{E9}"` and `"e\u{301}"` are two keys here although
/// Swift's `==` finds them canonically equivalent.
///
/// Objects of up to ``indexThreshold`` members are searched linearly (no
/// hashing, no allocation beyond the members); larger ones keep a hash index
/// from key to position, so building an object of n members and looking a
/// key up are O(n) and O(1) on average.
public struct JSONObject: Sendable, Equatable {
    /// The members in order of first appearance.
    public private(set) var members: [(key: String, value: JSONValue)] = []
    /// Position of each key in `members`, kept once the object has more than
    /// ``indexThreshold`` members.
    private var index: [ScalarKey: Int]?

    /// Objects with more members than this get a hash index.
    public static let indexThreshold = 8

    /// An empty object.
    public init() {}

    /// An object from `members` in order; a repeated key keeps its first
    /// position and takes its last value.
    public init(_ members: [(String, JSONValue)]) {
        self.members.reserveCapacity(members.count)
        for (key, value) in members { self[key] = value }
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.elementsEqual(rhs.members) { ScalarKey.equal($0.key, $1.key) && $0.value == $1.value }
    }

    /// The keys in order of first appearance.
    public var keys: [String] { members.map(\.key) }

    /// The number of members.
    public var count: Int { members.count }

    /// The position of `key` in ``members``, or `nil`.
    ///
    /// - Complexity: O(1) on average past ``indexThreshold`` members, O(count) below.
    public func position(of key: String) -> Int? {
        if let index { return index[ScalarKey(key)] }
        return members.firstIndex { ScalarKey.equal($0.key, key) }
    }

    /// The value of `key`; setting a present key replaces its value in place,
    /// as a Python dict does, and setting `nil` removes it (O(count)).
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { members[$0].value } }
        set {
            guard let newValue else {
                if let position = position(of: key) {
                    members.remove(at: position)
                    rebuildIndex()
                }
                return
            }
            if index != nil {
                set(key, newValue)
            } else if let position = members.firstIndex(where: { ScalarKey.equal($0.key, key) }) {
                members[position].value = newValue
            } else {
                members.append((key, newValue))
                if members.count > Self.indexThreshold { rebuildIndex() }  // once: the object is indexed from now on
            }
        }
    }

    /// Sets `key` to `value` as ``subscript(_:)`` does, with one hash of the
    /// key once the object is indexed (the parser's path).
    public mutating func set(_ key: String, _ value: JSONValue) {
        guard index != nil else {
            self[key] = value
            return
        }
        let next = members.count
        let position = Self.claim(&index![ScalarKey(key), default: next])
        if position == next {
            members.append((key, value))
        } else {
            members[position].value = value
        }
    }

    /// Reads a dictionary slot through `inout`, so that a default is inserted
    /// by the same look-up.
    @inline(__always) private static func claim(_ slot: inout Int) -> Int { slot }

    private mutating func rebuildIndex() {
        guard members.count > Self.indexThreshold else {
            index = nil
            return
        }
        var built = [ScalarKey: Int](minimumCapacity: members.count)
        for (position, member) in members.enumerated() { built[ScalarKey(member.key)] = position }
        index = built
    }
}

/// A string compared and hashed by its UTF-8 bytes (so by its Unicode
/// scalars, as Python compares `str`), not by Swift's canonical equivalence.
struct ScalarKey: Hashable, Sendable {
    let text: String

    init(_ text: String) { self.text = text }

    static func equal(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
    }

    static func == (lhs: ScalarKey, rhs: ScalarKey) -> Bool { equal(lhs.text, rhs.text) }

    func hash(into hasher: inout Hasher) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if done == nil {
            for byte in text.utf8 { hasher.combine(byte) }
        }
        hasher.combine(0xFF as UInt8)  // never a UTF-8 byte: ends the key
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    public init(floatLiteral value: Double) { self = .number(JSONNumber(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    /// A float value (Python `float`).
    public static func double(_ value: Double) -> JSONValue { .number(JSONNumber(value)) }
    /// An integer value (Python `int`).
    public static func int(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }
}
