import DriftDetection
import Foundation

/// The Numenta Anomaly Benchmark's scorer (Lavin & Ahmad, "Evaluating
/// Real-time Anomaly Detection Algorithms – the Numenta Anomaly Benchmark",
/// ICMLA 2015; `nab/sweeper.py`), re-implemented:
///
/// - the first 15% of each file (at most 750 rows) is probationary and not scored;
/// - a detection inside a window scores `A_TP · σ(p)/σ(−1)` with
///   `σ(p) = 2/(1 + e^{5p}) − 1` and `p = −(right − i + 1)/width` (so the
///   window's left edge scores `A_TP` and later ones less); only the best
///   (earliest) detection of a window counts;
/// - a detection outside windows scores `A_FP · σ(p)`, with `p` its distance
///   past the previous window's right edge over that window's width less one
///   (`−A_FP` when no window precedes it, or 3 widths past one);
/// - a window without detection scores `−A_FN`;
/// - the raw score is optimised over the detection threshold across all
///   files, and normalised: `100 · (raw − null)/(perfect − null)`, where the
///   null detector detects nothing (`−A_FN` per window) and the perfect one
///   detects every window at its left edge (`A_TP` per window).
public struct NABScorer: Sendable {
    /// NAB's three application profiles (`config/profiles.json`).
    public struct Profile: Sendable, Equatable {
        public var name: String
        public var tpWeight: Double
        public var fpWeight: Double
        public var fnWeight: Double

        public static let standard = Profile(name: "standard", tpWeight: 1, fpWeight: 0.11, fnWeight: 1)
        public static let rewardLowFP = Profile(name: "reward_low_FP_rate", tpWeight: 1, fpWeight: 0.22, fnWeight: 1)
        public static let rewardLowFN = Profile(name: "reward_low_FN_rate", tpWeight: 1, fpWeight: 0.11, fnWeight: 2)
        public static let all = [standard, rewardLowFP, rewardLowFN]
    }

    /// One scored series: an anomaly score per row and the windows as
    /// inclusive row ranges.
    public struct File: Sendable {
        public var name: String
        public var scores: [Double]
        public var windows: [(start: Int, end: Int)]

        /// - Parameter scores: One per row; `nan` counts as 0 (no detection).
        public init(name: String, scores: [Double], windows: [(Int, Int)]) {
            self.name = name
            self.scores = scores.map { $0.isNaN ? 0 : $0 }
            self.windows = windows.map { (start: $0.0, end: $0.1) }
        }
    }

    public var profile: Profile
    public var probationPercent: Double

    public init(profile: Profile, probationPercent: Double = 0.15) {
        self.profile = profile
        self.probationPercent = probationPercent
    }

    static func scaledSigmoid(_ position: Double) -> Double {
        position >= 3 ? -1 : 2 / (1 + exp(5 * position)) - 1
    }

    /// The rows NAB leaves unscored at the start of a file.
    public func probationaryLength(_ rows: Int) -> Int {
        Int(min((probationPercent * Double(rows)).rounded(.down), probationPercent * 5000))
    }

    /// A row's weighted score if detected, and the window it belongs to
    /// (`nil` outside windows; rows in the probationary period are dropped).
    struct Row {
        var anomalyScore: Double
        var sweepScore: Double
        var window: Int?
    }

    func rows(_ file: File) -> [Row] {
        let maxTP = Self.scaledSigmoid(-1)
        let probation = probationaryLength(file.scores.count)
        var rows: [Row] = []
        var windowIndex = 0
        var previousRight: Int?
        var previousWidth = 0.0
        for (i, score) in file.scores.enumerated() {
            var current: Int?
            if windowIndex < file.windows.count, i >= file.windows[windowIndex].start, i <= file.windows[windowIndex].end {
                current = windowIndex
            }
            let sweep: Double
            if let current {
                let window = file.windows[current]
                let width = Double(window.end - window.start + 1)
                sweep = Self.scaledSigmoid(-Double(window.end - i + 1) / width) * profile.tpWeight / maxTP
            } else {
                let position = previousRight.map { Double(abs($0 - i)) / max(previousWidth - 1, 1) } ?? 3
                sweep = Self.scaledSigmoid(position) * profile.fpWeight
            }
            if i >= probation { rows.append(Row(anomalyScore: score, sweepScore: sweep, window: current)) }
            if let current, i == file.windows[current].end {
                previousRight = i
                previousWidth = Double(file.windows[current].end - file.windows[current].start + 1)
                windowIndex += 1
            }
        }
        return rows
    }

    /// The starting score of each window: `−A_FN` for a window with a
    /// scorable row, 0 for one wholly inside the probationary period (NAB
    /// leaves those out).
    func initialWindowScores(_ file: File, _ rows: [Row]) -> [Double] {
        var scores = [Double](repeating: 0, count: file.windows.count)
        for row in rows { if let w = row.window { scores[w] = -profile.fnWeight } }
        return scores
    }

    /// The raw score of the files at `threshold` (rows scoring at least the
    /// threshold are detections).
    public func rawScore(files: [File], threshold: Double) -> Double {
        var total = 0.0
        for file in files {
            let rows = rows(file)
            var best = initialWindowScores(file, rows)
            var falsePositives = 0.0
            for row in rows where row.anomalyScore >= threshold {
                if let window = row.window { best[window] = max(best[window], row.sweepScore) } else { falsePositives += row.sweepScore }
            }
            total += best.reduce(0, +) + falsePositives
        }
        return total
    }

    /// The threshold maximising the raw score over `files`, and that score:
    /// every distinct anomaly score is tried, as NAB's `calcScoreByThreshold`
    /// does (ties in score keep the highest threshold, as NAB's stable sort).
    public func optimize(files: [File]) -> (threshold: Double, score: Double) {
        Self.optimize(curves: files.map { curve($0) })
    }

