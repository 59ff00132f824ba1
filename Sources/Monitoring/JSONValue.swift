/// A JSON value as Python's `json` module reads it: object keys keep their
/// order (the order of first appearance; a repeated key keeps its place and
/// takes the last value), and numbers keep their literal so integers stay
/// integers.
///
/// Not `indirect`: containers already hold their elements in heap buffers,
/// so scalars are stored inline, without an allocation each.
public enum JSONValue: Sendable, Equatable {
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
    private var index: KeyIndex?

    /// Objects with more members than this get a hash index.
    public static let indexThreshold = 8

    /// An empty object.
    public init() {}

    /// An object from `members` in order; a repeated key keeps its first
    /// position and takes its last value.
    public init(_ members: [(String, JSONValue)]) {
        self.members.reserveCapacity(members.count)
        for (key, value) in members { set(key, value) }
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.elementsEqual(rhs.members) { KeyIndex.equal($0.key, $1.key) && $0.value == $1.value }
    }

    /// The keys in order of first appearance.
    public var keys: [String] { members.map(\.key) }

    /// The number of members.
    public var count: Int { members.count }

    /// The position of `key` in ``members``, or `nil`.
    ///
    /// - Complexity: O(1) on average past ``indexThreshold`` members, O(count) below.
    public func position(of key: String) -> Int? {
        if let index { return index.find(key, hash: KeyIndex.hash(key), in: members) }
        return members.firstIndex { KeyIndex.equal($0.key, key) }
    }

    /// The value of `key`; setting a present key replaces its value in place,
    /// as a Python dict does, and setting `nil` removes it (O(count)).
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { members[$0].value } }
        set {
            if let newValue {
                set(key, newValue)
            } else if let position = position(of: key) {
                members.remove(at: position)
                rebuildIndex()
            }
        }
    }

    /// Sets `key` to `value` as ``subscript(_:)`` does: the parser's path,
    /// one hash of the key once the object is indexed.
    public mutating func set(_ key: String, _ value: JSONValue) {
        if index != nil {
            let hash = KeyIndex.hash(key)
            if let position = index!.find(key, hash: hash, in: members) {
                members[position].value = value
            } else {
                members.append((key, value))
                index!.insert(position: members.count - 1, hash: hash)
            }
        } else if let position = members.firstIndex(where: { KeyIndex.equal($0.key, key) }) {
            members[position].value = value
        } else {
            members.append((key, value))
            if members.count > Self.indexThreshold { rebuildIndex() }  // once: indexed from now on
        }
    }

    private mutating func rebuildIndex() {
        guard members.count > Self.indexThreshold else {
            index = nil
            return
        }
        var built = KeyIndex(minimumCapacity: members.count)
        for (position, member) in members.enumerated() { built.insert(position: position, hash: KeyIndex.hash(member.key)) }
        index = built
    }
}

/// The hash index of a large ``JSONObject``: open addressing with linear
/// probing over member positions, with each member's key hash kept so that
/// growing the table never hashes a key again. Keys are hashed with the
/// standard library's per-process seeded `Hasher` (so crafted keys cannot
/// force collisions) over their UTF-8 bytes, and compared by bytes: by
/// Unicode scalars, as Python compares `str`.
struct KeyIndex: Sendable {
    /// Per slot: the high 32 bits of the key's hash, then member position + 1
    /// (0 is an empty slot), so that a probe reads one word and touches a
    /// member only when the hash tags match. The count is a power of two.
    private var slots: [UInt64]
    /// The key hash of each member, by position (for growing the table).
    private var hashes: [Int]

    init(minimumCapacity: Int) {
        var capacity = 16
        while capacity < minimumCapacity * 2 { capacity *= 2 }
        slots = Array(repeating: 0, count: capacity)
        hashes = []
        hashes.reserveCapacity(minimumCapacity)
    }

    /// The seeded hash of a key's UTF-8 bytes.
    @inline(__always)
    static func hash(_ key: String) -> Int {
        var hasher = Hasher()
        var key = key
        key.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        return hasher.finalize()
    }

    /// Whether two keys have the same Unicode scalars (not Swift's canonical equivalence).
    @inline(__always)
    static func equal(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
    }

    @inline(__always) private static func tag(_ hash: Int) -> UInt64 { UInt64(UInt(bitPattern: hash) >> 32) << 32 }

    /// The position of `key` (whose hash is `hash`) among `members`, or `nil`.
    func find(_ key: String, hash: Int, in members: [(key: String, value: JSONValue)]) -> Int? {
        let mask = slots.count - 1
        let tag = Self.tag(hash)
        var slot = hash & mask
        return slots.withUnsafeBufferPointer { table in
            while true {
                let entry = table[slot]
                if entry == 0 { return nil }
                if entry & 0xFFFF_FFFF_0000_0000 == tag {
                    let position = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                    if Self.equal(members[position].key, key) { return position }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Records the member at `position` (the next one) with key hash `hash`.
    mutating func insert(position: Int, hash: Int) {
        precondition(position == hashes.count && position < Int(UInt32.max), "members are indexed in order")
        hashes.append(hash)
        if hashes.count * 2 > slots.count {
            slots = Array(repeating: 0, count: slots.count * 2)
            for (p, h) in hashes.enumerated() { place(p, h) }
        } else {
            place(position, hash)
        }
    }

    private mutating func place(_ position: Int, _ hash: Int) {
        let mask = slots.count - 1
        var slot = hash & mask
        slots.withUnsafeMutableBufferPointer { table in
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = Self.tag(hash) | UInt64(position + 1)
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
