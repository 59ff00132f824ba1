/// ARTime (Mark Hampton, 2021), the top published NAB detector, ported step
/// for step from its open-source Julia code, ARTimeNAB.jl
/// (github.com/markNZed/ARTimeNAB.jl, `src/ARTime.jl`), as NAB runs it
/// (`nab/detectors/ARTime`: `ARTime.init(min, max, rows)` per file, then
/// `process_sample!` per row).
///
/// Per file (`rows` values between `minimum` and `maximum`):
/// - the probationary period is NAB's (15 % of the rows, at most 750), made
///   even; the stream is downsampled by `step = max(1, probation ÷ 104)`
///   (8-value windows, 13 per probation) and the trend window is
///   `probation / step` downsampled points;
/// - each downsampled point is the window's maximum or minimum (the one
///   farther from a running average of the window means), or the mean when
///   that spike is within 10 % of it; normalised with the file's range,
///   quantised to 80 levels and pulled to a running median level when within
///   0.075 of it;
/// - from the 8th point on, the features are the min–max normalised Haar
///   transform (``HaarWavelet``) of the min–max normalised last 8 points,
///   followed by the 8 points themselves (zeros before);
/// - the trend window's features are first clustered as a batch to set the
///   initial vigilance (the mean best match of the second half of a
///   ρ = 0.8 network trained on the features ordered by their summed
///   similarity), then replayed through the detector's
///   ``DualVigilanceFuzzyART`` (without learning before the 8th);
/// - after that a point whose sample opens a new cluster is an anomaly unless
///   it is masked (within 12 points of an anomaly, or after a new cluster
///   until 12 points without one), which a match below 90 % (70 %) of the last
///   anomaly's lifts; it scores
///   `min(1, 0.35·u + 0.65·l + 1.5·(1 − Aₑ))` rounded to 6 decimals, `u` and
///   `l` the match's margin below each vigilance relative to `1 − A`;
/// - the vigilance adapts 12 points after an anomaly and every half trend
///   window: `ρ_ub` the running mean of the matches (at most 0.97), `ρ_lb`
///   raised 19 % towards the trend window's lowest match, or lowered by half
///   the mean shortfall below `ρ_ub` (but not below the mean match of the
///   anomalies).
///
/// Rows between downsampled points score 0. Every operation is Julia's, in
/// Julia's order (`round` to even, `÷` truncating, reductions as
/// ``JuliaArithmetic``), so that the scores equal NAB's stored ARTime results
/// (`results/ARTime`). A series too short for the initial vigilance (a trend
/// window under 13 points: fewer than 94 rows, where the Julia code's
/// `init_rho` averages nothing or it fails) scores 0 everywhere, and values
/// outside `minimum…maximum` are quantised to the nearest end level.
///
/// - Complexity: O(categories) per downsampled point (categories grow with
///   the novelty of the series), O(trend window²) once for the initial
///   vigilance.
public struct ARTimeDetector: Sendable {
    /// Downsampled points per feature window.
    public let window = 8
    public let windowsPerProbation = 13
    public let levels = 80
    public let discretizeChomp = 0.075
    public let initialVigilance = 0.80
    public let minimum: Double
    public let maximum: Double
    public let rows: Int
    /// NAB's probationary period, made even.
    public let probationaryPeriod: Int
    /// Rows per downsampled point.
    public let step: Int
    /// Downsampled points in the trend window.
    public let trendWindow: Int
    /// Points masked after an anomaly (`window · 1.5`).
    public let maskAfterAnomaly: Int

    private var row = 1
    private var art: DualVigilanceFuzzyART
    private var lastAnomaly = 0
    private var lastAnomalyMatch = 0.0
    private var lastVigilanceUpdate = 0
    private var maskAfterCategory = false
    private var noNewCategoryCount = 0
    private var trendFeatures: [[Double]] = []
    private var anomalyMatches: [Double] = []
    private var shortfalls: [Double]
    /// OnlineStats' `Mean` (equal weights) of the matches.
    private var matchMean = 0.0
    private var matchCount = 0
    private var similarities: [Double]
    private var downsampleWindow: [Double]
    private var movingAverage = 0.0
    private var levelCounts: [Int]
    private var medianLevel = 0
    private var belowMedian = 0
    private var aboveMedian = 0
    private var points: [Double]
    /// The downsampled point's 1-based index (`dsi`).
    private var point = 1

    /// `ARTime.init(minimum, maximum, rows)`.
    public init(minimum: Double, maximum: Double, rows: Int) {
        self.minimum = minimum
        self.maximum = maximum
        self.rows = rows
        let probation = rows < 5_000 ? Int((0.15 * Double(rows)).rounded(.down)) : 750
        probationaryPeriod = probation - probation % 2
        step = Swift.max(1, probationaryPeriod / (window * windowsPerProbation))
        trendWindow = probationaryPeriod / step
        maskAfterAnomaly = window * 3 / 2
        art = DualVigilanceFuzzyART(dimension: 2 * window)
        similarities = [Double](repeating: 1, count: trendWindow / 2 + 1)
        shortfalls = [Double](repeating: 0, count: trendWindow + 1)
        downsampleWindow = [Double](repeating: 0, count: step)
        levelCounts = [Int](repeating: 0, count: levels + 1)
        points = [Double](repeating: 0, count: window)
    }

