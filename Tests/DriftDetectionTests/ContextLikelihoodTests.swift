import Foundation
import Testing
@testable import DriftDetection
@testable import DriftEvaluation
import MonitorNumerics

/// DriftLab's NAB detector (``ContextLikelihoodDetector``), its anomaly
/// likelihood and repeat filter, and the nested cross-validation of every profile.
@Suite("Context-likelihood NAB detector")
struct ContextLikelihoodTests {
    /// A seasonal series with noise, a level shift and a spike.
    static func series(_ seed: UInt64, count: Int = 1_200) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { i in
            var v = 10 + 3 * sin(Double(i) * 2 * .pi / 48) + Double.random(in: -0.5...0.5, using: &rng)
            if i > 700 { v += 4 }
            if i == 950 { v += 40 }
            return v
        }
    }

    @Test("the same series gives the same scores, for every output and refractory")
    func determinism() {
        let values = Self.series(1)
        for output in ContextLikelihoodDetector.Output.allCases {
            for refractory in [0, 60] {
                let a = ContextLikelihoodDetector.scores(values, output: output, refractory: refractory)
                let b = ContextLikelihoodDetector.scores(values, output: output, refractory: refractory)
                #expect(a == b)
                #expect(a.allSatisfy { $0 >= 0 && $0 <= 1 && $0.isFinite })
            }
        }
    }

    @Test("no lookahead: a score at row t does not change when rows after t change")
    func noLookahead() {
        let values = Self.series(2, count: 1_000)
        var rng = SplitMix64(seed: 99)
        for output in ContextLikelihoodDetector.Output.allCases {
            let base = ContextLikelihoodDetector.scores(values, output: output, refractory: 60)
            // Inside the probation (150 rows), at its end, right after it, and later.
            for t in [50, 149, 150, 800] {
                var changed = values
                for i in (t + 1)..<changed.count { changed[i] += Double.random(in: -8...8, using: &rng) }
                let scores = ContextLikelihoodDetector.scores(changed, output: output, refractory: 60)
                #expect(Array(scores[...t]) == Array(base[...t]), "\(output) at t = \(t)")
                #expect(scores != base)
            }
        }
    }

    /// The `context-likelihood` NAB entry.
    static var entry: NABEvaluation.Entry { NABEvaluation.entries.first { $0.name == "context-likelihood" }! }

    @Test("the NAB entry registers its one frozen candidate, and scores the series as the detector does")
    func entryCandidate() {
        let entry = Self.entry
        #expect(entry.candidates == ["likelihood, repeats silenced for 0 rows"])
        #expect(NABEvaluation.contextOutputs == [.likelihood] && NABEvaluation.contextRefractories == [0])
        let values = Self.series(6)
        let scores = entry.scores(values)
        #expect(scores.count == 1)
        #expect(scores[0] == ContextLikelihoodDetector.scores(values, output: .likelihood, refractory: 0))
        #expect(scores[0].contains { $0 > 0.5 })
    }

    @Test("no lookahead in the NAB entry's scores: rows after t changed, scores up to t unchanged")
    func entryNoLookahead() {
        // 600 rows (probation 90): the unoptimised memory costs milliseconds a row.
        let values = Self.series(7, count: 600)
        let base = Self.entry.scores(values)[0]
        #expect(base[90...].contains { $0 > 0 })
        var rng = SplitMix64(seed: 17)
        for t in [90, 450] {
            var changed = values
            for i in (t + 1)..<changed.count { changed[i] = changed[i] * 1.5 + Double.random(in: -8...8, using: &rng) }
            let scores = Self.entry.scores(changed)[0]
            #expect(Array(scores[...t]) == Array(base[...t]), "t = \(t)")
            #expect(scores != base)
        }
    }

    @Test("the one-pass grid equals separate runs of each candidate")
    func grid() {
        let values = Self.series(3, count: 900)
        let outputs = ContextLikelihoodDetector.Output.allCases, refractories = [0, 30, 240], paddings = [0, 0.5]
        let all = ContextLikelihoodDetector.scores(values, paddings: paddings, outputs: outputs, refractories: refractories)
        #expect(all.count == paddings.count * outputs.count * refractories.count)
        var k = 0
        for p in paddings {
            for o in outputs {
                for r in refractories {
                    #expect(all[k] == ContextLikelihoodDetector.scores(values, output: o, refractory: r, rangePadding: p), "\(p) \(o) \(r)")
                    k += 1
                }
            }
        }
        #expect(all[0] != all[outputs.count * refractories.count])
    }

    @Test("probation rows score 0; a spike far outside the range seen scores 1 (the spatial anomaly)")
    func spatialAnomaly() {
        let values = Self.series(4)
        let probation = ContextLikelihoodDetector.probation(rows: values.count)
        #expect(probation == 180)
        let scores = ContextLikelihoodDetector.scores(values, output: .likelihood)
        #expect(scores[..<probation].allSatisfy { $0 == 0 })
        #expect(scores[950] == 1)
        // CAD OSE's rest period: the spike's level is new to the memory, so it scores.
        let rest = ContextLikelihoodDetector.scores(values, output: .restPeriod)
        #expect(rest[950] > 0)
    }

    @Test("the rest-period output is CAD OSE's when the probation holds the file's range")
    func restPeriodMatchesCADOSE() {
        // The first 15% holds both the minimum and the maximum, so the learnt range is the file's.
        var values = Self.series(5, count: 1_000).map { min(max($0, 8), 17) }
        values[3] = 0; values[4] = 30
        let mine = ContextLikelihoodDetector.scores(values, output: .restPeriod)
        let cad = ContextOSEDetector.scores(values)
        let probation = ContextLikelihoodDetector.probation(rows: values.count)
        #expect(Array(mine[probation...]) == Array(cad[probation...]))
    }

    @Test("anomaly likelihood: 0.5 while learning, small for usual scores, near 1 after a burst")
    func likelihood() {
        var l = AnomalyLikelihood(learningPeriod: 50, estimationSamples: 150)
        var rng = SplitMix64(seed: 7)
        var out: [Double] = []
        for i in 0..<600 {
            let raw = i >= 500 && i < 510 ? 1.0 : Double.random(in: 0...0.1, using: &rng)
            out.append(l.probability(value: Double(i % 17), rawScore: raw))
        }
        #expect(out[..<200].allSatisfy { $0 == 0.5 })
        #expect(out[200..<500].max()! < 0.9999)
        let burst = out[500..<510].max()!
        #expect(burst > 0.99999)
        #expect(AnomalyLikelihood.logLikelihood(burst) > 0.5)
        #expect(abs(AnomalyLikelihood.logLikelihood(0.9999) - 0.4) < 1e-3)
        // A red-zone tail right after another one is lowered to the yellow zone.
        let red = out.indices.filter { out[$0] > 1 - AnomalyLikelihood.redZone }
        #expect(!red.isEmpty)
        #expect(out[500..<510].contains(1 - AnomalyLikelihood.yellowZone))
        // Tail probability: symmetric about the mean, NuPIC's 1.4142 for √2.
        let above = AnomalyLikelihood.tailProbability(0.7, mean: 0.5, standardDeviation: 0.1)
        let below = AnomalyLikelihood.tailProbability(0.3, mean: 0.5, standardDeviation: 0.1)
        #expect(abs(above - below) < 1e-15)
        #expect(above == 0.5 * erfc(((0.7 - 0.5) / 0.1) / 1.4142))
    }

    @Test("a flat input series gives the broad distribution: nothing is likely anomalous")
    func flatMetric() {
        var l = AnomalyLikelihood(learningPeriod: 10, estimationSamples: 50)
        var last = 0.0
        for i in 0..<200 { last = l.probability(value: 3, rawScore: i == 150 ? 1 : 0) }
        #expect(last < 0.6)
    }

    @Test("the repeat filter keeps exactly the new maxima over the previous r scores")
    func repeatFilter() {
        var rng = SplitMix64(seed: 11)
        for r in [0, 1, 5, 40] {
            let scores = (0..<500).map { _ in (Double.random(in: 0...1, using: &rng) * 8).rounded() / 8 }
            var filter = RepeatFilter(refractory: r)
            let kept = scores.map { filter.filter($0) }
            for i in scores.indices {
                let previous = scores[max(0, i - r)..<i]
                let expected = r == 0 || previous.isEmpty || scores[i] > previous.max()! ? scores[i] : 0
                #expect(kept[i] == expected, "r = \(r), row \(i)")
            }
        }
    }

    @Test("nested CV per profile: the held-out detections rescored by the scorer give each profile's nested figure",
          arguments: ["recommended", "context-likelihood"])
    func nestedDetectionsRescore(_ name: String) throws {
        var corpus = try NABCorpus(root: NABScorerTests.sharedNAB)
        // context-likelihood runs CAD OSE's memory on every file: the short ones only (unoptimised builds).
        let rows = name == "recommended" ? 5_000 : 2_000
        corpus.series = Array(corpus.series.filter { $0.values.count < rows }.prefix(name == "recommended" ? 15 : 9))
        let entry = NABEvaluation.entries.first { $0.name == name }!
        var evaluation = NABEvaluation()
        evaluation.outerFolds = 3; evaluation.innerFolds = 2
        let (result, _, nested) = evaluation.evaluate(entry, corpus: corpus)
        for profile in NABScorer.Profile.all {
            let detections = try #require(nested[profile.name])
            let files = zip(corpus.series, detections).map { s, d in
                NABScorer.File(name: s.name, scores: d, windows: s.windows.map { ($0.start, $0.end) })
            }
            let rescored = NABScorer(profile: profile).normalizedScore(files: files, threshold: 1)
            let figure = try #require(result.nestedCV[profile.name])
            #expect(abs(rescored - figure) < 1e-9, "\(profile.name): \(rescored) against \(figure)")
            #expect(result.foldCandidates[profile.name]?.count == 3)
            #expect(result.foldThresholds[profile.name]?.count == 3)
            if entry.candidates.count == 1 {
                #expect(result.foldCandidates[profile.name] == Array(repeating: entry.candidates[0], count: 3))
            }
        }
    }

    @Test("the development split is fixed, halves NAB's files, and matches files by name")
    func developmentSplit() throws {
        let corpus = try NABCorpus(root: NABScorerTests.sharedNAB)
        #expect(corpus.series.map(\.name) == NABEvaluation.developmentNames)
        let (development, heldOut) = NABEvaluation.developmentSplit(corpus)
        #expect(development.count == 29 && heldOut.count == 29)
        #expect(Set(development).isDisjoint(with: heldOut))
        var subset = corpus
        subset.series = development.map { corpus.series[$0] }
        let again = NABEvaluation.developmentSplit(subset)
        #expect(again.development == Array(0..<29) && again.heldOut.isEmpty)
    }
}
