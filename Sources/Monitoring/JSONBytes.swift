/// Appends JSON tokens, formatted as Python's `json.dumps` formats them,
/// straight into a byte buffer: the recording hot path's serializer, with no
/// intermediate strings.
enum JSONBytes {
    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A string literal with `ensure_ascii` escaping.
    static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var plain = true
        for byte in s.utf8 where byte < 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            plain = false
            break
        }
        if plain {
            out.append(contentsOf: s.utf8)
        } else {
            for scalar in s.unicodeScalars { appendEscaped(scalar, to: &out) }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        switch scalar {
        case "\"": out.append(contentsOf: [0x5C, 0x22])
        case "\\": out.append(contentsOf: [0x5C, 0x5C])
        case "\n": out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case "\r": out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
        case "\t": out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
        case "\u{08}": out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
        case "\u{0C}": out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
        default:
            let v = scalar.value
            if v >= 0x20 && v < 0x7F {
                out.append(UInt8(v))
            } else if v < 0x10000 {
                appendUnicodeEscape(UInt16(v), to: &out)
            } else {
                let offset = v - 0x10000
                appendUnicodeEscape(UInt16(0xD800 + (offset >> 10)), to: &out)
                appendUnicodeEscape(UInt16(0xDC00 + (offset & 0x3FF)), to: &out)
            }
        }
    }

    private static func appendUnicodeEscape(_ unit: UInt16, to out: inout [UInt8]) {
        out.append(0x5C)
        out.append(UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) { out.append(hexDigits[Int(unit >> UInt16(shift)) & 0xF]) }
    }

    /// An `int`.
    static func appendInt(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[i]) }
        }
    }

    /// A `float` in `repr` form.
    static func appendDouble(_ value: Double, to out: inout [UInt8]) {
        if value.isFinite {
            PythonFloatFormat.appendFinite(value, to: &out)
        } else {
            out.append(contentsOf: PythonFloatFormat.json(value).utf8)
        }
    }

    /// A naive timestamp in `isoformat()` form (without quotes).
    static func appendTimestamp(_ t: LocalTimestamp, to out: inout [UInt8]) {
        let c = t.components
        appendDigits(c.year, width: 4, to: &out); out.append(UInt8(ascii: "-"))
        appendDigits(c.month, width: 2, to: &out); out.append(UInt8(ascii: "-"))
        appendDigits(c.day, width: 2, to: &out); out.append(UInt8(ascii: "T"))
        appendDigits(c.hour, width: 2, to: &out); out.append(UInt8(ascii: ":"))
        appendDigits(c.minute, width: 2, to: &out); out.append(UInt8(ascii: ":"))
        appendSecondsAndFraction(second: c.second, microsecond: c.microsecond, to: &out)
    }

    /// `SS`, then `.ffffff` unless the microseconds are zero (as `isoformat()`).
    static func appendSecondsAndFraction(second: Int, microsecond: Int, to out: inout [UInt8]) {
        appendDigits(second, width: 2, to: &out)
        if microsecond != 0 {
            out.append(UInt8(ascii: "."))
            appendDigits(microsecond, width: 6, to: &out)
        }
    }

    /// A non-negative integer zero-padded to `width` digits.
    static func appendDigits(_ value: Int, width: Int, to out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            out.append(UInt8(truncatingIfNeeded: v / divisor) + 0x30)
            v %= divisor
            divisor /= 10
        }
    }
}
