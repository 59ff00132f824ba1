/// Dictionary encoding for a string column: each distinct string gets a dense
/// `UInt32` code, so that columns hold 4-byte codes and histograms index an
/// array instead of hashing strings.
package struct StringDictionary: Sendable {
    @usableFromInline internal var codes: [String: UInt32] = [:]
    @usableFromInline internal var strings: [String] = []
    /// The last string encoded and its code: logs repeat labels, and an
    /// equality test of a short string is cheaper than hashing it.
    @usableFromInline internal var lastString: String?
    @usableFromInline internal var lastCode: UInt32 = 0

    /// Up to this many distinct strings, lookups compare instead of hashing.
    @usableFromInline static let scanLimit = 8

    package init() {}

    /// The number of distinct strings encoded.
    @inlinable package var count: Int { strings.count }

    /// The code of `string`, assigning the next free code to a new string.
    ///
    /// - Complexity: O(1) expected (one hash of the string).
    @inlinable
    package mutating func encode(_ string: String) -> UInt32 {
        if string == lastString { return lastCode }
        let code: UInt32
        if strings.count <= Self.scanLimit, let index = strings.firstIndex(of: string) {
            // A few distinct strings (labels, model versions): comparing
            // short strings is cheaper than hashing one.
            code = UInt32(index)
        } else if let known = codes[string] {
            code = known
        } else {
            code = UInt32(strings.count)
            codes[string] = code
            strings.append(string)
        }
        lastString = string
        lastCode = code
        return code
    }

    /// The code of `string`, if it has one.
    @inlinable
    package func code(of string: String) -> UInt32? { codes[string] }

    /// A dictionary of the strings whose code is marked in `keep`, in their
    /// old code order (so first-appearance order is kept), and the table from
    /// old codes to new ones (`UInt32.max` for a dropped code).
    ///
    /// - Complexity: O(count).
    package func pruned(keeping keep: [Bool]) -> (dictionary: StringDictionary, table: [UInt32]) {
        var pruned = StringDictionary()
        var table = [UInt32](repeating: .max, count: strings.count)
        for (code, string) in strings.enumerated() where code < keep.count && keep[code] {
            table[code] = pruned.encode(string)
        }
        return (pruned, table)
    }

    /// The string behind `code`.
    @inlinable
    package subscript(code: UInt32) -> String { strings[Int(code)] }
}
