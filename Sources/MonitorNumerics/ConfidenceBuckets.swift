/// Counts of confidences in the reference's five buckets.
///
/// The edges are the reference's, with strict `<`: `[0, 0.5)` very low,
/// `[0.5, 0.7)` low, `[0.7, 0.8)` medium, `[0.8, 0.9)` high, and everything
/// else very high (including `nan`, for which every comparison is false).
///
/// Its `Codable` form is the reference's `distribution` object,
/// `{"very_low": …, "low": …, "medium": …, "high": …, "very_high": …}`.
public struct ConfidenceBuckets: Sendable, Hashable, Codable {
    public var veryLow = 0
    public var low = 0
    public var medium = 0
    public var high = 0
    public var veryHigh = 0

    private enum CodingKeys: String, CodingKey {
        case veryLow = "very_low", low, medium, high, veryHigh = "very_high"
    }

    /// The reference's bucket edges, from `very_low` up.
    public static let upperEdges: (veryLow: Double, low: Double, medium: Double, high: Double) = (0.5, 0.7, 0.8, 0.9)

    /// The bucket names as the reference's JSON spells them, in its order.
    public static let keys = ["very_low", "low", "medium", "high", "very_high"]

    @inlinable
    public init(veryLow: Int = 0, low: Int = 0, medium: Int = 0, high: Int = 0, veryHigh: Int = 0) {
        self.veryLow = veryLow
        self.low = low
        self.medium = medium
        self.high = high
        self.veryHigh = veryHigh
    }

    /// Buckets a column of confidences.
    ///
    /// - Parameter confidences: The column.
    /// - Complexity: O(n), one branch-free pass.
    @inlinable
    package init(counting confidences: UnsafeBufferPointer<Double>) {
        let below = ThresholdCounts.countBelow(confidences, thresholds: [0.5, 0.7, 0.8, 0.9])
        self.init(belowEdges: below, total: confidences.count)
    }

    /// Buckets from the counts below each edge (0.5, 0.7, 0.8, 0.9): each
    /// value lands below some prefix of the edges, so differences give the
    /// buckets.
    @inlinable
    package init(belowEdges below: [Int], total: Int) {
        self.init(veryLow: below[0], low: below[1] - below[0], medium: below[2] - below[1],
                  high: below[3] - below[2], veryHigh: total - below[3])
    }

    /// The counts in the reference's key order.
    public var counts: [Int] { [veryLow, low, medium, high, veryHigh] }

    /// The total number of values bucketed.
    public var total: Int { veryLow + low + medium + high + veryHigh }

    /// Merges the counts of another part of the same column.
    public static func + (lhs: ConfidenceBuckets, rhs: ConfidenceBuckets) -> ConfidenceBuckets {
        ConfidenceBuckets(veryLow: lhs.veryLow + rhs.veryLow, low: lhs.low + rhs.low,
                          medium: lhs.medium + rhs.medium, high: lhs.high + rhs.high,
                          veryHigh: lhs.veryHigh + rhs.veryHigh)
    }
}

