/// An unchecked write cursor into a byte buffer, for the recording hot path:
/// JSON tokens formatted as Python's `json.dumps` formats them, written
/// straight into their destination (the log's pending buffer) with no
/// intermediate arrays or strings.
///
/// The cursor does not check capacity: whoever creates it reserves an upper
/// bound of what will be written first (``PredictionLineEncoder`` computes
/// one per line).
struct ByteWriter {
    var cursor: UnsafeMutablePointer<UInt8>

    init(_ cursor: UnsafeMutablePointer<UInt8>) { self.cursor = cursor }

    /// The most bytes ``putString(_:)`` writes for a string of `utf8Count`
    /// UTF-8 bytes: every byte may become a six-byte `\uXXXX` (a four-byte
    /// scalar becomes two of them), plus the quotes.
    @inline(__always)
    static func maxStringCount(utf8Count: Int) -> Int { 6 * utf8Count + 2 }

    /// The most bytes ``putPythonFloat(_:)`` writes (`-2.2250738585072014e-308`).
    static let maxFloatCount = 24

    /// The most bytes ``putInt(_:)`` writes.
    static let maxIntCount = 20

    @inline(__always)
    mutating func put(_ byte: UInt8) {
        cursor.initialize(to: byte)
        cursor += 1
    }

    @inline(__always)
    mutating func put(_ literal: StaticString) {
        let count = literal.utf8CodeUnitCount
        cursor.initialize(from: literal.utf8Start, count: count)
        cursor += count
    }

    @inline(__always)
    mutating func put(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        UnsafeMutableRawPointer(cursor).copyMemory(from: base, byteCount: bytes.count)
        cursor += bytes.count
    }

    // MARK: JSON tokens

