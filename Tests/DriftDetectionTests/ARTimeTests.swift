import Foundation
import Testing
@testable import DriftDetection
@testable import DriftEvaluation
import Monitoring

/// The ARTime port against NAB's stored ARTime results and Wavelets.jl's Haar
/// transform: `Tests/nab-generator/generate_artime_fixture.py` writes
/// `Fixtures/artime.json` from a NAB checkout (its `results/ARTime` rows) and
/// from two independent computations of the transform.
@Suite("ARTime port")
struct ARTimeTests {
    static func fixture() throws -> JSONValue {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/artime.json")
        return try JSONParser.parse(String(decoding: try Data(contentsOf: url), as: UTF8.self))
    }

    static func values(_ name: String) throws -> [Double] {
        let url = NABScorerTests.sharedNAB.appendingPathComponent("data").appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().compactMap { Double($0.split(separator: ",")[1]) }
    }

    @Test("every row of three NAB files equals NAB's stored ARTime score")
    func storedResults() throws {
        guard case .object(let files)? = try Self.fixture()["files"] else { Issue.record("no files in the fixture"); return }
        #expect(files.members.count == 3)
        for member in files.members {
            let values = try Self.values(member.key)
            var expected = [Double](repeating: 0, count: Int(member.value["rows"]?.doubleValue ?? -1))
            guard case .array(let nonzero)? = member.value["nonzero"] else { Issue.record("\(member.key): no rows"); continue }
            for pair in nonzero {
                guard case .array(let p) = pair, let i = p[0].doubleValue, let s = p[1].doubleValue else { continue }
                expected[Int(i)] = s
            }
            #expect(nonzero.count > 0)
            let scores = ARTimeDetector.scores(values)
            #expect(scores.count == expected.count)
            let differing = zip(scores, expected).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
            #expect(differing.isEmpty, "\(member.key): \(differing.count) rows differ, first \(differing.prefix(5).map { ($0, scores[$0], expected[$0]) })")
        }
    }

    @Test("the Haar transform is Wavelets.jl's, bit for bit, and NumPy's to 1e-15")
    func haar() throws {
        #expect(HaarWavelet.coefficient == 0.7071067811865476)
        #expect(HaarWavelet.transform([1, 0, 0, 0, 0, 0, 0, 0])
            == [0.35355339059327384, -0.35355339059327384, -0.5000000000000001, 0, -0.7071067811865476, 0, 0, 0])
        guard case .array(let cases)? = try Self.fixture()["haar"] else { Issue.record("no Haar cases"); return }
        #expect(cases.count >= 10)
        for c in cases {
            guard case .array(let x)? = c["x"], case .array(let exact)? = c["wavelets_jl"], case .array(let numpy)? = c["numpy"]
            else { Issue.record("malformed case"); continue }
            let mine = HaarWavelet.transform(x.compactMap(\.doubleValue))
            #expect(mine == exact.compactMap(\.doubleValue))
            for (a, b) in zip(mine, numpy.compactMap(\.doubleValue)) { #expect(abs(a - b) <= 1e-15 * max(1, abs(b))) }
        }
    }

    @Test("Julia's reductions: asum's lane order from 32 elements, sums in order below")
    func reductions() {
        // 1 followed by 31 × 2⁻⁵³: summed in order each 2⁻⁵³ vanishes (1 + 2⁻⁵³ rounds to 1);
        // in asum's lanes the 2⁻⁵³ of lanes and accumulators meet first: lane 0 is
        // ((1 + 4·2⁻⁵³) + 4·2⁻⁵³) + 4·2⁻⁵³ (x[0]'s accumulator keeps 1), lane 1 is 16·2⁻⁵³.
        var x = [Double](repeating: 0x1p-53, count: 32)
        x[0] = 1
        #expect(JuliaArithmetic.absoluteSum(x[..<31]) == 1)
        #expect(JuliaArithmetic.absoluteSum(x[...]) == 1 + 0x1.cp-49)
        #expect(JuliaArithmetic.absoluteSum((x + [0x1p-53])[...]) == 1 + 0x1.cp-49)   // the tail is added last
        #expect(JuliaArithmetic.norm2([3, 4][...]) == 5)
        #expect(JuliaArithmetic.norm2([0, 0][...]) == 0)
        #expect(JuliaArithmetic.mean([1, 2, 3, 4][...]) == 2.5)
    }