    /// A file's raw score as a step function of the threshold: the score
    /// with no detection, and for each distinct anomaly score (descending)
    /// the change when the threshold reaches it. Optimising and scoring
    /// subsets of a corpus (cross-validation) then needs no second pass over
    /// the rows.
    public struct Curve: Sendable {
        public var initial: Double
        /// Distinct anomaly scores of the scorable rows, descending.
        public var thresholds: [Double]
        /// `cumulative[i]`: the raw score at threshold `thresholds[i]`.
        public var cumulative: [Double]

        /// The raw score when rows scoring at least `threshold` are detections.
        public func score(at threshold: Double) -> Double {
            // thresholds are descending: count those >= threshold.
            var lo = 0, hi = thresholds.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if thresholds[mid] >= threshold { lo = mid + 1 } else { hi = mid }
            }
            return lo == 0 ? initial : cumulative[lo - 1]
        }
    }

    public func curve(_ file: File) -> Curve {
        let fileRows = rows(file).sorted { $0.anomalyScore > $1.anomalyScore }
        var best = initialWindowScores(file, fileRows)
        let initial = best.reduce(0, +)
        var current = initial
        var thresholds: [Double] = [], cumulative: [Double] = []
        var i = 0
        while i < fileRows.count {
            let threshold = fileRows[i].anomalyScore
            while i < fileRows.count, fileRows[i].anomalyScore == threshold {
                let row = fileRows[i]
                if let w = row.window {
                    if row.sweepScore > best[w] { current += row.sweepScore - best[w]; best[w] = row.sweepScore }
                } else {
                    current += row.sweepScore
                }
                i += 1
            }
            thresholds.append(threshold); cumulative.append(current)
        }
        return Curve(initial: initial, thresholds: thresholds, cumulative: cumulative)
    }

    /// The best threshold over several files' curves, and the summed raw score there.
    public static func optimize(curves: [Curve]) -> (threshold: Double, score: Double) {
        var events: [(threshold: Double, delta: Double)] = []
        events.reserveCapacity(curves.reduce(0) { $0 + $1.thresholds.count })
        var best = 0.0
        for c in curves {
            best += c.initial
            var previous = c.initial
            for (t, s) in zip(c.thresholds, c.cumulative) { events.append((t, s - previous)); previous = s }
        }
        events.sort { $0.threshold > $1.threshold }
        var bestThreshold = 1.1
        var current = best
        var i = 0
        while i < events.count {
            let threshold = events[i].threshold
            while i < events.count, events[i].threshold == threshold { current += events[i].delta; i += 1 }
            if current > best { best = current; bestThreshold = threshold }
        }
        return (bestThreshold, best)
    }

    /// NAB's null score of a file (no detection): `−A_FN` per scorable window.
    public func nullScore(_ file: File) -> Double { initialWindowScores(file, rows(file)).reduce(0, +) }

    /// Normalises a raw score given the files' null score and window count.
    public func normalize(_ raw: Double, null: Double, windows: Int) -> Double {
        let perfect = profile.tpWeight * Double(windows)
        return perfect == null ? 0 : 100 * (raw - null) / (perfect - null)
    }

    /// A score as NAB's stored results hold it: Python 2's `str(float)`,
    /// twelve significant digits (`%.12g`), so `0.593708444526` and
    /// `0.99999999999951` → `1.0`. Scoring these values is what NAB's
    /// `run.py` does when it reads the results files.
    public static func resultsText(_ score: Double) -> String {
        guard score.isFinite else { return score.isNaN ? "nan" : (score > 0 ? "inf" : "-inf") }
        let text = String(format: "%.12g", score)
        return text.contains(where: { $0 == "." || $0 == "e" || $0 == "n" || $0 == "i" }) ? text : text + ".0"
    }

    /// `Double(resultsText(score))`, computed without formatting (one
    /// multiply, round and divide; the correctly rounded parse is used when the
    /// scaled value is within 1e-3 of a rounding tie).
    public static func resultsRounded(_ score: Double) -> Double {
        guard score.isFinite, score != 0 else { return score }
        let magnitude = abs(score)
        let exponent = Int(log10(magnitude).rounded(.down))
        let decimals = 11 - exponent
        guard decimals >= 0, decimals <= 22 else { return Double(resultsText(score)) ?? score }
        let scale = Self.powersOfTen[decimals]
        let scaled = magnitude * scale
        guard scaled >= 1e11, scaled < 1e12 else { return Double(resultsText(score)) ?? score }
        let fraction = scaled - scaled.rounded(.down)
        if abs(fraction - 0.5) < 1e-3 { return Double(resultsText(score)) ?? score }
        let rounded = scaled.rounded() / scale
        return score < 0 ? -rounded : rounded
    }

    private static let powersOfTen: [Double] = (0...22).map { Double("1e\($0)")! }

    /// `100 · (raw − null)/(perfect − null)`, with NAB's null (the score of
    /// no detection) and perfect (`A_TP` times every labelled window).
    public func normalize(_ raw: Double, files: [File]) -> Double {
        let windows = files.reduce(0) { $0 + Double($1.windows.count) }
        let null = files.reduce(0) { $0 + initialWindowScores($1, rows($1)).reduce(0, +) }
        let perfect = profile.tpWeight * windows
        return perfect == null ? 0 : 100 * (raw - null) / (perfect - null)
    }

    /// The normalised score at a fixed threshold.
    public func normalizedScore(files: [File], threshold: Double) -> Double {
        normalize(rawScore(files: files, threshold: threshold), files: files)
    }
}
