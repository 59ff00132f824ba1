import MonitorNumerics
import Foundation
import Testing
@testable import DriftDetection

/// River's documentation example: 1,000 draws from {0, 1} then 1,000 from {4, …, 7}.
func riverStream(seed: UInt64) -> [Double] {
    var rng = SplitMix64(seed: seed)
    return (0..<1_000).map { _ in Double(rng.next() % 2) } + (0..<1_000).map { _ in Double(4 + rng.next() % 4) }
}

func firstAlarm<D: StreamingDetector>(_ detector: D, _ values: [Double]) -> Int? where D.Input == Double {
    var d = detector
    for (i, x) in values.enumerated() where d.update(x).alarm { return i }
    return nil
}

@Suite("Streaming detectors")
struct DetectorTests {
    func alarms<D: StreamingDetector>(_ detector: D, _ values: [Double]) -> [Int] where D.Input == Double {
        var d = detector
        return values.enumerated().compactMap { d.update($1).alarm ? $0 : nil }
    }

    // River's own alarm indices (its documented examples included) are checked in RiverFixtureTests.

    @Test("ADWIN finds River's mean shift at index 1000 shortly after, and nothing before", arguments: [1, 2, 3, 12345] as [UInt64])
    func adwin(seed: UInt64) throws {
        let index = try #require(firstAlarm(ADWIN(), riverStream(seed: seed)))
        #expect((1_000..<1_100).contains(index), "alarm at \(index)")
    }

    @Test("Page–Hinkley finds the same shift shortly after index 1000", arguments: [1, 2, 3] as [UInt64])
    func pageHinkley(seed: UInt64) throws {
        let index = try #require(firstAlarm(PageHinkley(), riverStream(seed: seed)))
        #expect((1_000..<1_050).contains(index), "alarm at \(index)")
    }

    @Test("ADWIN keeps its whole window on a stationary stream")
    func adwinStationary() {
        var rng = SplitMix64(seed: 9)
        var adwin = ADWIN()
        var alarms = 0
        for _ in 0..<20_000 where adwin.update(Double(rng.next() % 2)).alarm { alarms += 1 }
        #expect(alarms == 0)
        #expect(adwin.width == 20_000)
        #expect(abs(adwin.mean - 0.5) < 0.02)
    }

    @Test("KSWIN at River's documented alpha (0.0001) finds the shift shortly after it, and nothing before",
          arguments: [5, 6, 7] as [UInt64])
    func kswin(seed: UInt64) throws {
        // At the default alpha (0.005) River's KSWIN, testing at every input, raises false
        // alarms on a stationary 0/1 stream now and then; so does DriftLab's, identically.
        let index = try #require(firstAlarm(KSWIN(alpha: 0.0001, seed: seed), riverStream(seed: seed)))
        #expect((1_000..<1_100).contains(index), "alarm at \(index)")
    }

    @Test("KSWIN's generators: Python's by default, SplitMix64 on request; both seeded and reproducible")
    func kswinGenerators() {
        let stream = riverStream(seed: 8)
        #expect(alarms(KSWIN(seed: 3), stream) == alarms(KSWIN(seed: 3, generator: .python), stream))
        #expect(alarms(KSWIN(seed: 3, generator: .splitMix64), stream) == alarms(KSWIN(seed: 3, generator: .splitMix64), stream))
        #expect(!alarms(KSWIN(alpha: 0.0001, seed: 3, generator: .splitMix64), stream).isEmpty)
    }

    @Test("ADWIN, Page–Hinkley, KSWIN, DDM and EDDM start afresh after a drift, as River's do")
    func resetAfterDrift() {
        // After an alarm the next input is the first of a new run: feeding the rest of the
        // stream to a fresh detector gives the same later alarms.
        let stream = riverStream(seed: 4) + riverStream(seed: 9)
        func check<D: StreamingDetector>(_ make: () -> D) where D.Input == Double {
            let all = alarms(make(), stream)
            guard let first = all.first else { Issue.record("no alarm"); return }
            let rest = alarms(make(), Array(stream[(first + 1)...])).map { $0 + first + 1 }
            #expect(Array(all.dropFirst()) == rest)
        }
        check { ADWIN() }
        check { PageHinkley() }
        check { KSWIN(alpha: 0.0001, seed: 1) }
        let errors = stream.map { $0 >= 4 ? 1.0 : 0.0 }
        for detector in [AnyScalarDetector(DDM()), AnyScalarDetector(EDDM())] {
            var d = detector
            let all = errors.enumerated().compactMap { d.update($1).alarm ? $0 : nil }
            if let first = all.first {
                var fresh = detector
                let rest = errors[(first + 1)...].enumerated().compactMap { fresh.update($1).alarm ? $0 + first + 1 : nil }
                #expect(Array(all.dropFirst()) == rest, "\(detector.name)")
            }
        }
    }

