import Foundation
import Testing
@testable import DriftDetection
@testable import DriftEvaluation
import MonitorNumerics

@Suite("NAB scorer")
struct NABScorerTests {
    let scorer = NABScorer(profile: .standard, probationPercent: 0.15)

    func file(_ detections: [Int], rows: Int = 200, windows: [(Int, Int)] = [(60, 79), (140, 159)]) -> NABScorer.File {
        var scores = [Double](repeating: 0, count: rows)
        for i in detections { scores[i] = 1 }
        return NABScorer.File(name: "f", scores: scores, windows: windows)
    }

    @Test("the null detector scores 0 and left-edge detections score 100")
    func nullAndPerfect() {
        #expect(scorer.normalizedScore(files: [file([])], threshold: 0.5) == 0)
        #expect(abs(scorer.normalizedScore(files: [file([60, 140])], threshold: 0.5) - 100) < 1e-12)
        #expect(scorer.optimize(files: [file([60, 140])]).threshold == 1)
    }

    @Test("hand-computed: a detection halfway into a window, and false positives")
    func handComputed() {
        // Row 70 in window 60…79 (width 20): position −(79 − 70 + 1)/20 = −0.5.
        let tp = (2 / (1 + exp(-2.5)) - 1) / (2 / (1 + exp(-5.0)) - 1)
        // Row 100, 21 rows past that window: position 21/19.
        let fpAfter = (2 / (1 + exp(5 * 21.0 / 19)) - 1) * 0.11
        // Row 40, before any window (and after the 30-row probation): −A_FP.
        let fpBefore = -0.11
        let raw = scorer.rawScore(files: [file([70, 100, 40])], threshold: 0.5)
        #expect(abs(raw - (tp - 1 + fpAfter + fpBefore)) < 1e-12)
        #expect(abs(scorer.normalize(raw, files: [file([])]) - 100 * (raw + 2) / 4) < 1e-12)
    }

    @Test("only the earliest detection in a window counts; the probationary period is not scored")
    func oneDetectionPerWindow() {
        let once = scorer.rawScore(files: [file([60])], threshold: 0.5)
        let thrice = scorer.rawScore(files: [file([60, 65, 79])], threshold: 0.5)
        #expect(once == thrice)
        #expect(scorer.probationaryLength(200) == 30)
        #expect(scorer.probationaryLength(100_000) == 750)
        #expect(scorer.rawScore(files: [file([5, 10, 29])], threshold: 0.5) == scorer.rawScore(files: [file([])], threshold: 0.5))
    }

    @Test("the optimiser finds the threshold that separates a window from noise")
    func optimiser() {
        var scores = [Double](repeating: 0.1, count: 200)
        scores[61] = 0.9
        scores[100] = 0.5
        let files = [NABScorer.File(name: "f", scores: scores, windows: [(60, 79)])]
        let (threshold, raw) = scorer.optimize(files: files)
        #expect(threshold == 0.9)
        #expect(abs(raw - scorer.rawScore(files: files, threshold: 0.9)) < 1e-12)
        #expect(raw > scorer.rawScore(files: files, threshold: 0.5))
    }

    @Test("scores are rounded as NAB's results files hold them (Python 2 str, 12 significant digits)")
    func resultsRounding() {
        #expect(NABScorer.resultsText(0.5937084445261234) == "0.593708444526")
        #expect(NABScorer.resultsText(0.99999999999951) == "1.0")
        #expect(NABScorer.resultsText(0) == "0.0")
        #expect(NABScorer.resultsText(1) == "1.0")
        #expect(NABScorer.resultsText(1.5e-7) == "1.5e-07")
        var rng = SplitMix64(seed: 7)
        for i in 0..<20_000 {
            let x = i % 4 == 0 ? 1 - pow(10, -rng.nextUnitDouble() * 14) : rng.nextUnitDouble() * pow(10, -Double(i % 9))
            #expect(NABScorer.resultsRounded(x) == Double(NABScorer.resultsText(x))!, "\(x)")
        }
    }

    @Test("a file's score curve gives the raw score at every threshold")
    func curves() {
        var rng = SplitMix64(seed: 3)
        let scores = (0..<400).map { _ in (rng.nextUnitDouble() * 20).rounded() / 20 }
        let f = NABScorer.File(name: "f", scores: scores, windows: [(100, 139), (300, 339)])
        let curve = scorer.curve(f)
        for t in stride(from: 0.0, through: 1.05, by: 0.025) {
            #expect(abs(curve.score(at: t) - scorer.rawScore(files: [f], threshold: t)) < 1e-9)
        }
        let (threshold, raw) = NABScorer.optimize(curves: [curve])
        #expect(abs(raw - scorer.rawScore(files: [f], threshold: threshold)) < 1e-9)
        #expect(scorer.optimize(files: [f]).threshold == threshold)
    }

    @Test("folds are fixed by the seed and balanced")
    func folds() {
        let a = NABEvaluation.folds(count: 58, folds: 5, seed: 1), b = NABEvaluation.folds(count: 58, folds: 5, seed: 1)
        #expect(a == b)
        #expect(a != NABEvaluation.folds(count: 58, folds: 5, seed: 2))
        let sizes = (0..<5).map { k in a.filter { $0 == k }.count }
        #expect(sizes.max()! - sizes.min()! <= 1)
    }

    /// The repository's root, from this file's path.
    static let sharedNAB = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/datasets/nab")

    @Test("on the NAB corpus, the windowed Gaussian's scores at NAB's 12 digits give its published 39.6 (±0.05)")
    func publishedBaseline() throws {
        let corpus = try NABCorpus(root: Self.sharedNAB)
        #expect(corpus.series.count == 58)
        #expect(corpus.series.reduce(0) { $0 + $1.windows.count } == 116)
        let entry = NABEvaluation.entries.first { $0.name == "windowed-gaussian" }!
        let (result, _, _) = NABEvaluation().evaluate(entry, corpus: corpus, profiles: [.standard])
        #expect(abs(result.inSample["standard"]! - 39.6) <= 0.05, "scored \(result.inSample["standard"]!)")
        #expect(abs(result.inSample["standard"]! - 39.649523496077585) < 0.01)
    }
}
