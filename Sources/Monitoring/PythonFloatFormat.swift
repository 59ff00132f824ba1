/// Formats a `Double` exactly as Python's `repr(float)` (and so `json.dumps`)
/// does: the shortest digits that round-trip, in fixed notation when the
/// decimal exponent is in `-4..<16`, in scientific notation otherwise.
public enum PythonFloatFormat {
    /// Python's `repr(value)`; `nan`, `inf` and `-inf` for the specials.
    ///
    /// - Complexity: O(1).
    public static func repr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return format(value)
    }

    /// `json.dumps(value)`: as ``repr(_:)`` but `NaN`, `Infinity`, `-Infinity`.
    public static func json(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return format(value)
    }

    private static func format(_ value: Double) -> String {
        let sign = value.sign == .minus ? "-" : ""
        if value == 0 { return sign + "0.0" }
        // Swift's description also prints the shortest round-trip digits;
        // only the layout differs from Python's.
        let (digits, pointPosition) = shortestDigits(abs(value))
        if pointPosition > -4 && pointPosition <= 16 {
            if pointPosition <= 0 {
                return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
            }
            if pointPosition >= digits.count {
                return sign + digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
            }
            let split = digits.index(digits.startIndex, offsetBy: pointPosition)
            return sign + digits[..<split] + "." + digits[split...]
        }
        let exponent = pointPosition - 1
        var mantissa = String(digits.first!)
        if digits.count > 1 { mantissa += "." + digits.dropFirst() }
        let exponentDigits = String(abs(exponent))
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+")
            + (exponentDigits.count < 2 ? "0" : "") + exponentDigits
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