    /// Scores a whole series as NAB does (the file's minimum, maximum and length).
    public static func scores(_ values: [Double]) -> [Double] {
        guard let lo = values.min(), let hi = values.max() else { return [] }
        var detector = ARTimeDetector(minimum: lo, maximum: hi, rows: values.count)
        return values.map { detector.update($0) }
    }

    /// Whether the series is long enough for ARTime: `init_rho` averages the
    /// matches from point `trendWindow ÷ 2` of the `trendWindow − window + 1`
    /// batch points, so that range must not be empty (13 points or more).
    public var isSupported: Bool { trendWindow / 2 <= trendWindow - window + 1 }

    /// `process_sample!`: the anomaly score of the next row.
    public mutating func update(_ value: Double) -> Double {
        defer { row += 1 }
        downsampleWindow.removeFirst()
        downsampleWindow.append(value)
        guard isSupported, row % step == 0 else { return 0 }
        let features = downsample()
        let anomaly = processFeatures(features, point)
        point += 1
        return anomaly
    }

    /// One downsampled point: its features (zeros before the 8th point).
    private mutating func downsample() -> [Double] {
        let mean = JuliaArithmetic.mean(downsampleWindow[...])
        let high = downsampleWindow.max()!, low = downsampleWindow.min()!
        if point == 1 { movingAverage = mean }
        movingAverage = (movingAverage + mean) / 2
        var ds = high
        if abs(high - movingAverage) < abs(low - movingAverage) { ds = low }   // a spike below the mean
        if abs(ds - mean) < 0.1 * mean { ds = mean }                            // a spike must be at least 10 %
        ds -= minimum
        if maximum - minimum != 0 { ds /= maximum - minimum }
        let scaled = (ds * Double(levels)).rounded(.toNearestOrEven)
        let level = scaled.isNaN ? 0 : Int(Swift.min(Swift.max(scaled, 0), Double(levels)))
        ds = Double(level) / Double(levels)
        // A running median of the levels (not strictly one, as the Julia code says).
        levelCounts[level] += 1
        let medianPosition = point / 2
        if point == 1 { medianLevel = level }
        if medianLevel > level { belowMedian += 1 } else if medianLevel < level { aboveMedian += 1 }
        if medianPosition < aboveMedian {
            belowMedian += levelCounts[medianLevel]
            medianLevel += 1
            while levelCounts[medianLevel] == 0 { medianLevel += 1 }
            aboveMedian -= levelCounts[medianLevel]
        } else if medianPosition < belowMedian {
            aboveMedian += levelCounts[medianLevel]
            medianLevel -= 1
            while levelCounts[medianLevel] == 0 { medianLevel -= 1 }
            belowMedian -= levelCounts[medianLevel]
        }
        let median = Double(medianLevel) / Double(levels)
        if abs(ds - median) < discretizeChomp { ds = median }
        points.removeFirst()
        points.append(ds)
        guard point >= window else { return [Double](repeating: 0, count: 2 * window) }
        var normalized = Self.minMaxNormalized(points)
        normalized = Self.minMaxNormalized(HaarWavelet.transform(normalized))
        return normalized + points
    }

    /// `x .- minimum(x)`, then divided by its maximum unless that is 0.
    static func minMaxNormalized(_ x: [Double]) -> [Double] {
        let low = x.min()!
        var shifted = x.map { $0 - low }
        let high = shifted.max()!
        if high != 0 { shifted = shifted.map { $0 / high } }
        return shifted
    }

    /// `process_features!`: the trend window is collected, then clustered as a
    /// batch; later points are detected one by one.
    private mutating func processFeatures(_ features: [Double], _ i: Int) -> Double {
        guard i <= trendWindow else { return detect(features, i) }
        trendFeatures.append(features)
        if i == trendWindow {
            let rho = initialRho(Array(trendFeatures[(window - 1)...]))
            art.lowerVigilance = rho
            art.upperVigilance = rho
            for (index, f) in trendFeatures.enumerated() { _ = detect(f, index + 1) }
            trendFeatures = []
        }
        return 0
    }

