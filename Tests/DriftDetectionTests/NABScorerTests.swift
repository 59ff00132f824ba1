import Foundation
import Testing
@testable import DriftDetection
@testable import DriftEvaluation

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

    /// The repository's root, from this file's path.
    static let sharedNAB = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/datasets/nab")

    @Test("on the NAB corpus, the windowed Gaussian scores within 2 points of its published 39.6")
    func publishedBaseline() throws {
        let corpus = try NABCorpus(root: Self.sharedNAB)
        #expect(corpus.series.count == 58)
        #expect(corpus.series.reduce(0) { $0 + $1.windows.count } == 116)
        let (results, _) = NABEvaluation().evaluate(corpus: corpus, detectors: ["windowed-gaussian"], profiles: [.standard])
        #expect(abs(results[0].score - 39.6) < 2, "scored \(results[0].score)")
    }
}
