/// Formats a `Double` exactly as Python's `repr(float)` (and so `json.dumps`)
/// does: the shortest digits that round-trip, in fixed notation when the
/// decimal exponent is in `-4..<16`, in scientific notation otherwise.
package enum PythonFloatFormat {
    /// Python's `repr(value)`; `nan`, `inf` and `-inf` for the specials.
    ///
    /// - Complexity: O(1).
    package static func repr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return format(value)
    }

    /// `json.dumps(value)`: as ``repr(_:)`` but `NaN`, `Infinity`, `-Infinity`.
    package static func json(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return format(value)
    }

    private static func format(_ value: Double) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(26)
        appendFinite(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the `repr` of a finite value to a byte buffer.
    static func appendFinite(_ value: Double, to out: inout [UInt8]) {
        if value.sign == .minus { out.append(UInt8(ascii: "-")) }
        if value == 0 {
            out.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: "."), UInt8(ascii: "0")])
            return
        }
        // Swift's description prints the shortest round-trip digits; only
        // the layout differs from Python's.
        var description = abs(value).description
        description.withUTF8 { text in
            var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 24 digit bytes
            withUnsafeMutableBytes(of: &digits) { digitBuffer in
                var count = 0
                var pointPosition = 0
                var seenPoint = false
                var exponent = 0
                var index = 0
                while index < text.count {
                    let c = text[index]
                    if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                        var sign = 1
                        index += 1
                        if text[index] == UInt8(ascii: "-") { sign = -1; index += 1 } else if text[index] == UInt8(ascii: "+") { index += 1 }
                        while index < text.count { exponent = exponent * 10 + Int(text[index] - 0x30); index += 1 }
                        exponent *= sign
                        break
                    }
                    if c == UInt8(ascii: ".") {
                        seenPoint = true
                    } else {
                        if count == 0 && c == UInt8(ascii: "0") {
                            if seenPoint { pointPosition -= 1 }  // leading zero after the point
                        } else {
                            digitBuffer[count] = c
                            count += 1
                            if !seenPoint { pointPosition += 1 }
                        }
                    }
                    index += 1
                }
                while count > 1 && digitBuffer[count - 1] == UInt8(ascii: "0") { count -= 1 }
                pointPosition += exponent
                let digitBytes = UnsafeRawBufferPointer(rebasing: digitBuffer[..<count])
                let zero = UInt8(ascii: "0")
                if pointPosition > -4 && pointPosition <= 16 {
                    if pointPosition <= 0 {
                        out.append(zero); out.append(UInt8(ascii: "."))
                        for _ in 0..<(-pointPosition) { out.append(zero) }
                        out.append(contentsOf: digitBytes)
                    } else if pointPosition >= count {
                        out.append(contentsOf: digitBytes)
                        for _ in 0..<(pointPosition - count) { out.append(zero) }
                        out.append(UInt8(ascii: ".")); out.append(zero)
                    } else {
                        out.append(contentsOf: digitBytes[..<pointPosition])
                        out.append(UInt8(ascii: "."))
                        out.append(contentsOf: digitBytes[pointPosition...])
                    }
                } else {
                    out.append(digitBytes[0])
                    if count > 1 {
                        out.append(UInt8(ascii: "."))
                        out.append(contentsOf: digitBytes[1...])
                    }
                    let e = pointPosition - 1
                    out.append(UInt8(ascii: "e"))
                    out.append(e < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
                    let magnitude = abs(e)
                    if magnitude < 10 { out.append(zero) }
                    if magnitude >= 100 { out.append(zero + UInt8(magnitude / 100)) }
                    if magnitude >= 10 { out.append(zero + UInt8(magnitude / 10 % 10)) }
                    out.append(zero + UInt8(magnitude % 10))
                }
            }
        }
    }

    /// The shortest round-trip significant digits of a positive finite value,
    /// and the position of the decimal point: value = 0.DIGITS × 10^point.
    static func shortestDigits(_ value: Double) -> (digits: String, pointPosition: Int) {
        let text = value.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...])!
        }
        var digits = ""
        var pointPosition = 0
        var seenPoint = false
        for ch in mantissa {
            if ch == "." { seenPoint = true; continue }
            digits.append(ch)
            if !seenPoint { pointPosition += 1 }
        }
        // Normalise: strip leading zeros (moving the point) and trailing zeros.
        while digits.first == "0" { digits.removeFirst(); pointPosition -= 1 }
        while digits.last == "0" { digits.removeLast() }
        return (digits, pointPosition + exponent)
    }
}
