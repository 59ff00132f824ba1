/// Counts of confidences in the reference's five buckets.
///
/// The edges are the reference's, with strict `<`: `[0, 0.5)` very low,
/// `[0.5, 0.7)` low, `[0.7, 0.8)` medium, `[0.8, 0.9)` high, and everything
/// else very high (including `nan`, for which every comparison is false).
public struct ConfidenceBuckets: Sendable, Equatable {
    public var veryLow = 0
    public var low = 0
    public var medium = 0
    public var high = 0
    public var veryHigh = 0

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
    public init(counting confidences: UnsafeBufferPointer<Double>) {
        // Each value lands below some prefix of the edges; counting "below
        // edge k" for every k and differencing avoids a branch per element.
        var below05 = 0, below07 = 0, below08 = 0, below09 = 0
        for c in confidences {
            below05 &+= c < 0.5 ? 1 : 0
            below07 &+= c < 0.7 ? 1 : 0
            below08 &+= c < 0.8 ? 1 : 0
            below09 &+= c < 0.9 ? 1 : 0
        }
        self.init(veryLow: below05, low: below07 - below05, medium: below08 - below07,
                  high: below09 - below08, veryHigh: confidences.count - below09)
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
public enum ThresholdCounts {
    /// How many values are strictly below `threshold` (`nan` never is).
    ///
    /// - Parameters:
    ///   - values: The column.
    ///   - threshold: The strict upper bound.
    /// - Complexity: O(n), one branch-free pass.
    @inlinable
    public static func countBelow(_ values: UnsafeBufferPointer<Double>, _ threshold: Double) -> Int {
        var count = 0
        for x in values { count &+= x < threshold ? 1 : 0 }
        return count
    }

    /// How many values are strictly above `threshold` (`nan` never is).
    ///
    /// - Parameters:
    ///   - values: The column.
    ///   - threshold: The strict lower bound.
    /// - Complexity: O(n), one branch-free pass.
    @inlinable
    public static func countAbove(_ values: UnsafeBufferPointer<Double>, _ threshold: Double) -> Int {
        var count = 0
        for x in values { count &+= x > threshold ? 1 : 0 }
        return count
    }
}
