import Foundation

/// DriftLab's NAB detector: CAD OSE's contextual memory learnt online,
/// read through Numenta's anomaly likelihood, with HTM's spatial-anomaly
/// rule and a suppression of repeated detections.
///
/// Unlike NAB's detectors, it never looks ahead: NAB hands every detector the
/// file's minimum and maximum, which CAD OSE quantises with; here the range
/// is that of the probationary rows, learnt when they are over. Row by row:
///
/// 1. During the probationary period (NAB's: 15% of the file, at most 750
///    rows) values are only stored and the score is 0. At its end the range
///    of the stored values fixes the quantisation (`2^3` levels, as CAD OSE's)
///    and the stored values are replayed through the memory and the
///    likelihood, so both have learnt them.
/// 2. Each later value is quantised (levels past the learnt range keep their
///    own facts, so they are new to the memory) and scored by
///    ``ContextOSEDetector/rawScore(facts:)``.
/// 3. The raw score goes through the chosen ``Output``: CAD OSE's own rest
///    period, or the log anomaly likelihood (``AnomalyLikelihood``), where a
///    value outside the range seen so far widened by `spatialTolerance` of it
///    scores 1 (HTM's spatial anomaly).
/// 4. With `refractory > 0`, a score is kept only when it is a new maximum
///    over the previous `refractory` rows (NAB counts one detection a window).
///
/// A score at row t depends on rows 0…t only (and on the probationary
/// length, which NAB derives from the file's row count).
public struct ContextLikelihoodDetector: Sendable {
    /// What the raw contextual score becomes.
    public enum Output: String, Sendable, CaseIterable, Codable {
        /// CAD OSE's own: the raw score, 0 while a raw score of the last
        /// `probation/5` rows reached 0.75.
        case restPeriod = "rest-period"
        /// The log anomaly likelihood of the raw scores, 1 on a spatial anomaly.
        case likelihood
        /// The larger of the two.
        case maximum
    }

    public let probation: Int
    public let output: Output
    public let refractory: Int
    public let spatialTolerance: Double
    public let numNormValueBits: Int
    /// The quantisation range is the probationary rows' range widened by this
    /// fraction of it on each side.
    public let rangePadding: Double

    private var row = 0
    private var stored: [Double] = []
    private var memory: ContextOSEDetector
    private var likelihood: AnomalyLikelihood
    private var low = 0.0, high = 0.0, step = 1.0
    private var spatialAnomaly: SpatialAnomaly
    /// The raw scores of the last `probation/5` rows, after CAD OSE's initial 1.
    private var rawHistory: [Double] = [1]
    private var rawStart = 0
    private var recentOutputs = RepeatFilter(refractory: 0)

    /// - Parameters:
    ///   - probation: Rows stored before scoring starts (NAB's probationary period).
    ///   - refractory: Rows over which a score must be a new maximum to be kept (0: all kept).
    /// - Precondition: `probation ≥ 0`, `refractory ≥ 0`, `spatialTolerance ≥ 0`, `numNormValueBits` in 1…16.
    public init(probation: Int, output: Output = .likelihood, refractory: Int = 0, rangePadding: Double = 0,
                spatialTolerance: Double = 0.05, numNormValueBits: Int = 3) {
        precondition(probation >= 0 && refractory >= 0 && spatialTolerance >= 0 && (1...16).contains(numNormValueBits)
                     && rangePadding >= 0 && rangePadding.isFinite,
                     "ContextLikelihoodDetector: invalid parameters")
        self.rangePadding = rangePadding
        self.probation = probation
        self.output = output
        self.refractory = refractory
        self.spatialTolerance = spatialTolerance
        spatialAnomaly = SpatialAnomaly(tolerance: spatialTolerance)
        self.numNormValueBits = numNormValueBits
        memory = ContextOSEDetector(minValue: 0, maxValue: 1, restPeriod: 0, numNormValueBits: numNormValueBits)
        likelihood = AnomalyLikelihood(probation: probation)
        recentOutputs = RepeatFilter(refractory: refractory)
    }

    /// NAB's probationary length of a file of `rows` rows: 15%, at most 750.
    public static func probation(rows: Int) -> Int {
        Int(min((0.15 * Double(rows)).rounded(.down), 0.15 * 5000))
    }

    /// Scores a whole series (NAB's probationary length from its row count).
    public static func scores(_ values: [Double], output: Output = .likelihood, refractory: Int = 0,
                              rangePadding: Double = 0) -> [Double] {
        var detector = ContextLikelihoodDetector(probation: probation(rows: values.count), output: output, refractory: refractory,
                                                 rangePadding: rangePadding)
        return values.map { detector.update($0) }
    }

