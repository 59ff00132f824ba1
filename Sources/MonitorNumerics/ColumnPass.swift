import CColumnKernels

#if canImport(Glibc)
import Glibc
#endif

/// One pass over a column: numpy's pairwise sum, with threshold counts and
/// the column's range found from the same loads.
///
/// Where the CPU has AVX2 the pass runs a C kernel compiled for it (four
/// doubles a vector: `CColumnKernels`); elsewhere, or with the environment
/// variable `DRIFTLAB_AVX2=0`, it runs the portable Swift code
/// (``PairwiseSummation/sum(_:visitingBlocks:)`` with counting visitors). Both
/// give the same bits (a NaN sum excepted: it is some NaN, see ``Result/sum``):
/// the sum in numpy's order, exact counts, and the exact
/// range of a column without NaN.
package struct ColumnPass: Sendable {
    /// Values strictly below each are counted (at most eight).
    package let thresholds: [Double]
    /// Values strictly above it are counted, when set.
    package let aboveThreshold: Double?
    /// Whether to find the smallest and largest value.
    package let findsRange: Bool

    /// What one pass found.
    package struct Result: Equatable, Sendable {
        /// numpy's `np.add.reduce`, to the last bit; a NaN when numpy's is,
        /// but with several NaNs (or a NaN and inf − inf) which one's sign
        /// and payload survive depends on each instruction's operand order,
        /// and may differ between the two paths and from numpy.
        package var sum: Double
        /// One count per threshold, in order.
        package var below: [Int]
        /// The count above ``ColumnPass/aboveThreshold`` (0 when unset).
        package var above: Int
        /// The smallest and largest value, when asked for, the column is not
        /// empty, and its sum is not NaN (a NaN makes the range unreliable;
        /// a sum of infinities of both signs drops it too).
        package var range: ClosedRange<Double>?
    }

    /// - Precondition: At most eight thresholds.
    package init(thresholds: [Double] = [], above aboveThreshold: Double? = nil, findsRange: Bool = false) {
        precondition(thresholds.count <= 8, "at most eight thresholds per pass")
        self.thresholds = thresholds
        self.aboveThreshold = aboveThreshold
        self.findsRange = findsRange
    }

    /// Whether the AVX2 kernels run here: the CPU and operating system have
    /// AVX2, and `DRIFTLAB_AVX2` is not `0`.
    package static let usesAVX2: Bool = {
        if let setting = getenv("DRIFTLAB_AVX2"), String(cString: setting) == "0" { return false }
        return driftlab_column_kernels_available() != 0
    }()

    /// Runs the pass over `values`.
    ///
    /// - Complexity: O(n·(k + 1)) for k thresholds, one pass.
    package func run(_ values: UnsafeBufferPointer<Double>) -> Result {
        Self.usesAVX2 ? runAVX2(values) : runPortable(values)
    }

    /// The AVX2 kernel (only where ``usesAVX2`` holds).
    package func runAVX2(_ values: UnsafeBufferPointer<Double>) -> Result {
        var pass = driftlab_column_pass()
        withUnsafeMutableBytes(of: &pass.thresholds) { slots in
            for (k, threshold) in thresholds.enumerated() { slots.storeBytes(of: threshold, toByteOffset: k * 8, as: Double.self) }
        }
        pass.thresholdCount = Int32(thresholds.count)
        pass.countAbove = aboveThreshold == nil ? 0 : 1
        pass.aboveThreshold = aboveThreshold ?? 0
        pass.findRange = findsRange ? 1 : 0
        var result = driftlab_column_pass_result()
        driftlab_column_pass_avx2(values.baseAddress, Int64(values.count), &pass, &result)
        let below = withUnsafeBytes(of: result.below) { slots in
            (0..<thresholds.count).map { Int(slots.load(fromByteOffset: $0 * 8, as: Int64.self)) }
        }
        let found = result.minimum <= result.maximum ? result.minimum...result.maximum : nil
        return Result(sum: result.sum, below: below, above: Int(result.above), range: range(found, sum: result.sum))
    }

    /// The portable Swift code: the pairwise sum with counting visitors.
    package func runPortable(_ values: UnsafeBufferPointer<Double>) -> Result {
        let below = ThresholdCounts.BelowCounter(thresholds: thresholds)
        let above = ThresholdCounts.AboveCounter(threshold: aboveThreshold ?? 0)
        switch (aboveThreshold != nil, findsRange) {
        case (false, false):
            var visitor = below
            let sum = PairwiseSummation.sum(values, visitingBlocks: &visitor)
            return Result(sum: sum, below: visitor.counts, above: 0, range: nil)
        case (true, false):
            var visitor = VisitorPair(below, above)
            let sum = PairwiseSummation.sum(values, visitingBlocks: &visitor)
            return Result(sum: sum, below: visitor.first.counts, above: visitor.second.count, range: nil)
        case (false, true):
            var visitor = VisitorPair(below, ColumnRange())
            let sum = PairwiseSummation.sum(values, visitingBlocks: &visitor)
            return Result(sum: sum, below: visitor.first.counts, above: 0, range: range(visitor.second.range, sum: sum))
        case (true, true):
            var visitor = VisitorPair(below, VisitorPair(above, ColumnRange()))
            let sum = PairwiseSummation.sum(values, visitingBlocks: &visitor)
            return Result(sum: sum, below: visitor.first.counts, above: visitor.second.first.count,
                          range: range(visitor.second.second.range, sum: sum))
        }
    }

    /// The range found, when asked for and the sum says no NaN made it
    /// unreliable (`nil` for an empty column: nothing was found).
    private func range(_ found: ClosedRange<Double>?, sum: Double) -> ClosedRange<Double>? {
        findsRange && !sum.isNaN ? found : nil
    }
}
