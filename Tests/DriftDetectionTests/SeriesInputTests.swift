import DriftEvaluation
import Testing
@testable import DriftDetection

@Suite("detect --series: parameters and series files")
struct SeriesInputTests {
    @Test("parameters by River's names reach the detector")
    func parametersApply() throws {
        let stream = riverStream(seed: 2)
        func alarms(_ detector: AnyScalarDetector) -> [Int] {
            var d = detector
            return stream.enumerated().compactMap { d.update($1).alarm ? $0 : nil }
        }
        let parameters = try ScalarDetectors.parse(["delta=0.05", "clock=1", "grace-period=20"])
        #expect(parameters == ["delta": "0.05", "clock": "1", "grace_period": "20"])
        var expected = ADWIN(delta: 0.05, clock: 1, gracePeriod: 20)
        #expect(alarms(try ScalarDetectors.make("adwin", parameters: parameters))
                == stream.enumerated().compactMap { expected.update($1).alarm ? $0 : nil })
        #expect(try ScalarDetectors.make("page-hinkley", parameters: ["lambda": "10"]).name == "page-hinkley")
        var pageHinkley = PageHinkley(threshold: 10)
        #expect(alarms(try ScalarDetectors.make("page-hinkley", parameters: ["lambda": "10"]))
                == stream.enumerated().compactMap { pageHinkley.update($1).alarm ? $0 : nil })
        var kswin = KSWIN(windowSize: 60, statSize: 20, seed: 9, generator: .splitMix64)
        #expect(alarms(try ScalarDetectors.make("kswin", parameters: ["window": "60", "stat_size": "20", "seed": "9", "generator": "splitmix64"]))
                == stream.enumerated().compactMap { kswin.update($1).alarm ? $0 : nil })
    }

    @Test("unknown names and bad values are refused with one clear line")
    func refused() {
        #expect(throws: DetectorParameterError.unknownParameter(detector: "adwin", name: "delt",
                                                               known: ["delta", "clock", "max_buckets", "min_window_length", "grace_period"],
                                                               suggestion: "delta")) {
            try ScalarDetectors.make("adwin", parameters: ["delt": "0.1"])
        }
        #expect(throws: DetectorParameterError.invalidValue(detector: "adwin", name: "delta", value: "2", requirement: "a number in (0, 1)")) {
            try ScalarDetectors.make("adwin", parameters: ["delta": "2"])
        }
        #expect(throws: DetectorParameterError.self) { try ScalarDetectors.make("kswin", parameters: ["stat_size": "100"]) }
        #expect(throws: DetectorParameterError.self) { try ScalarDetectors.make("page-hinkley", parameters: ["mode": "sideways"]) }
        #expect(throws: DetectorParameterError.self) { try ScalarDetectors.make("eddm", parameters: ["beta": "0.99"]) }
        #expect(throws: DetectorParameterError.malformed("delta")) { try ScalarDetectors.parse(["delta"]) }
        #expect(throws: DetectorCatalogue.Error.invalidParameter(.notConfigurable(detector: "recommended"))) {
            try DetectorCatalogue.make("recommended", parameters: ["delta": "0.1"])
        }
        let message = DetectorParameterError.invalidValue(detector: "adwin", name: "clock", value: "x", requirement: "an integer ≥ 1").description
        #expect(!message.contains("\n"))
    }

    @Test("series files: a bare column, a header, NAB's timestamp,value; indices count data rows from 0")
    func layouts() throws {
        #expect(try SeriesFile.parse("1\n2.5\n\n-3e2\n", path: "f") == SeriesFile(values: [1, 2.5, -300], timestamps: nil))
        #expect(try SeriesFile.parse("value\r\n1\r\n2\r\n", path: "f") == SeriesFile(values: [1, 2], timestamps: nil))
        #expect(try SeriesFile.parse("timestamp,value\n2014-04-01 00:00:00,3\n2014-04-01 00:05:00,\"4\"\n", path: "f")
                == SeriesFile(values: [3, 4], timestamps: ["2014-04-01 00:00:00", "2014-04-01 00:05:00"]))
        #expect(try SeriesFile.parse("value,timestamp\n3,t0\n", path: "f") == SeriesFile(values: [3], timestamps: ["t0"]))
        #expect(try SeriesFile.parse("t0,3\nt1,4\n", path: "f") == SeriesFile(values: [3, 4], timestamps: ["t0", "t1"]))
    }

    @Test("bad series files name the file and the line")
    func badFiles() {
        #expect(throws: SeriesFile.Error.notANumber(path: "s.csv", line: 3, field: "abc")) {
            try SeriesFile.parse("value\n1\nabc\n", path: "s.csv")
        }
        #expect(throws: SeriesFile.Error.notANumber(path: "s.csv", line: 2, field: "nan")) {
            try SeriesFile.parse("1\nnan\n", path: "s.csv")
        }
        #expect(throws: SeriesFile.Error.columns(path: "s.csv", line: 3, found: 1, expected: "2 (timestamp and value)")) {
            try SeriesFile.parse("timestamp,value\nt,1\n2\n", path: "s.csv")
        }
        #expect(throws: SeriesFile.Error.empty(path: "s.csv")) { try SeriesFile.parse("value\n", path: "s.csv") }
        #expect(throws: SeriesFile.Error.unreadable(path: "/nonexistent/s.csv", reason: "no such file")) {
            try SeriesFile.load("/nonexistent/s.csv")
        }
        #expect(SeriesFile.Error.notANumber(path: "s.csv", line: 3, field: "abc").description == "s.csv:3: value 'abc' is not a finite number")
    }
}
