import Foundation
import MonitorNumerics
import Testing
@testable import DriftDetection

/// `Fixtures/river_alarms.json`, written by River 0.26.1, scipy and CPython themselves
/// (Tests/differential/generate_river_fixtures.py): every expected value here comes from them.
struct RiverFixture: Decodable {
    struct Run: Decodable {
        var detector: String
        var params: [String: String]
        var length: Int
        var alarms: [Int]
    }
    struct Stream: Decodable {
        var name: String
        var values: [Double]
        var runs: [Run]
    }
    struct Sample: Decodable {
        var population: Int
        var k: Int
        var sample: [Int]
    }
    struct PythonDraws: Decodable {
        var seed: UInt64
        var samples: [Sample]
        var getrandbits: [String]
        var random: [Double]
    }
    struct KSCase: Decodable {
        var a: [Double]
        var b: [Double]
        var statistic: Double
        var pvalue: Double
    }
    var river: String
    var streams: [Stream]
    var python_random: [PythonDraws]
    var ks_2samp: [KSCase]

    static let shared: RiverFixture = {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/river_alarms.json")
        // A missing or malformed fixture is a test failure: make it loud.
        return try! JSONDecoder().decode(RiverFixture.self, from: Data(contentsOf: url))
    }()

    static var runs: [(stream: String, run: Run)] {
        shared.streams.flatMap { stream in stream.runs.map { (stream.name, $0) } }
    }
}

@Suite("River's alarm indices, from River itself")
struct RiverFixtureTests {
    @Test("the fixture holds a dozen streams, River's documented example first")
    func fixtureShape() {
        let fixture = RiverFixture.shared
        #expect(fixture.streams.count >= 12)
        #expect(fixture.streams.first?.name == "river-docs")
        #expect(Set(RiverFixture.runs.map(\.run.detector)) == ["adwin", "page-hinkley", "kswin", "ddm", "eddm"])
    }

    @Test("every detector alarms where River's does", arguments: RiverFixture.runs.indices)
    func sameAlarms(index: Int) throws {
        let (stream, run) = RiverFixture.runs[index]
        let values = RiverFixture.shared.streams.first { $0.name == stream }!.values.prefix(run.length)
        var detector = try ScalarDetectors.make(run.detector, parameters: run.params)
        let alarms = values.enumerated().compactMap { detector.update($1).alarm ? $0 : nil }
        #expect(alarms == run.alarms, "\(stream) \(run.detector) \(run.params)")
    }

    @Test("River's documented examples: the indices River itself prints")
    func documentedExamples() throws {
        let docs = try #require(RiverFixture.shared.streams.first { $0.name == "river-docs" })
        func run(_ name: String) -> [Int] { docs.runs.first { $0.detector == name }!.alarms }
        var adwin = ADWIN(), pageHinkley = PageHinkley(), kswin = KSWIN(alpha: 0.0001, seed: 42)
        #expect(docs.values.enumerated().compactMap { adwin.update($1).alarm ? $0 : nil } == run("adwin"))
        #expect(docs.values.enumerated().compactMap { pageHinkley.update($1).alarm ? $0 : nil } == run("page-hinkley"))
        #expect(docs.values.enumerated().compactMap { kswin.update($1).alarm ? $0 : nil } == run("kswin"))
    }

    @Test("PythonRandom draws what random.Random(seed) draws")
    func pythonRandom() {
        for draws in RiverFixture.shared.python_random {
            for sample in draws.samples {
                var rng = PythonRandom(seed: draws.seed)
                #expect(rng.sample(populationCount: sample.population, sample.k) == sample.sample,
                        "seed \(draws.seed), sample(range(\(sample.population)), \(sample.k))")
            }
            var rng = PythonRandom(seed: draws.seed)
            let bits = [32, 1, 7, 0, 53, 64].map { rng.getrandbits($0) }
            #expect(bits.map { String($0) } == draws.getrandbits, "seed \(draws.seed)")
            rng = PythonRandom(seed: draws.seed)
            #expect((0..<3).map { _ in rng.random() } == draws.random, "seed \(draws.seed)")
        }
    }

    @Test("ks_2samp: scipy's statistic exactly; its p-value exactly for equal sizes, to 1e-12 otherwise")
    func ksTwoSample() {
        for (i, c) in RiverFixture.shared.ks_2samp.enumerated() {
            let result = KolmogorovSmirnov.scipyTwoSample(c.a, c.b)
            #expect(result.statistic == c.statistic, "case \(i)")
            // The lattice-path count (DriftLab's earlier exact p-value) agrees up to rounding.
            let lattice = KolmogorovSmirnov.exactPValue(c.statistic, c.a.count, c.b.count)
            #expect(abs(lattice - c.pvalue) <= 1e-12 * max(1, c.pvalue) || (c.statistic == 0 && lattice == 1), "case \(i): lattice \(lattice) against \(c.pvalue)")
            if c.a.count == c.b.count {
                #expect(result.pValue == c.pvalue, "case \(i): \(result.pValue) against scipy's \(c.pvalue)")
            } else {
                #expect(abs(result.pValue - c.pvalue) <= 1e-12 * max(1, c.pvalue), "case \(i): \(result.pValue) against \(c.pvalue)")
            }
        }
    }
}
