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
    /// - Parameters:
    ///   - values: The column.
    ///   - thresholds: At most eight strict upper bounds.
    /// - Returns: One count per threshold, in order.
    /// - Complexity: O(n·k) comparisons in one pass, vectorised.
    @inlinable
    package static func countBelow(_ values: UnsafeBufferPointer<Double>, thresholds: [Double]) -> [Int] {
        var counter = BelowCounter(thresholds: thresholds)
        counter.visit(values)
        return counter.counts
    }

    /// How many values are strictly above `threshold` (`nan` never is).
    ///
    /// - Parameters:
    ///   - values: The column.
    ///   - threshold: The strict lower bound.
    /// - Complexity: O(n), one branch-free pass.
    @inlinable
    package static func countAbove(_ values: UnsafeBufferPointer<Double>, _ threshold: Double) -> Int {
        var counter = AboveCounter(threshold: threshold)
        counter.visit(values)
        return counter.count
    }

}

extension ThresholdCounts {
    /// Counts of values strictly below up to eight thresholds, accumulated
    /// over the blocks it visits (so that the pairwise mean's pass can count
    /// too: ``PairwiseSummation/sum(_:visitingBlocks:)``).
    ///
    /// Every value is compared with every threshold and the lane masks
    /// accumulated, with as many accumulators as thresholds: four-lane
    /// vectors for up to four thresholds, two-lane ones for more, so that
    /// accumulators and thresholds stay in the sixteen vector registers of
    /// baseline x86-64 (eight-lane accumulators for eight thresholds took 32
    /// registers, and their spills made the pass three times slower).
    @usableFromInline
    package struct BelowCounter: PairwiseBlockVisitor {
        /// Unused slots hold −∞.
        @usableFromInline var t: (Double, Double, Double, Double, Double, Double, Double, Double)
        /// Lane counts carried from block to block (negated: a true lane of
        /// a comparison mask is −1): four-lane ones for up to four
        /// thresholds, two-lane ones for more.
        @usableFromInline var wide: (SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>) = (.zero, .zero, .zero, .zero)
        @usableFromInline var narrow: (SIMD2<Int64>, SIMD2<Int64>, SIMD2<Int64>, SIMD2<Int64>,
                                       SIMD2<Int64>, SIMD2<Int64>, SIMD2<Int64>, SIMD2<Int64>)
            = (.zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero)
        /// Counts of the values outside the vector loops.
        @usableFromInline var scalar: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
        @usableFromInline let active: Int

        /// - Precondition: At most eight thresholds.
        @inlinable
        package init(thresholds: [Double]) {
            precondition(thresholds.count <= 8, "at most eight thresholds per pass")
            t = (-.infinity, -.infinity, -.infinity, -.infinity, -.infinity, -.infinity, -.infinity, -.infinity)
            withUnsafeMutableBytes(of: &t) { slots in
                for (k, threshold) in thresholds.enumerated() { slots.storeBytes(of: threshold, toByteOffset: k * 8, as: Double.self) }
            }
            active = thresholds.count
        }

        /// The counts so far, one per threshold, in order.
        @inlinable
        package var counts: [Int] {
            let lanes: [Int64] = active <= 4
                ? [wide.0.wrappedSum(), wide.1.wrappedSum(), wide.2.wrappedSum(), wide.3.wrappedSum(), 0, 0, 0, 0]
                : [narrow.0.wrappedSum(), narrow.1.wrappedSum(), narrow.2.wrappedSum(), narrow.3.wrappedSum(),
                   narrow.4.wrappedSum(), narrow.5.wrappedSum(), narrow.6.wrappedSum(), narrow.7.wrappedSum()]
            return withUnsafeBytes(of: scalar) { slots in
                (0..<active).map { slots.load(fromByteOffset: $0 * 8, as: Int.self) &- Int(lanes[$0]) }
            }
        }

        /// Counts the values of `block`.
        ///
        /// - Complexity: O(n·k), vectorised.
        @inlinable
        package mutating func visit(_ block: UnsafeBufferPointer<Double>) {
            guard let base = block.baseAddress, active > 0 else { return }
            let raw = UnsafeRawPointer(base)
            let n = block.count
            var i = 0
            if active <= 4 {
                let l0 = SIMD4(repeating: t.0), l1 = SIMD4(repeating: t.1), l2 = SIMD4(repeating: t.2), l3 = SIMD4(repeating: t.3)
                var (a0, a1, a2, a3) = wide
                while i &+ 4 <= n {
                    let x = raw.loadUnaligned(fromByteOffset: i &* 8, as: SIMD4<Double>.self)
                    a0 &+= unsafeBitCast(x .< l0, to: SIMD4<Int64>.self)
                    a1 &+= unsafeBitCast(x .< l1, to: SIMD4<Int64>.self)
                    a2 &+= unsafeBitCast(x .< l2, to: SIMD4<Int64>.self)
                    a3 &+= unsafeBitCast(x .< l3, to: SIMD4<Int64>.self)
                    i &+= 4
                }
                wide = (a0, a1, a2, a3)
            } else if active == 5 {
                // Five (the bucket edges and the anomaly score's 0.6): no
                // test of the count inside the loop, two vectors a step.
                let l0 = SIMD2(repeating: t.0), l1 = SIMD2(repeating: t.1), l2 = SIMD2(repeating: t.2), l3 = SIMD2(repeating: t.3)
                let l4 = SIMD2(repeating: t.4)
                var (a0, a1, a2, a3, a4, a5, a6, a7) = narrow
                while i &+ 4 <= n {
                    let x = raw.loadUnaligned(fromByteOffset: i &* 8, as: SIMD2<Double>.self)
                    let y = raw.loadUnaligned(fromByteOffset: (i &+ 2) &* 8, as: SIMD2<Double>.self)
                    a0 &+= unsafeBitCast(x .< l0, to: SIMD2<Int64>.self) &+ unsafeBitCast(y .< l0, to: SIMD2<Int64>.self)
                    a1 &+= unsafeBitCast(x .< l1, to: SIMD2<Int64>.self) &+ unsafeBitCast(y .< l1, to: SIMD2<Int64>.self)
                    a2 &+= unsafeBitCast(x .< l2, to: SIMD2<Int64>.self) &+ unsafeBitCast(y .< l2, to: SIMD2<Int64>.self)
                    a3 &+= unsafeBitCast(x .< l3, to: SIMD2<Int64>.self) &+ unsafeBitCast(y .< l3, to: SIMD2<Int64>.self)
                    a4 &+= unsafeBitCast(x .< l4, to: SIMD2<Int64>.self) &+ unsafeBitCast(y .< l4, to: SIMD2<Int64>.self)
                    i &+= 4
                }
                narrow = (a0, a1, a2, a3, a4, a5, a6, a7)
            } else {
                let l0 = SIMD2(repeating: t.0), l1 = SIMD2(repeating: t.1), l2 = SIMD2(repeating: t.2), l3 = SIMD2(repeating: t.3)
                let l4 = SIMD2(repeating: t.4), l5 = SIMD2(repeating: t.5), l6 = SIMD2(repeating: t.6), l7 = SIMD2(repeating: t.7)
                var (a0, a1, a2, a3, a4, a5, a6, a7) = narrow
                while i &+ 2 <= n {
                    let x = raw.loadUnaligned(fromByteOffset: i &* 8, as: SIMD2<Double>.self)
                    a0 &+= unsafeBitCast(x .< l0, to: SIMD2<Int64>.self)
                    a1 &+= unsafeBitCast(x .< l1, to: SIMD2<Int64>.self)
                    a2 &+= unsafeBitCast(x .< l2, to: SIMD2<Int64>.self)
                    a3 &+= unsafeBitCast(x .< l3, to: SIMD2<Int64>.self)
                    a4 &+= unsafeBitCast(x .< l4, to: SIMD2<Int64>.self)
                    a5 &+= unsafeBitCast(x .< l5, to: SIMD2<Int64>.self)
                    a6 &+= unsafeBitCast(x .< l6, to: SIMD2<Int64>.self)
                    a7 &+= unsafeBitCast(x .< l7, to: SIMD2<Int64>.self)
                    i &+= 2
                }
                narrow = (a0, a1, a2, a3, a4, a5, a6, a7)
            }
            guard i < n else { return }
            let thresholds = t
            withUnsafeMutableBytes(of: &scalar) { slots in
                withUnsafeBytes(of: thresholds) { limits in
                    while i < n {
                        let x = base[i]
                        for k in 0..<active where x < limits.load(fromByteOffset: k * 8, as: Double.self) {
                            slots.storeBytes(of: slots.load(fromByteOffset: k * 8, as: Int.self) &+ 1, toByteOffset: k * 8, as: Int.self)
                        }
                        i &+= 1
                    }
                }
            }
        }
    }

    /// The count of values strictly above one threshold (`nan` never is),
    /// accumulated over the blocks it visits.
    @usableFromInline
    package struct AboveCounter: PairwiseBlockVisitor {
        @usableFromInline let threshold: Double
        /// The count so far.
        @usableFromInline package var count = 0

        @inlinable
        package init(threshold: Double) { self.threshold = threshold }

        /// Counts the values of `block`.
        ///
        /// - Complexity: O(n), one branch-free pass.
        @inlinable
        package mutating func visit(_ block: UnsafeBufferPointer<Double>) {
            guard let base = block.baseAddress else { return }
            let raw = UnsafeRawPointer(base)
            let vectorCount = block.count / 8
            let limit = SIMD8<Double>(repeating: threshold)
            var lanes = SIMD8<Int64>.zero
            var i = 0
            while i < vectorCount {
                let x = raw.loadUnaligned(fromByteOffset: i &* 64, as: SIMD8<Double>.self)
                lanes &-= unsafeBitCast(x .> limit, to: SIMD8<Int64>.self)
                i &+= 1
            }
            var total = Int(lanes.wrappedSum())
            for x in block[(vectorCount * 8)...] where x > threshold { total &+= 1 }
            count &+= total
        }
    }
}
