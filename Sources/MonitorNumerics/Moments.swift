/// Mean, population variance and extrema of a column, with numpy's semantics.
///
/// Every function here sums in numpy's pairwise order (``PairwiseSummation``),
/// so results equal `np.mean`, `np.std`, `np.min` and `np.max` bit for bit.
/// The variance is two-pass (mean first, then squared deviations), which is
/// what keeps a column such as `1e9 + noise` accurate.
public enum Moments {
    /// The arithmetic mean, `np.mean(x)`.
    ///
    /// - Parameter values: The column.
    /// - Returns: `nan` for an empty column, as numpy.
    /// - Complexity: O(n), one pass.
    @inlinable
    public static func mean(_ values: UnsafeBufferPointer<Double>) -> Double {
        PairwiseSummation.sum(values) / Double(values.count)
    }

    /// ``mean(_:)``, with `visitor` shown the column block by block during
    /// the summation's one pass (``PairwiseSummation/sum(_:visitingBlocks:)``).
    ///
    /// - Complexity: O(n), one pass for both.
    @inlinable
    public static func mean<V: PairwiseBlockVisitor>(_ values: UnsafeBufferPointer<Double>, visitingBlocks visitor: inout V) -> Double {
        PairwiseSummation.sum(values, visitingBlocks: &visitor) / Double(values.count)
    }

    /// The population variance, `np.var(x)` (`ddof = 0`).
    ///
    /// - Parameters:
    ///   - values: The column.
    ///   - mean: The column's mean, if already known (it must be ``mean(_:)``
    ///     of the same values for the result to match numpy).
    /// - Complexity: O(n), two passes (one when `mean` is given).
    @inlinable
    public static func populationVariance(_ values: UnsafeBufferPointer<Double>, mean: Double? = nil) -> Double {
        let center = mean ?? self.mean(values)
        return PairwiseSummation.sum(values, SquaredDeviationSummand(center: center)) / Double(values.count)
    }

    /// The population standard deviation, `np.std(x)`.
    ///
    /// - Parameters:
    ///   - values: The column.
    ///   - mean: The column's mean, if already known.
    /// - Complexity: O(n), two passes (one when `mean` is given).
    @inlinable
    public static func populationStandardDeviation(_ values: UnsafeBufferPointer<Double>, mean: Double? = nil) -> Double {
        populationVariance(values, mean: mean).squareRoot()
    }

    /// The smallest and largest element, `(np.min(x), np.max(x))`.
    ///
    /// A `nan` anywhere makes both results `nan`, as in numpy.
    ///
    /// - Parameter values: The column; must not be empty.
    /// - Complexity: O(n), one pass.
    @inlinable
    public static func extrema(_ values: UnsafeBufferPointer<Double>) -> (min: Double, max: Double) {
        precondition(!values.isEmpty, "extrema of an empty column")
        var low = values[0]
        var high = values[0]
        var sawNaN = low.isNaN
        for x in values {
            if x < low { low = x }
            if x > high { high = x }
            if x.isNaN { sawNaN = true }
        }
        return sawNaN ? (.nan, .nan) : (low, high)
    }
}

extension Moments {
    /// Mean, population standard deviation and extrema together, as the
    /// reference's `confidence_stats` and `processing_time_stats` report them.
    ///
    /// Its `Codable` form has the reference's keys: `mean`, `std`, `min`, `max`.
    public struct Summary: Sendable, Hashable, Codable {
        public var mean: Double
        public var standardDeviation: Double
        public var minimum: Double
        public var maximum: Double

        private enum CodingKeys: String, CodingKey {
            case mean, standardDeviation = "std", minimum = "min", maximum = "max"
        }

        @inlinable
        public init(mean: Double, standardDeviation: Double, minimum: Double, maximum: Double) {
            self.mean = mean
            self.standardDeviation = standardDeviation
            self.minimum = minimum
            self.maximum = maximum
        }
    }

    /// The ``Summary`` of a non-empty column.
    ///
    /// - Parameter values: The column; must not be empty.
    /// - Complexity: O(n), three passes.
    @inlinable
    public static func summary(_ values: UnsafeBufferPointer<Double>) -> Summary {
        let m = mean(values)
        let (low, high) = extrema(values)
        return Summary(mean: m, standardDeviation: populationStandardDeviation(values, mean: m),
                       minimum: low, maximum: high)
    }
}
