import Testing
import MonitorNumerics
@testable import Monitoring

@Suite("Timestamps as Python's datetime reads and writes them")
struct LocalTimestampTests {
    @Test("fromisoformat forms", arguments: [
        ("2026-11-29T10:00:00", "2026-11-29T10:00:00"),
        ("2026-11-29T10:00:00.1", "2026-11-29T10:00:00.100000"),
        ("2026-11-29T10:00:00.1234567", "2026-11-29T10:00:00.123456"),
        ("2026-11-29 10:00", "2026-11-29T10:00:00"),
        ("2026-11-29T10", "2026-11-29T10:00:00"),
        ("2026-11-29", "2026-11-29T00:00:00"),
        ("20261129T100000", "2026-11-29T10:00:00"),
        ("2026-11-29x10:00:00", "2026-11-29T10:00:00"),
        ("2026-W48-7", "2026-11-29T00:00:00"),
        ("2026-W48", "2026-11-23T00:00:00"),
        ("2026-11-29T10:00:00,5", "2026-11-29T10:00:00.500000"),
        ("2026-11-29T1000", "2026-11-29T10:00:00"),
        ("2026-11-29\u{e9}10:00", "2026-11-29T10:00:00"),
        ("2024-02-29T23:59:59.999999", "2024-02-29T23:59:59.999999"),
        ("0001-01-01T00:00:00", "0001-01-01T00:00:00"),
    ])
    func accepted(text: String, isoformat: String) {
        #expect(LocalTimestamp(isoformat: text)?.isoformat == isoformat)
    }

    @Test("what Python rejects, or cannot compare with a naive clock", arguments: [
        "2026-11-29T10:00:60", "2026-11-29T24:00:00", "2026-11-29T10:00:00.", "2026-11-29T10:0000",
        "2026-1129", "2026-11-29T10:00:00 ", "2026-11-29T10:00:00Z", "2026-11-29T10:00:00+01:00",
        "2026-02-29", "yesterday", "", "2026-13-01",
    ])
    func rejected(text: String) {
        #expect(LocalTimestamp(isoformat: text) == nil)
    }

    @Test("hour of day and arithmetic")
    func arithmetic() {
        let t = LocalTimestamp(isoformat: "2026-11-29T00:04:59.5")!
        #expect(t.hour == 0)
        #expect(t.adding(microseconds: -5 * LocalTimestamp.microsecondsPerMinute).isoformat == "2026-11-28T23:59:59.500000")
        #expect(LocalTimestamp(isoformat: "1969-12-31T23:00:00")!.hour == 23)
    }
}

@Suite("JSON as Python's json module reads and writes it")
struct JSONFormatTests {
    @Test("floats print as Python's repr", arguments: [
        (0.1, "0.1"), (1.0, "1.0"), (1e-05, "1e-05"), (0.0001, "0.0001"), (1e16, "1e+16"),
        (1e15, "1000000000000000.0"), (123.456, "123.456"), (-0.0, "-0.0"), (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (0.30000000000000004, "0.30000000000000004"),
        (2.5e-7, "2.5e-07"), (12345678901234567.0, "1.2345678901234568e+16"),
    ])
    func pythonRepr(value: Double, text: String) {
        #expect(PythonFloatFormat.repr(value) == text)
    }

    @Test("json.dumps layout and ensure_ascii escaping")
    func writer() {
        let value: JSONValue = ["a": 1, "b": [1.5, "caf\u{e9}\u{1F600}\"\n\u{7F}"], "c": nil, "d": true, "e": .double(.nan)]
        #expect(JSONWriter.string(value)
                == #"{"a": 1, "b": [1.5, "caf\u00e9\ud83d\ude00\"\n\u007f"], "c": null, "d": true, "e": NaN}"#)
    }

    @Test("the parser reads what the writer writes")
    func roundTrip() throws {
        let value: JSONValue = ["x": [1, -2.5e-300, "\u{0}\u{1F600}", ["nested": [:]]], "y": .double(-.infinity)]
        #expect(try JSONParser.parse(JSONWriter.string(value)) == value)
    }

    @Test("Python's extensions and strictness", arguments: [
        ("NaN", true), ("-Infinity", true), ("[1, 2]", true), ("{\"a\": 1, \"a\": 2}", true),
        ("{\"a\": \"x\ty\"}", false), ("01", false), ("1.", false), (".5", false), ("{'a': 1}", false),
        ("[1,]", false), ("\"\\x\"", false), ("1 2", false), ("", false), ("\"\\ud800\"", true),
    ])
    func strictness(text: String, valid: Bool) {
        let parsed = (try? JSONParser.parse(text)) != nil
        #expect(parsed == valid)
    }

    @Test("a repeated key keeps its place and takes the last value")
    func duplicateKeys() throws {
        let value = try JSONParser.parse(#"{"a": 1, "b": 2, "a": 3}"#)
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == 3)
    }

    @Test("integers stay integers, floats stay floats")
    func numberKinds() throws {
        #expect(try JSONParser.parse("3") == .int(3))
        #expect(try JSONParser.parse("3.0") == .double(3))
        #expect(JSONWriter.string(try JSONParser.parse("[10, 1e2, 123456789012345678901234567890]"))
                == "[10, 100.0, 123456789012345678901234567890]")
    }
}

@Suite("Decimal conversion")
struct DecimalConversionTests {
    @Test("the fast path and strtod agree on random decimals")
    func fastPathIsCorrectlyRounded() throws {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<20_000 {
            let digits = Int(rng.next() % 17) + 1
            var text = String(rng.next() % 1_000_000_000_000_000_000)
            text = String(text.prefix(digits))
            let point = Int(rng.next() % UInt64(digits + 1))
            if point < text.count { text.insert(".", at: text.index(text.startIndex, offsetBy: point)) }
            if text.hasPrefix(".") { text = "0" + text }
            if text.hasSuffix(".") { text.removeLast() }
            if rng.next() % 2 == 0 { text = "-" + text }
            let parsed = try JSONParser.parse(text)
            #expect(parsed.doubleValue == Double(text), "\(text)")
        }
    }
}

@Suite("Log line heads")
struct LineHeadTests {
    @Test("the per-minute cached head equals the formatted one")
    func cachedHead() {
        var cache = PredictionLineEncoder.HeadCache()
        var rng = SplitMix64(seed: 4)
        var t = LocalTimestamp(isoformat: "2026-12-31T23:58:59.999999")!
        for _ in 0..<5_000 {
            t = t.adding(microseconds: Int64(rng.next() % 3_000_000) * (rng.next() % 4 == 0 ? 0 : 1))
            if rng.next() % 5 == 0 { t = LocalTimestamp(microseconds: t.microseconds - t.microseconds % 1_000_000) }
            #expect(PredictionLineEncoder.head(t, cache: &cache) == PredictionLineEncoder.head(t))
        }
    }
}
