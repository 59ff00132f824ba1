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

/// An ordered JSON object.
public struct JSONObject: Sendable, Equatable {
    public private(set) var members: [(key: String, value: JSONValue)] = []

    public init() {}

    public init(_ members: [(String, JSONValue)]) {
        for (key, value) in members { self[key] = value }
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.elementsEqual(rhs.members) { $0.key == $1.key && $0.value == $1.value }
    }

    public var keys: [String] { members.map(\.key) }

    public var count: Int { members.count }

    /// The value of `key`; setting a present key replaces its value in place,
    /// as a Python dict does.
    public subscript(key: String) -> JSONValue? {
        get { members.first { $0.key == key }?.value }
        set {
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append((key, newValue))
            }
        }
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