/// Threshold counts behind the reference's ratios and indicators.
@usableFromInline
package enum ThresholdCounts {
    /// How many values are strictly below `threshold` (`nan` never is).
    ///
    /// - Parameters:
    ///   - values: The column.
    ///   - threshold: The strict upper bound.
    /// - Complexity: O(n), one branch-free pass.
    @inlinable
    package static func countBelow(_ values: UnsafeBufferPointer<Double>, _ threshold: Double) -> Int {
        countBelow(values, thresholds: [threshold])[0]
    }

    /// How many values are strictly below each threshold, in one pass.
    ///
    /// Eight values at a time are compared with every threshold and the
    /// lane masks accumulated, so the pass runs at memory speed for a handful
    /// of thresholds.
    ///
    /// - Parameters:
    ///   - values: The column.
    ///   - thresholds: At most eight strict upper bounds.
    /// - Returns: One count per threshold, in order.
    /// - Complexity: O(n·k) comparisons in one pass, vectorised.
    @inlinable
    package static func countBelow(_ values: UnsafeBufferPointer<Double>, thresholds: [Double]) -> [Int] {
        precondition(thresholds.count <= 8, "at most eight thresholds per pass")
        guard !thresholds.isEmpty else { return [] }
        // Up to eight thresholds in registers; unused slots compare with −∞.
        let t = thresholds + [Double](repeating: -.infinity, count: 8 - thresholds.count)
        var counts = [Int](repeating: 0, count: 8)
        guard let base = values.baseAddress else { return Array(counts.prefix(thresholds.count)) }
        let raw = UnsafeRawPointer(base)
        let vectorCount = values.count / 8
        let l0 = SIMD8(repeating: t[0]), l1 = SIMD8(repeating: t[1]), l2 = SIMD8(repeating: t[2]), l3 = SIMD8(repeating: t[3])
        let l4 = SIMD8(repeating: t[4]), l5 = SIMD8(repeating: t[5]), l6 = SIMD8(repeating: t[6]), l7 = SIMD8(repeating: t[7])
        var a0 = SIMD8<Int64>.zero, a1 = SIMD8<Int64>.zero, a2 = SIMD8<Int64>.zero, a3 = SIMD8<Int64>.zero
        var a4 = SIMD8<Int64>.zero, a5 = SIMD8<Int64>.zero, a6 = SIMD8<Int64>.zero, a7 = SIMD8<Int64>.zero
        let active = thresholds.count
        var i = 0
        while i < vectorCount {
            let x = raw.loadUnaligned(fromByteOffset: i &* 64, as: SIMD8<Double>.self)
            // A true lane of a comparison mask is all ones, −1 as an integer.
            a0 &-= unsafeBitCast(x .< l0, to: SIMD8<Int64>.self)
            a1 &-= unsafeBitCast(x .< l1, to: SIMD8<Int64>.self)
            a2 &-= unsafeBitCast(x .< l2, to: SIMD8<Int64>.self)
            a3 &-= unsafeBitCast(x .< l3, to: SIMD8<Int64>.self)
            if active > 4 {
                a4 &-= unsafeBitCast(x .< l4, to: SIMD8<Int64>.self)
                if active > 5 {
                    a5 &-= unsafeBitCast(x .< l5, to: SIMD8<Int64>.self)
                    a6 &-= unsafeBitCast(x .< l6, to: SIMD8<Int64>.self)
                    a7 &-= unsafeBitCast(x .< l7, to: SIMD8<Int64>.self)
                }
            }
            i &+= 1
        }
        for (k, lanes) in [a0, a1, a2, a3, a4, a5, a6, a7].enumerated() { counts[k] = Int(lanes.wrappedSum()) }
        for x in values[(vectorCount * 8)...] {
            for k in 0..<active where x < t[k] { counts[k] &+= 1 }
        }
        return Array(counts.prefix(active))
    }

    /// How many values are strictly above `threshold` (`nan` never is).
    ///
    /// - Parameters:
    ///   - values: The column.
    ///   - threshold: The strict lower bound.
    /// - Complexity: O(n), one branch-free pass.
    @inlinable
    package static func countAbove(_ values: UnsafeBufferPointer<Double>, _ threshold: Double) -> Int {
        guard let base = values.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        let vectorCount = values.count / 8
        let limit = SIMD8<Double>(repeating: threshold)
        var lanes = SIMD8<Int64>.zero
        var i = 0
        while i < vectorCount {
            let x = raw.loadUnaligned(fromByteOffset: i &* 64, as: SIMD8<Double>.self)
            lanes &-= unsafeBitCast(x .> limit, to: SIMD8<Int64>.self)
            i &+= 1
        }
        var count = Int(lanes.wrappedSum())
        for x in values[(vectorCount * 8)...] where x > threshold { count &+= 1 }
        return count
    }
}
