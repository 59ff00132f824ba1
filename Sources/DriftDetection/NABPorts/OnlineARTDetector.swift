/// ARTime without NAB's lookahead: ``ARTimeDetector`` (the port, unchanged)
/// normalising by the probationary rows' range instead of the file's, with
/// HTM's spatial-anomaly rule for the values beyond it.
///
/// NAB hands every detector the file's minimum and maximum; ARTime normalises
/// (and quantises to 80 levels) with them. Here a score at row t depends on
/// rows 0…t only (and on the probationary length, which NAB derives from the
/// file's row count). Row by row:
///
/// 1. During ARTime's probationary period (NAB's, 15% of the rows and at
///    most 750, made even) the values are stored and score 0. ARTime itself
///    scores nothing there: it only collects the trend window's features.
/// 2. At its end an ``ARTimeDetector`` is made with the stored values' range
///    widened by `rangePadding` of it on each side, and the stored values are
///    replayed through it (their scores are 0, as ARTime's are on a file).
/// 3. Each later value goes through ARTime; one beyond the range is quantised
///    to the nearest end level (complement coding needs features in [0, 1]).
/// 4. With a `spatialTolerance`, a value outside the range seen so far (the
///    probationary rows included) widened by that fraction of it scores 1
///    (HTM's spatial anomaly, as ``ContextLikelihoodDetector``'s); the score
///    is the larger of that and ARTime's.
///
/// The defaults (padding 0.25, tolerance 0.05) are the design frozen on the
/// development half of NAB's files (README lists every variant tried).
///
/// A series too short for ARTime (``ARTimeDetector/isSupported``: fewer than
/// 94 rows) scores 0 everywhere.
///
/// - Complexity: ARTime's per row (O(categories) per downsampled point), and
///   O(probation) once at the end of the probationary period.
public struct OnlineARTDetector: Sendable {
    /// Rows stored before the range is learnt (ARTime's probationary period).
    public let probation: Int
    /// The learnt range is the probationary rows' range widened by this
    /// fraction of it on each side.
    public let rangePadding: Double
    /// The spatial-anomaly margin, a fraction of the range seen so far; `nil`
    /// turns the rule off.
    public let spatialTolerance: Double?
    /// Whether the series is long enough for ARTime.
    public let isSupported: Bool

    private let rows: Int
    private var stored: [Double] = []
    private var art: ARTimeDetector?
    private var spatial: SpatialAnomaly?

    /// - Parameters:
    ///   - rows: The file's row count (for NAB's probationary period, as ARTime's).
    /// - Precondition: `rows ≥ 0`, `rangePadding ≥ 0` and finite, `spatialTolerance ≥ 0` when given.
    public init(rows: Int, rangePadding: Double = 0.25, spatialTolerance: Double? = 0.05) {
        precondition(rows >= 0 && rangePadding >= 0 && rangePadding.isFinite && (spatialTolerance ?? 0) >= 0,
                     "OnlineARTDetector: invalid parameters")
        let template = ARTimeDetector(minimum: 0, maximum: 1, rows: rows)
        self.rows = rows
        probation = template.probationaryPeriod
        isSupported = template.isSupported
        self.rangePadding = rangePadding
        self.spatialTolerance = spatialTolerance
        spatial = spatialTolerance.map { SpatialAnomaly(tolerance: $0) }
        stored.reserveCapacity(probation)
    }

    /// Scores a whole series (the probationary length from its row count).
    public static func scores(_ values: [Double], rangePadding: Double = 0.25, spatialTolerance: Double? = 0.05) -> [Double] {
        var detector = OnlineARTDetector(rows: values.count, rangePadding: rangePadding, spatialTolerance: spatialTolerance)
        return values.map { detector.update($0) }
    }

    /// The score of the next value, in [0, 1].
    public mutating func update(_ value: Double) -> Double {
        guard isSupported else { return 0 }
        guard art != nil else {
            stored.append(value)
            if stored.count == probation { learnProbation() }
            return 0
        }
        let spatial = isSpatialAnomaly(value)
        let score = art!.update(value)
        return spatial ? 1 : score
    }

    private mutating func learnProbation() {
        let low = stored.min()!, high = stored.max()!
        let padding = (high - low) * rangePadding
        var detector = ARTimeDetector(minimum: low - padding, maximum: high + padding, rows: rows)
        // ARTime scores nothing before its trend window is complete, which ends within the probation.
        for v in stored { _ = detector.update(v); _ = isSpatialAnomaly(v) }
        art = detector
        stored = []
    }

    /// Whether `value` is a spatial anomaly (never without a tolerance);
    /// then widens the range seen.
    private mutating func isSpatialAnomaly(_ value: Double) -> Bool {
        spatial?.observe(value) ?? false
    }
}
