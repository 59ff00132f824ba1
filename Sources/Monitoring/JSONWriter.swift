/// Serialises ``JSONValue``s as Python's `json.dumps` does by default: `", "`
/// and `": "` separators, non-ASCII escaped as `\uXXXX`, floats in `repr`
/// form, and `NaN`/`Infinity` for non-finite numbers. The reference's log
/// lines are written this way, so DriftLab's are byte-identical.
package enum JSONWriter {
    /// The text of `value` on one line.
    ///
    /// - Parameters:
    ///   - value: The value.
    ///   - pretty: Indent nested containers by two spaces (as
    ///     `json.dumps(indent=2)`) instead of one line.
    /// - Complexity: O(size of the value).
    package static func string(_ value: JSONValue, pretty: Bool = false) -> String {
        var out = ""
        write(value, into: &out, indent: pretty ? 0 : nil)
        return out
    }

    /// Appends the text of `value` to `out`.
    package static func write(_ value: JSONValue, into out: inout String, indent: Int? = nil) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n):
            if let literal = n.integerLiteral { out += literal } else { out += PythonFloatFormat.json(n.value) }
        case .string(let s): writeString(s, into: &out)
        case .array(let elements):
            if elements.isEmpty { out += "[]"; return }
            out += "["
            for (i, element) in elements.enumerated() {
                if i > 0 { out += indent == nil ? ", " : "," }
                newline(&out, indent.map { $0 + 1 })
                write(element, into: &out, indent: indent.map { $0 + 1 })
            }
            newline(&out, indent)
            out += "]"
        case .object(let object):
            if object.count == 0 { out += "{}"; return }
            out += "{"
            for (i, member) in object.members.enumerated() {
                if i > 0 { out += indent == nil ? ", " : "," }
                newline(&out, indent.map { $0 + 1 })
                writeString(member.key, into: &out)
                out += ": "
                write(member.value, into: &out, indent: indent.map { $0 + 1 })
            }
            newline(&out, indent)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, _ indent: Int?) {
        guard let indent else { return }
        out += "\n" + String(repeating: "  ", count: indent)
    }

    private static let hexDigits = Array("0123456789abcdef")

    /// Appends a string literal with Python's `ensure_ascii` escaping.
    package static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                let v = scalar.value
                if v >= 0x20 && v < 0x7F {
                    out.unicodeScalars.append(scalar)
                } else if v < 0x10000 {
                    appendEscape(UInt16(v), into: &out)
                } else {
                    let offset = v - 0x10000
                    appendEscape(UInt16(0xD800 + (offset >> 10)), into: &out)
                    appendEscape(UInt16(0xDC00 + (offset & 0x3FF)), into: &out)
                }
            }
        }
        out += "\""
    }

    private static func appendEscape(_ unit: UInt16, into out: inout String) {
        out += "\\u"
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hexDigits[Int(unit >> UInt16(shift)) & 0xF])
        }
    }
}
