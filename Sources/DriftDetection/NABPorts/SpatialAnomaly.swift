/// HTM's spatial anomaly, as NAB's `numenta` detector adds it to its scores: a
/// value outside the range seen so far, widened on each side by `tolerance` of
/// that range, is anomalous whatever the model says. Used by
/// ``ContextLikelihoodDetector`` and ``OnlineARTDetector``, which learn their
/// range online instead of taking the file's.
///
/// The first value only opens the range; while the range is a single value
/// nothing is anomalous.
///
/// - Complexity: O(1) per value.
struct SpatialAnomaly: Sendable, Equatable {
    /// The margin, a fraction of the range seen so far.
    let tolerance: Double
    private var seenMin = Double.nan, seenMax = Double.nan

    /// - Precondition: `tolerance ≥ 0`.
    init(tolerance: Double) {
        precondition(tolerance >= 0, "SpatialAnomaly: negative tolerance")
        self.tolerance = tolerance
    }

    /// Whether `value` lies outside the range seen before it, widened by the
    /// tolerance; then widens the range to take `value` in.
    mutating func observe(_ value: Double) -> Bool {
        guard !seenMin.isNaN else {
            seenMin = value
            seenMax = value
            return false
        }
        let margin = (seenMax - seenMin) * tolerance
        let outside = seenMin != seenMax && (value > seenMax + margin || value < seenMin - margin)
        seenMin = min(seenMin, value)
        seenMax = max(seenMax, value)
        return outside
    }
}
