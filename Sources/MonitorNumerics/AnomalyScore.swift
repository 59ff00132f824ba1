/// The reference's anomaly score and anomaly indicators, from window counts.
///
/// The score is the mean of three components: the share of confidences below
/// 0.6, the share of processing times above 5 s, and 0.5 when one label holds
/// more than 90% of the window (else 0). The indicators use the same counts
/// with the reference's own, slightly different, comparisons.
package struct AnomalyCounts: Sendable, Equatable {
    /// Records in the window.
    package var total: Int
    /// Records with confidence `< 0.6`.
    package var lowConfidence: Int
    /// Records with processing time `> 5.0`.
    package var slowResponses: Int
    /// The count of the most frequent label (0 when there are no records).
    package var dominantLabelCount: Int

    /// The confidence below which a prediction is "low confidence".
    package static let lowConfidenceThreshold = 0.6
    /// The processing time above which a response is "slow", in seconds.
    package static let slowResponseThreshold = 5.0

    package init(total: Int, lowConfidence: Int, slowResponses: Int, dominantLabelCount: Int) {
        self.total = total
        self.lowConfidence = lowConfidence
        self.slowResponses = slowResponses
        self.dominantLabelCount = dominantLabelCount
    }

    /// The reference's `_calculate_anomaly_score`: `0.0` for no records.
    ///
    /// - Complexity: O(1).
    package var score: Double {
        guard total > 0 else { return 0.0 }
        let n = Double(total)
        let skew = Double(dominantLabelCount) / n > 0.9 ? 0.5 : 0.0
        // np.mean of three values: a running sum from 0, then one division.
        var sum = 0.0
        sum += Double(lowConfidence) / n
        sum += Double(slowResponses) / n
        sum += skew
        return sum / 3
    }

    /// The indicator tests of `_detect_anomaly_indicators`, which compare
    /// counts against `n * fraction` (not ratios against the fraction).
    package var hasManyLowConfidence: Bool { Double(lowConfidence) > Double(total) * 0.3 }
    package var hasManySlowResponses: Bool { Double(slowResponses) > Double(total) * 0.1 }
    package var hasExtremeSkew: Bool { total > 0 && Double(dominantLabelCount) > Double(total) * 0.9 }
}
