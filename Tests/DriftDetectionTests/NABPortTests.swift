import Foundation
import Testing
@testable import DriftDetection
@testable import DriftEvaluation
import Monitoring

/// The ports against NAB's own code: `Tests/nab-generator/generate_nab_expectations.py`
/// runs NAB's detectors (Python 3) on two short NAB files and stores their
/// scores at NAB's 12 significant digits.
@Suite("NAB detector ports")
struct NABPortTests {
    struct Expected {
        var rows: Int
        var scores: [String: [Double]]
    }

    static func load() throws -> [(name: String, values: [Double], expected: Expected)] {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/nab_ports.json")
        let json = try JSONParser.parse(String(decoding: try Data(contentsOf: url), as: UTF8.self))
        guard case .object(let files)? = json["files"] else { return [] }
        return try files.members.map { member in
            let corpus = NABScorerTests.sharedNAB.appendingPathComponent("data").appendingPathComponent(member.key)
            let text = try String(contentsOf: corpus, encoding: .utf8)
            let values = text.split(whereSeparator: \.isNewline).dropFirst().compactMap { Double($0.split(separator: ",")[1]) }
            var scores: [String: [Double]] = [:]
            for key in ["cad-ose", "knncad", "relative-entropy"] {
                guard case .array(let a)? = member.value[key] else { continue }
                scores[key] = a.compactMap(\.doubleValue)
            }
            return (member.key, values, Expected(rows: Int(member.value["rows"]?.doubleValue ?? 0), scores: scores))
        }
    }

    func check(_ key: String, _ run: ([Double]) -> [Double]) throws {
        let files = try Self.load()
        #expect(files.count == 2)
        for file in files {
            let mine = run(file.values).map(NABScorer.resultsRounded)
            let expected = file.expected.scores[key]!
            #expect(mine.count == file.expected.rows)
            let differing = zip(mine, expected).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
            #expect(differing.isEmpty, "\(key) on \(file.name): \(differing.count) rows differ, first \(differing.prefix(5))")
        }
    }

    @Test("relative entropy matches NAB's code row for row")
    func relativeEntropy() throws {
        #expect(abs(RelativeEntropyDetector.chiSquareUpperQuantile(0.01, degreesOfFreedom: 4) - 13.276704135987622) < 1e-9)
        try check("relative-entropy", RelativeEntropyDetector.scores)
    }

    @Test("KNN CAD matches NAB's code row for row")
    func knncad() throws { try check("knncad", KNNCADDetector.scores) }

    @Test("CAD OSE matches NAB's code (under Python 3) row for row")
    func contextOSE() throws {
        // CPython 3: hash((1, 2, 3)) == 529344067295497451, hash(()) == 5740354900026072187.
        #expect(ContextOSEDetector.tupleHash([1, 2, 3]) == 529_344_067_295_497_451)
        #expect(ContextOSEDetector.tupleHash([]) == 5_740_354_900_026_072_187)
        #expect(ContextOSEDetector.tupleHash([(1 << 31) + 5, 0, 3]) == -5_932_015_851_522_254_416)
        try check("cad-ose", ContextOSEDetector.scores)
    }
}
