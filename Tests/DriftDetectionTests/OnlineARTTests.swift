import Foundation
import Testing
@testable import DriftDetection
@testable import DriftEvaluation
import MonitorNumerics

/// ARTime without lookahead (``OnlineARTDetector``) and its NAB entry.
@Suite("Online ART NAB detector")
struct OnlineARTTests {
    /// A daily-like cycle with noise, a level shift and a spike far above the range.
    static func series(_ seed: UInt64, count: Int = 2_000) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { i in
            var v = 10 + 3 * sin(Double(i) * 2 * .pi / 48) + Double.random(in: -0.5...0.5, using: &rng)
            if i > 1_200 { v += 2 }
            if i == 1_600 { v += 40 }
            return v
        }
    }

    @Test("the same series gives the same scores, each in [0, 1], for every setting")
    func determinism() {
        let values = Self.series(1)
        for (padding, tolerance) in [(0.0, nil), (0, 0.05), (0.25, 0.05)] as [(Double, Double?)] {
            let a = OnlineARTDetector.scores(values, rangePadding: padding, spatialTolerance: tolerance)
            let b = OnlineARTDetector.scores(values, rangePadding: padding, spatialTolerance: tolerance)
            #expect(a == b)
            #expect(a.count == values.count)
            #expect(a.allSatisfy { $0 >= 0 && $0 <= 1 && $0.isFinite })
            #expect(a.contains { $0 > 0 }, "\(padding) \(String(describing: tolerance)): nothing scored")
        }
    }

    @Test("no lookahead: a score at row t does not change when rows after t change")
    func noLookahead() {
        let values = Self.series(2)
        let probation = OnlineARTDetector(rows: values.count).probation
        #expect(probation == 300)
        var rng = SplitMix64(seed: 99)
        for tolerance in [nil, 0.05] as [Double?] {
            let base = OnlineARTDetector.scores(values, spatialTolerance: tolerance)
            // Inside the probation, at its last row, right after it, and later.
            for t in [100, probation - 1, probation, 1_400] {
                var changed = values
                for i in (t + 1)..<changed.count { changed[i] += Double.random(in: -6...6, using: &rng) }
                let scores = OnlineARTDetector.scores(changed, spatialTolerance: tolerance)
                #expect(Array(scores[...t]) == Array(base[...t]), "\(String(describing: tolerance)) at t = \(t)")
                #expect(scores != base)
            }
        }
    }

    @Test("with the file's range in the probation and no spatial rule, the scores are ARTime's")
    func equalsARTimeWithTheFilesRange() {
        // The first rows hold both the minimum and the maximum, so the learnt range is the file's.
        var values = Self.series(3).map { min(max($0, 7), 14) }
        values[5] = 0; values[6] = 20
        let online = OnlineARTDetector.scores(values, rangePadding: 0, spatialTolerance: nil)
        let port = ARTimeDetector.scores(values)
        #expect(online == port)
        #expect(port.contains { $0 > 0 })
        // The range learnt from the probation alone differs: so do the scores.
        let unclamped = Self.series(3)
        #expect(OnlineARTDetector.scores(unclamped, rangePadding: 0, spatialTolerance: nil) != ARTimeDetector.scores(unclamped))
        // So does a padded range.
        #expect(OnlineARTDetector.scores(values, spatialTolerance: nil) != port)
    }

    @Test("probation rows score 0; a spike far outside the range seen scores 1 (the spatial anomaly)")
    func spatialAnomaly() {
        let values = Self.series(4)
        let scores = OnlineARTDetector.scores(values)
        #expect(scores[..<300].allSatisfy { $0 == 0 })
        #expect(scores[1_600] == 1)
        // Without the rule, the spike is scored by ARTime alone (clamped to the top level).
        #expect(OnlineARTDetector.scores(values, spatialTolerance: nil)[1_600] < 1)
    }

    @Test("a series shorter than ARTime needs (94 rows) scores 0 everywhere, without a crash")
    func shortSeries() {
        for count in [0, 1, 2, 13, 14, 50, 93] {
            let values = Self.series(5, count: count).enumerated().map { $0.offset == count / 2 ? 1e6 : $0.element }
            #expect(!OnlineARTDetector(rows: count).isSupported)
            #expect(OnlineARTDetector.scores(values) == [Double](repeating: 0, count: count), "\(count) rows")
        }
        #expect(OnlineARTDetector(rows: 94).isSupported)
        let edge = OnlineARTDetector.scores(Self.series(5, count: 94))
        #expect(edge.count == 94 && edge.allSatisfy { $0 >= 0 && $0 <= 1 })
        // Constant and non-finite series do not crash either.
        #expect(OnlineARTDetector.scores([Double](repeating: 3, count: 500)).allSatisfy { $0 == 0 })
        var holes = Self.series(6, count: 500)
        holes[200] = .nan; holes[300] = .infinity
        #expect(OnlineARTDetector.scores(holes).count == 500)
    }

    @Test("its NAB entry is registered and scores with the detector")
    func registered() throws {
        let entry = try #require(NABEvaluation.entries.first { $0.name == "online-art" })
        #expect(entry.published == nil)
        #expect(entry.candidates.count == 1)
        let values = Self.series(7)
        #expect(entry.scores(values) == [OnlineARTDetector.scores(values)])
    }
}