    /// A string literal with `ensure_ascii` escaping.
    mutating func putString(_ s: String) {
        put(UInt8(ascii: "\""))
        let start = cursor
        // Plain ASCII without quotes or backslashes (nearly every label) is
        // copied as it is; anything else is escaped scalar by scalar.
        let plain = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            var out = start
            for byte in bytes {
                if byte < 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
                out.initialize(to: byte)
                out += 1
            }
            cursor = out
            return true
        } ?? false
        if !plain {
            cursor = start
            for scalar in s.unicodeScalars { putEscaped(scalar) }
        }
        put(UInt8(ascii: "\""))
    }

    private mutating func putEscaped(_ scalar: Unicode.Scalar) {
        switch scalar {
        case "\"": put(0x5C); put(0x22)
        case "\\": put(0x5C); put(0x5C)
        case "\n": put(0x5C); put(UInt8(ascii: "n"))
        case "\r": put(0x5C); put(UInt8(ascii: "r"))
        case "\t": put(0x5C); put(UInt8(ascii: "t"))
        case "\u{08}": put(0x5C); put(UInt8(ascii: "b"))
        case "\u{0C}": put(0x5C); put(UInt8(ascii: "f"))
        default:
            let v = scalar.value
            if v >= 0x20 && v < 0x7F {
                put(UInt8(v))
            } else if v < 0x10000 {
                putUnicodeEscape(UInt16(v))
            } else {
                let offset = v - 0x10000
                putUnicodeEscape(UInt16(0xD800 + (offset >> 10)))
                putUnicodeEscape(UInt16(0xDC00 + (offset & 0x3FF)))
            }
        }
    }

    private mutating func putUnicodeEscape(_ unit: UInt16) {
        put(0x5C)
        put(UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) { put(Self.hexDigit(UInt8(truncatingIfNeeded: unit >> UInt16(shift)) & 0xF)) }
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 &+ nibble : 0x57 &+ nibble }

    /// An `int`.
    mutating func putInt(_ value: Int) {
        if value < 0 { put(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits = 1
        var power: UInt = 10
        while digits < 20 && magnitude >= power {
            digits += 1
            if digits < 20 { power &*= 10 }
        }
        var index = digits
        while index > 0 {
            index -= 1
            cursor[index] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
            magnitude /= 10
        }
        cursor += digits
    }

    /// A non-negative integer zero-padded to `width` digits.
    ///
    /// (Written by index from the cursor: a form that stepped a second
    /// pointer backwards from `cursor + width` was miscompiled at `-O` by
    /// Swift 6.3.1 — zeros instead of digits — while debug builds and tests
    /// passed; `make interop` caught it.)
    @inline(__always)
    mutating func putDigits(_ value: Int, width: Int) {
        var v = value
        var index = width
        while index > 0 {
            index -= 1
            cursor[index] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
            v /= 10
        }
        cursor += width
    }

    /// A finite `float` as Python's `repr` (and so `json.dumps`) writes it:
    /// the shortest digits that round-trip, laid out in fixed notation when
    /// the decimal exponent is in `-4..<16` and in scientific notation
    /// (`1e-05`, `1.5e+16`) otherwise.
    ///
    /// Values whose shortest form has at most 15 significant digits (what
    /// logs mostly hold) and that lie in `1e-8..<1e37` take an exact fast
    /// path with no string (``shortDecimal(_:into:)``); the others take
    /// their digits from Swift's `description`, which prints the same
    /// shortest round-trip digits.
    mutating func putPythonFloat(_ value: Double) {
        if value.sign == .minus { put(UInt8(ascii: "-")) }
        if value == 0 {
            put("0.0")
            return
        }
        var storage: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 24 digits
        withUnsafeMutableBytes(of: &storage) { raw in
            let digits = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var (count, point) = Self.shortDecimal(value.magnitude, into: digits)
            if count == 0 {
                var text = value.magnitude.description
                (count, point) = text.withUTF8 { Self.parseDescription($0, into: digits) }
            }
            putLaidOut(digits: UnsafeRawBufferPointer(start: digits, count: count), point: point)
        }
    }

    /// Exact powers of ten, 10^0 … 10^22.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The shortest round-trip digits of a positive `value` when they number
    /// at most 15, without a string; `count` 0 when the fast path does not apply.
    ///
    /// `m = round(value × 10^k)` is taken with 15 digits. If the decimal
    /// `m × 10^−k` converts back to `value` — checked exactly, since `m <
    /// 2^53` and `10^|k| ≤ 10^22` are both exact doubles, so one division or
    /// multiplication is correctly rounded (Clinger's fast path) — then it is
    /// the only 15-digit decimal that does (15-digit decimals are at least
    /// 10^−15 × value apart, an ulp at most 2.2 × 10^−16 × value), so the
    /// shortest round-trip decimal, padded to 15 digits, is `m`: stripping
    /// `m`'s trailing zeros gives it. If the shortest form needs 16 or 17
    /// digits the check fails, and so does the fast path.
    ///
    /// - Returns: The digit count and the decimal point's position (value =
    ///   0.DIGITS × 10^point).
    @inline(__always)
    static func shortDecimal(_ value: Double, into digits: UnsafeMutablePointer<UInt8>) -> (count: Int, point: Int) {
        guard value >= 1e-8 && value < 1e37 else { return (0, 0) }
        // An estimate of floor(log10(value)), corrected below.
        // floor(log10(2^e)) = (e · 78913) >> 18 for |e| < 1650 (an arithmetic shift floors).
        let exponent2 = Int((value.bitPattern >> 52) & 0x7FF) - 1023  // normal: 1e-8 ≤ value
        var exponent10 = (exponent2 &* 78_913) >> 18
        var m = 0.0
        var k = 0
        for _ in 0..<3 {
            k = 14 - exponent10
            guard k >= -22 && k <= 22 else { return (0, 0) }
            m = (k >= 0 ? value * powersOfTen[k] : value / powersOfTen[-k]).rounded()
            if m >= 1e15 {
                exponent10 += 1
            } else if m < 1e14 {
                exponent10 -= 1
            } else {
                break
            }
        }
        guard m >= 1e14 && m < 1e15 else { return (0, 0) }
        let back = k >= 0 ? m / powersOfTen[k] : m * powersOfTen[-k]
        guard back == value else { return (0, 0) }
        var n = UInt64(m)
        var count = 15
        // Trailing zeros (at most 14) in halving steps, not one division each.
        if n % 100_000_000 == 0 { n /= 100_000_000; count -= 8 }
        if n % 10_000 == 0 { n /= 10_000; count -= 4 }
        if n % 100 == 0 { n /= 100; count -= 2 }
        if n % 10 == 0 { n /= 10; count -= 1 }
        var index = count
        while index > 0 {
            index -= 1
            digits[index] = UInt8(truncatingIfNeeded: n % 10) &+ 0x30
            n /= 10
        }
        return (count, 15 - k)
    }

    /// The significant digits of Swift's `description` of a positive value
    /// ("123.45", "0.00012", "1e-05", "1.5e+16") and where its decimal
    /// point falls (value = 0.DIGITS × 10^point).
    static func parseDescription(_ text: UnsafeBufferPointer<UInt8>, into digit: UnsafeMutablePointer<UInt8>) -> (count: Int, point: Int) {
        var count = 0
        var point = 0
        var seenPoint = false
        var index = 0
        while index < text.count {
            let c = text[index]
            if c == UInt8(ascii: ".") {
                seenPoint = true
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                index += 1
                var negative = false
                if text[index] == UInt8(ascii: "-") { negative = true; index += 1 } else if text[index] == UInt8(ascii: "+") { index += 1 }
                var exponent = 0
                while index < text.count { exponent = exponent * 10 + Int(text[index] &- 0x30); index += 1 }
                point += negative ? -exponent : exponent
                break
            } else if count == 0 && c == UInt8(ascii: "0") {
                if seenPoint { point -= 1 }  // a leading zero after the point
            } else {
                digit[count] = c
                count += 1
                if !seenPoint { point += 1 }
            }
            index += 1
        }
        while count > 1 && digit[count - 1] == UInt8(ascii: "0") { count -= 1 }
        return (count, point)
    }

    /// Python's layout of `0.DIGITS × 10^point`: fixed notation for a
    /// decimal exponent (`point − 1`) in `-4..<16`, scientific otherwise.
    private mutating func putLaidOut(digits: UnsafeRawBufferPointer, point: Int) {
        let count = digits.count
        if point > -4 && point <= 16 {
            if point <= 0 {
                put("0.")
                for _ in 0..<(-point) { put(UInt8(ascii: "0")) }
                put(digits)
            } else if point >= count {
                put(digits)
                for _ in 0..<(point - count) { put(UInt8(ascii: "0")) }
                put(".0")
            } else {
                put(UnsafeRawBufferPointer(rebasing: digits[..<point]))
                put(UInt8(ascii: "."))
                put(UnsafeRawBufferPointer(rebasing: digits[point...]))
            }
        } else {
            put(digits[0])
            if count > 1 {
                put(UInt8(ascii: "."))
                put(UnsafeRawBufferPointer(rebasing: digits[1...]))
            }
            let e = point - 1
            put(UInt8(ascii: "e"))
            put(e < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let magnitude = abs(e)
            putDigits(magnitude, width: magnitude >= 100 ? 3 : 2)
        }
    }

    /// A `float` as `json.dumps` writes it, `NaN` and `Infinity` included.
    mutating func putJSONFloat(_ value: Double) {
        if value.isFinite {
            putPythonFloat(value)
        } else if value.isNaN {
            put("NaN")
        } else {
            put(value < 0 ? "-Infinity" : "Infinity")
        }
    }

    /// `SS`, then `.ffffff` unless the microseconds are zero (as `isoformat()`).
    @inline(__always)
    mutating func putSecondsAndFraction(second: Int, microsecond: Int) {
        putDigits(second, width: 2)
        if microsecond != 0 {
            put(UInt8(ascii: "."))
            putDigits(microsecond, width: 6)
        }
    }

    /// A naive timestamp in `isoformat()` form (without quotes).
    mutating func putTimestamp(_ t: LocalTimestamp) {
        let c = t.components
        putDigits(c.year, width: 4); put(UInt8(ascii: "-"))
        putDigits(c.month, width: 2); put(UInt8(ascii: "-"))
        putDigits(c.day, width: 2); put(UInt8(ascii: "T"))
        putDigits(c.hour, width: 2); put(UInt8(ascii: ":"))
        putDigits(c.minute, width: 2); put(UInt8(ascii: ":"))
        putSecondsAndFraction(second: c.second, microsecond: c.microsecond)
    }
}

/// Writes a `[UInt8]` of at most `maxCount` bytes through a ``ByteWriter``.
func bytes(maxCount: Int, _ body: (inout ByteWriter) -> Void) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: maxCount) { buffer, count in
        var writer = ByteWriter(buffer.baseAddress!)
        body(&writer)
        count = writer.cursor - buffer.baseAddress!
        precondition(count <= maxCount, "wrote past the bound")
    }
}
