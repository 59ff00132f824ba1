/// A prediction label that is not a string, as the reference keeps it: the
/// reference never checks the type, so `"prediction": 1` or `true` or `null`
/// load, and become keys of its label dict.
///
/// Python dict keys that compare equal are one key (`1`, `1.0` and `True`
/// are the same), and the dict keeps the first key object it saw: so the
/// identity here is the numeric value, and the displays are those of the
/// first appearance (``MonitorState`` keeps them).
package struct PythonLabel: Sendable, Equatable {
    /// The identity used to dictionary-encode the label. It starts with
    /// U+FFFF, a noncharacter, so it cannot meet a real string label.
    package var identity: String
    /// How `json.dumps` writes the key: `1`, `1.5`, `true`, `null`.
    package var jsonKey: String
    /// How Python's `str()` prints it, as in the skew indicator: `1`, `1.5`, `True`, `None`.
    package var pythonString: String

    static let marker = "\u{FFFF}"

    /// The label of a non-string JSON scalar; `nil` for strings and
    /// containers (unhashable: the reference fails on them).
    ///
    /// `NaN` is one label: `json.loads` returns the same float object for
    /// every `NaN` literal, so although NaN ≠ NaN the reference's dict finds
    /// it by identity and counts all of them under one key, which `json.dumps`
    /// writes `"NaN"` and `str()` prints `nan`.
    package init?(_ value: JSONValue) {
        switch value {
        case .null:
            (identity, jsonKey, pythonString) = (Self.marker + "None", "null", "None")
        case .bool(let b):
            (identity, jsonKey, pythonString) = (Self.marker + (b ? "1" : "0"), b ? "true" : "false", b ? "True" : "False")
        case .number(let number):
            if let literal = number.integerLiteral {
                let canonical = Self.canonicalInteger(literal)
                (identity, jsonKey, pythonString) = (Self.marker + canonical, canonical, canonical)
            } else {
                let v = number.value
                if v.isNaN {
                    (identity, jsonKey, pythonString) = (Self.marker + "nan", "NaN", "nan")
                    return
                }
                let key = v.rounded() == v && abs(v) < 9.007199254740992e15 ? String(Int64(v)) : PythonFloatFormat.repr(v)
                (identity, jsonKey, pythonString) = (Self.marker + key, PythonFloatFormat.json(v), PythonFloatFormat.repr(v))
            }
        default:
            return nil
        }
    }

    /// An integer literal as Python's `str(int(literal))` prints it.
    static func canonicalInteger(_ literal: String) -> String {
        var digits = Substring(literal)
        let negative = digits.first == "-"
        if negative { digits = digits.dropFirst() }
        while digits.count > 1, digits.first == "0" { digits = digits.dropFirst() }
        return (negative && digits != "0" ? "-" : "") + digits
    }
}
