import Monitoring

/// Differences between two JSON trees: keys in the same order, the same
/// types (Python int against int, float against float), strings equal,
/// numbers within `relativeTolerance`.
func jsonDifferences(_ expected: JSONValue, _ actual: JSONValue, path: String = "",
                     relativeTolerance: Double = 1e-12, ignoring: Set<String> = []) -> [String] {
    if ignoring.contains(path) { return [] }
    switch (expected, actual) {
    case (.object(let a), .object(let b)):
        guard a.keys == b.keys else { return ["\(path): keys \(a.keys) != \(b.keys)"] }
        return a.members.flatMap { member in
            jsonDifferences(member.value, b[member.key]!, path: path + "/" + member.key,
                            relativeTolerance: relativeTolerance, ignoring: ignoring)
        }
    case (.array(let a), .array(let b)):
        guard a.count == b.count else { return ["\(path): \(a.count) elements != \(b.count)"] }
        return zip(a, b).enumerated().flatMap { i, pair in
            jsonDifferences(pair.0, pair.1, path: path + "/\(i)", relativeTolerance: relativeTolerance, ignoring: ignoring)
        }
    case (.number(let a), .number(let b)):
        guard a.isInteger == b.isInteger else { return ["\(path): int/float mismatch \(a) vs \(b)"] }
        if a.value == b.value || (a.value.isNaN && b.value.isNaN) { return [] }
        let scale = max(abs(a.value), abs(b.value))
        return abs(a.value - b.value) <= relativeTolerance * scale ? [] : ["\(path): \(a.value) != \(b.value)"]
    default:
        return expected == actual ? [] : ["\(path): \(expected) != \(actual)"]
    }
}
