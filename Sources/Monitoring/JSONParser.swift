import Foundation

/// Why a line is not valid JSON, as Python's `json.loads` would reject it.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The byte offset where the text stopped being JSON.
    public var offset: Int
    /// What was wrong there.
    public var reason: String

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// A strict JSON parser over UTF-8 bytes, with Python's extensions: the
/// literals `NaN`, `Infinity` and `-Infinity` are accepted, control
/// characters inside strings are not, and nesting is bounded.
///
/// Lone surrogate escapes, which Python accepts but a Swift `String` cannot
/// hold, decode to U+FFFD.
package struct JSONParser {
    @usableFromInline internal let bytes: UnsafeBufferPointer<UInt8>
    /// The offset of the next byte to read.
    package var position = 0
    @usableFromInline internal var depth = 0
    /// Python's recursion limit rejects deep nesting; this bound keeps the
    /// parser's own recursion safe.
    package static let maximumDepth = 512

    package init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Parses a whole document: one value with only whitespace around it.
    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes)
        let value = try parser.parseValue()
        try parser.expectEnd()
        return value
    }

    /// Parses a whole document held in a string.
    package static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        var text = text
        let result: Result<JSONValue, JSONSyntaxError> = text.withUTF8 { buffer in
            Result { () throws(JSONSyntaxError) -> JSONValue in try parse(buffer) }
        }
        return try result.get()
    }

    @inlinable
    package var isAtEnd: Bool { position >= bytes.count }

    func fail(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(offset: position, reason: reason) }

    @inlinable
    package mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// Requires that only whitespace remains.
    package mutating func expectEnd() throws(JSONSyntaxError) {
        skipWhitespace()
        guard isAtEnd else { throw fail("extra data") }
    }

    mutating func expect(_ byte: UInt8) throws(JSONSyntaxError) {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else {
            throw fail("expected '\(Character(Unicode.Scalar(byte)))'")
        }
        position += 1
    }

    /// Parses a number, `true`/`false`, or any other value: the numeric fields'
    /// fast path.
    package mutating func parseScalar() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") || isDigit(bytes[position]) {
            return .number(try parseNumber())
        }
        return try parseValue()
    }

    /// Parses any value.
    package mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw fail("expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            var object = JSONObject()
            try parseObject { (key, parser) throws(JSONSyntaxError) in object.set(key, try parser.parseValue()) }
            return .object(object)
        case UInt8(ascii: "["):
            return .array(try parseArray())
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try literal("true"); return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false"); return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null"); return .null
        case UInt8(ascii: "N"):
            try literal("NaN"); return .number(JSONNumber(.nan))
        case UInt8(ascii: "I"):
            try literal("Infinity"); return .number(JSONNumber(.infinity))
        default:
            return .number(try parseNumber())
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw fail("invalid literal") }
        let start = word.utf8Start
        for i in 0..<count where bytes[position + i] != start[i] { throw fail("invalid literal") }
        position += count
    }

    /// Parses an object, calling `member` with each key; `member` must parse
    /// (or skip) exactly one value.
    package mutating func parseObject(
        _ member: (String, inout JSONParser) throws(JSONSyntaxError) -> Void
    ) throws(JSONSyntaxError) {
        try parseObjectTokens { (key, parser) throws(JSONSyntaxError) in try member(key.string, &parser) }
    }

    /// Parses an object, calling `member` with each key as a ``StringToken``
    /// (no allocation for plain keys); `member` must consume one value.
    @inline(__always)
    package mutating func parseObjectTokens(
        _ member: (StringToken, inout JSONParser) throws(JSONSyntaxError) -> Void
    ) throws(JSONSyntaxError) {
        try parseContainer(open: UInt8(ascii: "{"), close: UInt8(ascii: "}")) { (parser) throws(JSONSyntaxError) in
            parser.skipWhitespace()
            guard parser.position < parser.bytes.count, parser.bytes[parser.position] == UInt8(ascii: "\"") else {
                throw parser.fail("expected a key")
            }
            let key = try parser.scanString()
            try parser.expect(UInt8(ascii: ":"))
            try member(key, &parser)
        }
    }

    mutating func parseArray() throws(JSONSyntaxError) -> [JSONValue] {
        var elements: [JSONValue] = []
        try parseContainer(open: UInt8(ascii: "["), close: UInt8(ascii: "]")) { (parser) throws(JSONSyntaxError) in
            elements.append(try parser.parseValue())
        }
        return elements
    }

    /// Parses `open`, comma-separated items read by `item`, and `close`,
    /// bounding the nesting depth.
    @inline(__always)
    mutating func parseContainer(
        open: UInt8, close: UInt8, item: (inout JSONParser) throws(JSONSyntaxError) -> Void
    ) throws(JSONSyntaxError) {
        try expect(open)
        depth += 1
        guard depth <= Self.maximumDepth else { throw fail("nesting too deep") }
        skipWhitespace()
        if position < bytes.count, bytes[position] == close {
            position += 1
            depth -= 1
            return
        }
        while true {
            try item(&self)
            skipWhitespace()
            guard position < bytes.count else { throw fail("unterminated container") }
            let next = bytes[position]
            position += 1
            if next == close { break }
            guard next == UInt8(ascii: ",") else { throw fail("expected ',' or a closing bracket") }
        }
        depth -= 1
    }

    /// Parses a number with Python's grammar
    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`, or `-Infinity`.
    package mutating func parseNumber() throws(JSONSyntaxError) -> JSONNumber {
        skipWhitespace()
        let start = position
        var isInteger = true
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "I") {
                try literal("Infinity")
                return JSONNumber(-.infinity)
            }
        }
        guard position < bytes.count, isDigit(bytes[position]) else { throw fail("expected a value") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "."), isDigit(bytes[position + 1]) {
            isInteger = false
            position += 1
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            var probe = position + 1
            if probe < bytes.count, bytes[probe] == UInt8(ascii: "+") || bytes[probe] == UInt8(ascii: "-") { probe += 1 }
            if probe < bytes.count, isDigit(bytes[probe]) {
                isInteger = false
                position = probe
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
        }
        let literal = UnsafeBufferPointer(rebasing: bytes[start..<position])
        let value = Self.decimalToDouble(literal)
        return JSONNumber(value: value, integerLiteral: isInteger ? String(decoding: literal, as: UTF8.self) : nil)
    }

    @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Correctly rounded decimal-to-binary conversion: Clinger's fast path
    /// when the digits fit 2^53 and the power of ten is at most 22 (one
    /// exact multiplication or division, so correctly rounded), `strtod`
    /// otherwise.
    static func decimalToDouble(_ literal: UnsafeBufferPointer<UInt8>) -> Double {
        var index = 0
        var negative = false
        if index < literal.count, literal[index] == UInt8(ascii: "-") { negative = true; index += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        var fast = true
        while index < literal.count, literal[index] >= 0x30, literal[index] <= 0x39 {
            if digits < 19 { mantissa = mantissa * 10 + UInt64(literal[index] - 0x30) } else { fast = false }
            if mantissa != 0 { digits += 1 }
            index += 1
        }
        if index < literal.count, literal[index] == UInt8(ascii: ".") {
            index += 1
            while index < literal.count, literal[index] >= 0x30, literal[index] <= 0x39 {
                if digits < 19 { mantissa = mantissa * 10 + UInt64(literal[index] - 0x30) } else { fast = false }
                if mantissa != 0 { digits += 1 }
                scale -= 1
                index += 1
            }
        }
        if index < literal.count {  // exponent
            fast = false
        }
        if fast, mantissa <= 1 << 53, (-22...22).contains(scale) {
            var value = Double(mantissa)
            if scale < 0 { value /= exactPowersOfTen[-scale] } else { value *= exactPowersOfTen[scale] }
            return negative ? -value : value
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: literal.count + 1) { buffer in
            for (i, b) in literal.enumerated() { buffer[i] = CChar(bitPattern: b) }
            buffer[literal.count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    /// 10^0 ... 10^22, each exactly representable as a `Double`.
    static let exactPowersOfTen: [Double] = (0...22).map { k in
        var p = 1.0
        for _ in 0..<k { p *= 10 }
        return p
    }

    /// A string token: its raw bytes when it holds no escape and is plain
    /// ASCII (the common case, read without allocating), decoded otherwise.
    package enum StringToken {
        case raw(UnsafeBufferPointer<UInt8>)
        case decoded(String)

        /// The token as a `String`.
        package var string: String {
            switch self {
            case .raw(let bytes): return String(decoding: bytes, as: UTF8.self)
            case .decoded(let text): return text
            }
        }

        /// Whether the token spells exactly `literal`.
        package func equals(_ literal: StaticString) -> Bool {
            switch self {
            case .raw(let bytes):
                guard bytes.count == literal.utf8CodeUnitCount else { return false }
                return memcmp(bytes.baseAddress!, literal.utf8Start, bytes.count) == 0
            case .decoded(let text):
                return text == literal.description
            }
        }
    }

    /// Scans a string, returning its raw bytes when that is exact.
    package mutating func scanString() throws(JSONSyntaxError) -> StringToken {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw fail("expected a string") }
        var probe = position + 1
        // Skip plain ASCII sixteen bytes at a time: no quote, backslash,
        // control character or non-ASCII byte in the chunk.
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let quote = SIMD16<UInt8>(repeating: 0x22), backslash = SIMD16<UInt8>(repeating: 0x5C)
            let space = SIMD16<UInt8>(repeating: 0x20), delete = SIMD16<UInt8>(repeating: 0x80)
            while probe + 16 <= bytes.count {
                let chunk = raw.loadUnaligned(fromByteOffset: probe, as: SIMD16<UInt8>.self)
                let special = (chunk .== quote) .| (chunk .== backslash) .| (chunk .< space) .| (chunk .>= delete)
                if any(special) { break }
                probe += 16
            }
        }
        while probe < bytes.count {
            let b = bytes[probe]
            if b == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(rebasing: bytes[(position + 1)..<probe])
                position = probe + 1
                return .raw(raw)
            }
            if b == UInt8(ascii: "\\") || b < 0x20 || b >= 0x80 { break }
            probe += 1
        }
        return .decoded(try parseString())
    }

    /// Skips one value, validating it as ``parseValue()`` would, without
    /// building it where that can be avoided.
    package mutating func skipValue() throws(JSONSyntaxError) {
        skipWhitespace()
        guard position < bytes.count else { throw fail("expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "\""): _ = try scanString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try parseNumber()
        default: _ = try parseValue()
        }
    }

    /// Parses a string, decoding escapes and validating UTF-8.
    package mutating func parseString() throws(JSONSyntaxError) -> String {
        try expect(UInt8(ascii: "\""))
        let start = position
        // Fast path: no escapes.
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<position])
                position += 1
                guard let text = String(validating: raw, as: UTF8.self) else { throw fail("invalid UTF-8") }
                return text
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw fail("invalid control character in string") }
            position += 1
        }
        var scalars = String.UnicodeScalarView()
        guard let prefix = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self) else {
            throw fail("invalid UTF-8")
        }
        scalars.append(contentsOf: prefix.unicodeScalars)
        while true {
            guard position < bytes.count else { throw fail("unterminated string") }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") { position += 1; break }
            if b < 0x20 { throw fail("invalid control character in string") }
            if b == UInt8(ascii: "\\") {
                position += 1
                guard position < bytes.count else { throw fail("unterminated string") }
                let e = bytes[position]
                position += 1
                switch e {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    let unit = try hex4()
                    if (0xD800..<0xDC00).contains(unit), position + 1 < bytes.count,
                       bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                        let save = position
                        position += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low) {
                            scalars.append(Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!)
                        } else {
                            scalars.append("\u{FFFD}")
                            position = save
                        }
                    } else {
                        scalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
                    }
                default: throw fail("invalid escape")
                }
                continue
            }
            // Copy a run of plain bytes.
            let runStart = position
            while position < bytes.count {
                let c = bytes[position]
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { break }
                position += 1
            }
            guard let run = String(validating: UnsafeBufferPointer(rebasing: bytes[runStart..<position]), as: UTF8.self) else {
                throw fail("invalid UTF-8")
            }
            scalars.append(contentsOf: run.unicodeScalars)
        }
        return String(scalars)
    }

    mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw fail("invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[position]
            let digit: UInt32
            switch b {
            case 0x30...0x39: digit = UInt32(b - 0x30)
            case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
            default: throw fail("invalid \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }
}