    /// The scores of every (padding, output, refractory), paddings outermost
    /// and refractories innermost, from one pass of the memory per padding:
    /// each equals ``scores(_:output:refractory:rangePadding:)``.
    public static func scores(_ values: [Double], paddings: [Double] = [0], outputs: [Output], refractories: [Int]) -> [[Double]] {
        paddings.flatMap { padding -> [[Double]] in
        var detector = ContextLikelihoodDetector(probation: probation(rows: values.count), rangePadding: padding)
        var rest: [Double] = [], likely: [Double] = []
        rest.reserveCapacity(values.count); likely.reserveCapacity(values.count)
        for v in values {
            let (r, l) = detector.updateBoth(v)
            rest.append(r); likely.append(l)
        }
        return outputs.flatMap { output -> [[Double]] in
            let stream: [Double]
            switch output {
            case .restPeriod: stream = rest
            case .likelihood: stream = likely
            case .maximum: stream = zip(rest, likely).map { max($0, $1) }
            }
            return refractories.map { r in var filter = RepeatFilter(refractory: r); return stream.map { filter.filter($0) } }
        }
        }
    }

    /// The score of the next value, in [0, 1].
    ///
    /// - Complexity: Amortised O(1) in the series' length (the context
    ///   memory's work per row, and the likelihood's periodic re-fit).
    public mutating func update(_ value: Double) -> Double {
        let (rest, likely) = updateBoth(value)
        switch output {
        case .restPeriod: return recentOutputs.filter(rest)
        case .likelihood: return recentOutputs.filter(likely)
        case .maximum: return recentOutputs.filter(max(rest, likely))
        }
    }

    /// The rest-period and likelihood scores of the next value, unfiltered.
    mutating func updateBoth(_ value: Double) -> (rest: Double, likelihood: Double) {
        defer { row += 1 }
        if row < probation {
            stored.append(value)
            if row == probation - 1 { learnProbation() }
            return (0, 0)
        }
        if row == 0 { stored = [value]; learnProbation(replay: false) }  // no probation: the first value's level is 0
        return score(value)
    }

    private mutating func learnProbation(replay: Bool = true) {
        let padding = ((stored.max() ?? 0) - (stored.min() ?? 0)) * rangePadding
        low = (stored.min() ?? 0) - padding
        high = (stored.max() ?? 0) + padding
        let levels = Double((1 << numNormValueBits) - 1)
        step = high > low ? (high - low) / levels : 1
        if replay { for v in stored { _ = score(v) } }
        stored = []
    }

    /// The sensory facts of a value: CAD OSE's bit facts of its level in the
    /// learnt range; a level below the range sets a fact of its own.
    func facts(_ value: Double) -> Set<Int> {
        let scaled = ((value - low) / step).rounded(.down)
        let level = scaled.isFinite ? Int(max(-1e9, min(1e9, scaled))) : 0
        let magnitude = level < 0 ? -level : level
        var bits = magnitude == 0 ? 0 : Int.bitWidth - magnitude.leadingZeroBitCount
        bits = max(bits, numNormValueBits)
        var facts = Set<Int>()
        for j in 0..<bits { facts.insert(j * 2 + ((magnitude >> j) & 1)) }
        if level < 0 { facts.insert(1_000) }
        return facts
    }

    private mutating func score(_ value: Double) -> (rest: Double, likelihood: Double) {
        let raw = memory.rawScore(facts: facts(value))
        // CAD OSE's rest period: the raw scores of the last probation/5 rows.
        // (With no rest period CAD OSE looks at its whole history, which starts with 1: always 0.)
        let rest = probation / 5
        let restScore = rest > 0 && rawHistory[max(rawStart, rawHistory.count - rest)...].max()! < 0.75 ? raw : 0
        rawHistory.append(raw)
        if rawHistory.count - rawStart > max(rest, 1) { rawStart += 1 }
        if rawStart > 4_096 { rawHistory.removeFirst(rawStart); rawStart = 0 }
        let spatial = spatialAnomaly.observe(value)
        let likely = AnomalyLikelihood.logLikelihood(likelihood.probability(value: value, rawScore: raw))
        return (restScore, spatial ? 1 : likely)
    }
}

/// Keeps a score only when it is a new maximum over the previous
/// `refractory` scores (all of them, kept or not); 0 otherwise.
public struct RepeatFilter: Sendable {
    public let refractory: Int
    private var window: [(index: Int, value: Double)] = []  // decreasing maxima of the last `refractory` scores
    private var head = 0
    private var index = 0

    public init(refractory: Int) { self.refractory = max(0, refractory) }

    /// - Complexity: Amortised O(1).
    public mutating func filter(_ score: Double) -> Double {
        guard refractory > 0 else { return score }
        defer { index += 1 }
        while head < window.count, window[head].index < index - refractory { head += 1 }
        let previousMax = head < window.count ? window[head].value : -Double.infinity
        while window.count > head, let last = window.last, last.value <= score { window.removeLast() }
        window.append((index, score))
        if head > 4_096 { window.removeFirst(head); head = 0 }
        return score <= previousMax ? 0 : score
    }
}