    @Test("deterministic, no lookahead beyond NAB's range and length, and nothing crashes")
    func determinismAndEdges() throws {
        let values = try Self.values("realTraffic/speed_7578.csv")
        #expect(ARTimeDetector.scores(values) == ARTimeDetector.scores(values))
        // Given the file's range and length, a score at row t depends on rows 0…t only.
        let lo = values.min()!, hi = values.max()!
        var changed = values
        for i in 800..<changed.count { changed[i] = lo + (hi - lo) * Double(i % 7) / 6 }
        var a = ARTimeDetector(minimum: lo, maximum: hi, rows: values.count)
        var b = ARTimeDetector(minimum: lo, maximum: hi, rows: values.count)
        let sa = values.map { a.update($0) }, sb = changed.map { b.update($0) }
        #expect(Array(sa[..<800]) == Array(sb[..<800]))
        #expect(sa != sb)
        // Short, constant, out-of-range and non-finite input.
        #expect(ARTimeDetector.scores([]) == [])
        #expect(ARTimeDetector.scores([1, 2, 3]) == [0, 0, 0])
        #expect(ARTimeDetector(minimum: 0, maximum: 1, rows: 50).isSupported == false)
        #expect(ARTimeDetector(minimum: 0, maximum: 1, rows: 93).isSupported == false)
        #expect(ARTimeDetector(minimum: 0, maximum: 1, rows: 94).isSupported && ARTimeDetector(minimum: 0, maximum: 1, rows: 94).trendWindow == 14)
        for rows in [94, 95, 100, 107, 150] {
            let series = (0..<rows).map { Double(($0 * 37) % 11) + ($0 == rows - 5 ? 40 : 0) }
            let scores = ARTimeDetector.scores(series)
            #expect(scores.count == rows && scores.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        }
        #expect(ARTimeDetector.scores([Double](repeating: 5, count: 2_000)).allSatisfy { $0 == 0 })
        var d = ARTimeDetector(minimum: 0, maximum: 1, rows: 1_000)
        for i in 0..<1_000 {
            let v: Double = i % 97 == 0 ? .nan : i % 89 == 0 ? 1e300 : i % 83 == 0 ? -.infinity : Double(i % 13) / 13
            let s = d.update(v)
            #expect(s.isFinite && s >= 0 && s <= 1)
        }
    }

    @Test("scores lie in [0, 1] with 6 decimals, only on downsampled rows after the probation")
    func scoreShape() throws {
        let values = try Self.values("realKnownCause/nyc_taxi.csv")
        let detector = ARTimeDetector(minimum: values.min()!, maximum: values.max()!, rows: values.count)
        #expect(detector.probationaryPeriod == 750 && detector.step == 7 && detector.trendWindow == 107)
        let scores = ARTimeDetector.scores(values)
        for (i, s) in scores.enumerated() where s != 0 {
            #expect(s > 0 && s <= 1)
            #expect((s * 1e6).rounded() / 1e6 == s)
            #expect((i + 1) % detector.step == 0 && (i + 1) / detector.step > detector.trendWindow)
        }
    }

    @Test("through DriftLab's NAB scorer the port scores NAB's published ARTime figures, and within 1.0 nested")
    func publishedFigures() throws {
        let corpus = try NABCorpus(root: NABScorerTests.sharedNAB)
        let entry = NABEvaluation.entries.first { $0.name == "artime" }!
        let (result, _, _) = NABEvaluation().evaluate(entry, corpus: corpus)
        // NAB's results/final_results.json, "ARTime".
        #expect(abs(result.inSample["standard"]! - 74.85377223215792) < 1e-9, "scored \(result.inSample["standard"]!)")
        #expect(abs(result.inSample["reward_low_FP_rate"]! - 65.15400017974811) < 1e-9)
        #expect(abs(result.inSample["reward_low_FN_rate"]! - 80.36228493638114) < 1e-9)
        // NAB's config/thresholds.json: 0.317486 (standard, low FN), 0.317585 (low FP).
        #expect(result.thresholds["standard"] == 0.317486 && result.thresholds["reward_low_FP_rate"] == 0.317585)
        #expect(abs(result.nestedCV["standard"]! - 74.85377223215792) <= 1.0)
    }
}