    /// `detect!`: trains the network on point `i` and scores it.
    private mutating func detect(_ features: [Double], _ i: Int) -> Double {
        let updateAfterAnomaly = i - lastAnomaly == maskAfterAnomaly
        let updateForTrend = i - lastVigilanceUpdate >= trendWindow / 2
        let maskedAfterAnomaly = i - lastAnomaly <= maskAfterAnomaly
        if i > trendWindow + maskAfterAnomaly, maskAfterCategory, noNewCategoryCount >= maskAfterAnomaly {
            maskAfterCategory = false
        }
        // Points before a complete feature window are matched but not learnt,
        // which keeps the network's records aligned with the points.
        let outcome = art.train(features, learning: i >= window)
        let newCluster = outcome == .mismatch || outcome == .notLearned
        noNewCategoryCount = newCluster ? 0 : noNewCategoryCount + 1
        let match = art.activations[i - 1]
        matchCount += 1
        matchMean += 1 / Double(matchCount) * (match - matchMean)
        similarities.removeFirst()
        similarities.append(match)
        shortfalls.removeFirst()
        shortfalls.append(art.upperVigilance - match)
        // The lowest match during the masking window of each anomaly.
        if i - lastAnomaly < maskAfterAnomaly, let lowest = anomalyMatches.last, match < lowest {
            anomalyMatches[anomalyMatches.count - 1] = match
        }
        let masking = maskAfterCategory || maskedAfterAnomaly
        let belowLast = match < lastAnomalyMatch * (maskedAfterAnomaly ? 0.90 : 0.70)
        var anomaly = 0.0
        if i > trendWindow, newCluster, !masking || belowLast {
            anomaly = confidence(match, art.energyActivations[i - 1])
            anomalyMatches.append(match)
            lastAnomalyMatch = match
            lastAnomaly = i
        }
        maskAfterCategory = newCluster || maskAfterCategory
        if i > trendWindow, updateAfterAnomaly || updateForTrend {
            updateVigilance(i)
        }
        return anomaly
    }

    private mutating func updateVigilance(_ i: Int) {
        let lowestMatch = similarities.min()!
        let upper = Swift.min(0.97, matchMean)
        let previousLower = art.lowerVigilance
        var lower: Double
        if previousLower <= lowestMatch {
            lower = previousLower + (lowestMatch - previousLower) * 0.19
        } else {
            var decrease = 0.0
            if i > trendWindow * 2 {
                let below = shortfalls.filter { $0 > 0.05 }.map { Swift.min(0.37, $0) }
                if !below.isEmpty { decrease = JuliaArithmetic.mean(below[...]) }
            }
            decrease = Swift.max(0.01, decrease)
            lower = previousLower - decrease / 2
            if !anomalyMatches.isEmpty { lower = Swift.max(JuliaArithmetic.mean(anomalyMatches[...]), lower) }
        }
        lower = Swift.min(upper, lower)
        art.lowerVigilance = lower
        art.upperVigilance = upper
        lastVigilanceUpdate = i
        maskAfterCategory = true
    }

    /// `confidence`: the anomaly score of a new cluster.
    private func confidence(_ match: Double, _ energy: Double) -> Double {
        let similarity = Swift.min(0.999, match)
        let upper = ((1 - similarity) - (1 - art.upperVigilance)) / (1 - similarity)
        let lower = ((1 - similarity) - (1 - art.lowerVigilance)) / (1 - similarity)
        let s = Swift.min(1.0, (upper * 0.35 + lower * 0.65) + (1.0 - energy) * 1.5)
        let rounded = (s * 1e6).rounded(.toNearestOrEven) / 1e6
        return rounded.isFinite ? rounded : s
    }

    /// `init_rho`: the initial vigilance from the trend window's features.
    func initialRho(_ columns: [[Double]]) -> Double {
        let n = columns.count
        var similarity = [Double](repeating: 1, count: n * n)
        let norms = columns.map { JuliaArithmetic.norm2($0[...]) }
        for i in 0..<n {
            for j in 0..<i {
                let s = Self.similarity(columns[i], columns[j], norms[i], norms[j])
                similarity[i * n + j] = s
                similarity[j * n + i] = s
            }
        }
        // Column sums (the matrix is symmetric), then a stable ascending order.
        let sums = (0..<n).map { i in JuliaArithmetic.sum(similarity[(i * n)..<((i + 1) * n)]) }
        let order = (0..<n).sorted { sums[$0] < sums[$1] || (sums[$0] == sums[$1] && $0 < $1) }
        var network = DualVigilanceFuzzyART(dimension: 2 * window, lowerVigilance: initialVigilance,
                                            upperVigilance: initialVigilance)
        for i in order { network.train(columns[i]) }
        return JuliaArithmetic.mean(network.activations[(trendWindow / 2 - 1)...])
    }

    /// "Close to cosine similarity": 1 − the other norm when one vector is 0.
    static func similarity(_ a: [Double], _ b: [Double], _ na: Double, _ nb: Double) -> Double {
        if na == 0 { return 1 - nb }
        if nb == 0 { return 1 - na }
        var products = [Double](repeating: 0, count: a.count)
        for k in a.indices { products[k] = a[k] * b[k] }
        return JuliaArithmetic.sum(products[...]) / (na * nb)
    }
}