    @Test("CUSUM and the EWMA chart alarm within a few inputs of the shift")
    func controlCharts() {
        // With their textbook limits (in-control run lengths of a few hundred) they may also
        // alarm before the shift on a 0/1 stream; what matters is that the shift is seen at once.
        func alarms<D: StreamingDetector>(_ detector: D) -> [Int] where D.Input == Double {
            var d = detector
            return riverStream(seed: 5).enumerated().compactMap { d.update($1).alarm ? $0 : nil }
        }
        for indices in [alarms(CUSUM()), alarms(EWMAChart())] {
            #expect(indices.contains { (1_000..<1_010).contains($0) }, "alarms at \(indices.prefix(10))")
        }
    }

    @Test("the windowed Gaussian scores as NAB's: 1 − Q(|z|)")
    func windowedGaussian() {
        var detector = WindowedGaussian(windowSize: 4, stepSize: 2)
        _ = detector.update(1); _ = detector.update(3)  // window [1, 3]: mean 2, std 1
        let score = detector.update(4).score  // z = 2
        #expect(abs(score - (1 - 0.5 * erfc(2 / 2.0.squareRoot()))) < 1e-15)
    }
}

@Suite("Exact two-sample Kolmogorov–Smirnov p-values")
struct KolmogorovSmirnovTests {
    /// P(D ≥ d) by enumerating every way to interleave n and m ranks.
    func bruteForce(_ d: Double, _ n: Int, _ m: Int) -> Double {
        var total = 0, atLeast = 0
        func visit(_ i: Int, _ j: Int, _ maxGap: Double) {
            if i == n && j == m {
                total += 1
                if maxGap >= d - 1e-12 { atLeast += 1 }
                return
            }
            if i < n { visit(i + 1, j, max(maxGap, abs(Double(i + 1) / Double(n) - Double(j) / Double(m)))) }
            if j < m { visit(i, j + 1, max(maxGap, abs(Double(i) / Double(n) - Double(j + 1) / Double(m)))) }
        }
        visit(0, 0, 0)
        return Double(atLeast) / Double(total)
    }

    @Test("lattice-path counting equals enumeration", arguments: [(4, 5), (5, 5), (3, 7), (6, 6)])
    func matchesEnumeration(n: Int, m: Int) {
        for k in 1...(n * m) {
            let d = Double(k) / Double(n * m)
            #expect(abs(KolmogorovSmirnov.exactPValue(d, n, m) - bruteForce(d, n, m)) < 1e-12, "d = \(d)")
        }
    }

    @Test("known values: n = m = 5, D = 1 gives 2/252")
    func knownValue() {
        #expect(abs(KolmogorovSmirnov.exactPValue(1, 5, 5) - 2.0 / 252) < 1e-13)
        #expect(KolmogorovSmirnov.statistic([1, 2, 3], [4, 5, 6]) == 1)
        #expect(KolmogorovSmirnov.statistic([1, 2, 3], [1, 2, 3]) == 0)
    }
}

@Suite("PSI, Jensen–Shannon and chi-square")
struct DistributionTests {
    @Test("hand-computed values")
    func handComputed() {
        // PSI([50, 50] → [80, 20]) = 0.3 ln 1.6 + 0.3 ln 2.5
        #expect(abs(DistributionDistance.psi(reference: [50, 50], current: [80, 20]) - (0.3 * log(1.6) + 0.3 * log(2.5))) < 1e-12)
        #expect(DistributionDistance.psi(reference: [10, 30], current: [20, 60]) == 0)
        #expect(abs(DistributionDistance.jensenShannon(reference: [1, 0], current: [0, 1]) - 1) < 1e-15)
        #expect(DistributionDistance.jensenShannon(reference: [3, 1], current: [6, 2]) == 0)
        // JS([1/2, 1/2], [1, 0]) = ½·(½ log2(2/3) + ½ log2(2)) + ½ log2(4/3)
        let js = 0.5 * (0.5 * log2(0.5 / 0.75) + 0.5 * log2(0.5 / 0.25)) + 0.5 * log2(1 / 0.75)
        #expect(abs(DistributionDistance.jensenShannon(reference: [1, 1], current: [1, 0]) - js) < 1e-15)
        let chi = DistributionDistance.chiSquare(reference: [50, 50], current: [60, 40])
        #expect(chi.statistic == 4 && chi.degreesOfFreedom == 1)
        #expect(abs(chi.pValue - 0.04550026389635842) < 1e-12)  // scipy.stats.chi2.sf(4, 1)
    }

    @Test("special functions against known values")
    func specialFunctions() {
        #expect(abs(SpecialFunctions.chiSquareSurvival(5.991464547107979, degreesOfFreedom: 2) - 0.05) < 1e-12)
        #expect(abs(SpecialFunctions.normalQuantile(0.975) - 1.959963984540054) < 1e-8)
        #expect(abs(SpecialFunctions.normalQuantile(0.001) + 3.090232306167813) < 1e-7)
        #expect(SpecialFunctions.poissonZ(observed: 0, expected: 0.3) < 0)
        #expect(SpecialFunctions.poissonZ(observed: 5, expected: 0.3) > 4)
    }
}
