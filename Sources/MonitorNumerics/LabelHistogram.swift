/// Counts of dictionary-encoded labels, in order of first appearance.
///
/// This is the reference's `prediction_distribution`: a Python dict filled in
/// record order, so its keys come in first-appearance order and `max` breaks
/// ties in favour of the label seen first.
public struct LabelHistogram: Sendable, Equatable {
    /// `(code, count)` pairs in order of first appearance.
    public private(set) var entries: [(code: UInt32, count: Int)]

    public static func == (lhs: LabelHistogram, rhs: LabelHistogram) -> Bool {
        lhs.entries.elementsEqual(rhs.entries) { $0.code == $1.code && $0.count == $1.count }
    }

    /// Counts a column of label codes.
    ///
    /// - Parameters:
    ///   - codes: The column of codes, in record order.
    ///   - codeCount: One more than the largest code that may occur.
    /// - Complexity: O(n + codeCount), one pass; a dense count table, no hashing.
    public init(counting codes: UnsafeBufferPointer<UInt32>, codeCount: Int) {
        var counts = [Int](repeating: 0, count: codeCount)
        var order: [UInt32] = []
        counts.withUnsafeMutableBufferPointer { table in
            for code in codes {
                let slot = Int(code)
                if table[slot] == 0 { order.append(code) }
                table[slot] &+= 1
            }
        }
        entries = order.map { ($0, counts[Int($0)]) }
    }

    /// The number of labels counted.
    public var total: Int { entries.reduce(0) { $0 + $1.count } }

    /// The most frequent label, the first seen among equals (Python's
    /// `max(dist, key=dist.get)`), or `nil` when empty.
    public var dominant: (code: UInt32, count: Int)? {
        var best: (code: UInt32, count: Int)?
        for entry in entries where entry.count > (best?.count ?? 0) { best = entry }
        return best
    }
}
