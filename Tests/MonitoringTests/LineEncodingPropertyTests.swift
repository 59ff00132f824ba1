import Foundation
import MonitorNumerics
import Testing
@testable import Monitoring

/// The recording hot path's byte formatters against the slower paths they
/// replaced: `PythonFloatFormat` (Swift's `description` re-laid out as
/// Python's `repr`), swift-crypto's MD5, and `JSONWriter`.
@Suite("Recording's byte formatters")
struct LineEncodingPropertyTests {
    static func byteRepr(_ value: Double) -> String {
        String(decoding: bytes(maxCount: ByteWriter.maxFloatCount) { $0.putJSONFloat(value) }, as: UTF8.self)
    }

    /// Doubles of every kind: random bit patterns (subnormals and huge
    /// exponents included), integral values, decimals of a few digits (what
    /// logs hold), negative zero, and the notation boundaries around 1e-05
    /// and 1e+16.
    static func doubles(count: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        var values: [Double] = [0, -0.0, 1, -1, 0.1, 1e-5, 1e-4, 9.999999999999999e-5, 1e16, 1e15, 9999999999999998,
                                1e16 - 2, 5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308,
                                .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNormalMagnitude,
                                0.30000000000000004, 123456789012345678, 1e22, 1e23, 0.5, 0.25, 100, 1e-7]
        for power in -330...310 {
            values.append(Double("1e\(power)") ?? 0)
            values.append(Double("1.5e\(power)") ?? 0)
        }
        while values.count < count {
            let kind = rng.next() % 6
            var v: Double
            switch kind {
            case 0: v = Double(bitPattern: rng.next())  // any finite double
            case 1: v = Double(bitPattern: rng.next() & 0x000F_FFFF_FFFF_FFFF)  // subnormal
            case 2: v = Double(Int64(bitPattern: rng.next()) >> Int64(rng.next() % 64))  // integral
            case 3:
                let digits = Double(rng.next() % 1_000_000_000)
                v = digits / pow(10, Double(rng.next() % 12))  // short decimals
            case 4: v = rng.nextUnitDouble() * pow(10, Double(Int(rng.next() % 40) - 20))
            default: v = Double(rng.next() % 1_000_000) / 1e6  // confidences as the simulator writes them
            }
            if rng.next() % 2 == 0 { v = -v }
            values.append(v)
        }
        return values.filter(\.isFinite)
    }

    @Test("doubles: the byte formatter equals PythonFloatFormat.repr")
    func floats() {
        for value in Self.doubles(count: 200_000, seed: 11) {
            let expected = PythonFloatFormat.repr(value)
            let actual = Self.byteRepr(value)
            if actual != expected {
                Issue.record("\(value.bitPattern): \(Array(actual.utf8)) != \(expected)")
                return
            }
        }
    }

    @Test("doubles: the byte formatter equals Python's repr (fixture from Tests/fixture-generator/float_repr_fixture.py)")
    func floatsAgainstPython() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../fixture-generator/float_repr.txt").standardized
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count > 5_000)
        for line in lines {
            let parts = line.split(separator: " ")
            let value = Double(bitPattern: UInt64(parts[0], radix: 16)!)
            let expected = String(parts[1])
            #expect(Self.byteRepr(value) == expected, "\(parts[0])")
            #expect(PythonFloatFormat.repr(value) == expected, "\(parts[0])")
        }
    }

    @Test("non-finite floats as json.dumps writes them")
    func nonFinite() {
        #expect(Self.byteRepr(.nan) == "NaN")
        #expect(Self.byteRepr(.infinity) == "Infinity")
        #expect(Self.byteRepr(-.infinity) == "-Infinity")
    }

    @Test("integers")
    func integers() {
        var rng = SplitMix64(seed: 3)
        var values = [0, 1, -1, 9, 10, 99, 100, Int.max, Int.min, Int.max - 1, 1_000_000_000_000_000_000, 999_999_999_999_999_999]
        for _ in 0..<10_000 { values.append(Int(bitPattern: UInt(rng.next())) >> Int(rng.next() % 64)) }
        for value in values {
            let text = String(decoding: bytes(maxCount: ByteWriter.maxIntCount + 1) { $0.putInt(value) }, as: UTF8.self)
            #expect(text == String(value))
        }
    }

    /// Random text: ASCII words, controls, quotes, backslashes, DEL,
    /// two-, three- and four-byte scalars.
    static func text(_ rng: inout SplitMix64, maxLength: Int) -> String {
        let pieces: [String] = ["a", "word", " ", "\t", "\n", "\"", "\\", "\u{7F}", "\u{1}", "é", "ß", "\u{a0}",
                                "\u{2003}", "€", "中", "😀", "\u{10FFFF}", "/", "{}", "x y z"]
        var s = ""
        let length = Int(rng.next() % UInt64(maxLength + 1))
        for _ in 0..<length { s += pieces[Int(rng.next() % UInt64(pieces.count))] }
        return s
    }

    @Test("MD5: TextHash equals hashlib.md5(...).hexdigest()[:16], across block boundaries")
    func md5() throws {
        let cases = try PythonFixtures.lines("md5.jsonl")
        #expect(cases.count == 2_201)
        for object in cases {
            let text = object["text"]!.stringValue!
            #expect(TextHash(of: text).string == object["hash"]!.stringValue!, "\(text.utf8.count) bytes")
            #expect(PythonText.hash(text) == object["hash"]!.stringValue!)
        }
        #expect(TextHash(of: "hello world") == TextHash(of: "hello world"))
        #expect(TextHash(of: "hello world").description == "5eb63bbbe01eeed0")
    }

    @Test("len and len(split()) sixteen bytes at a time equal the one-at-a-time forms")
    func measure() {
        var rng = SplitMix64(seed: 12)
        let ascii: [String] = ["a", "bc", " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "\u{1C}", "\u{1F}", "x.y", "  "]
        for round in 0..<5_000 {
            let text = round % 4 == 0
                ? Self.text(&rng, maxLength: 40)
                : (0..<Int(rng.next() % 60)).map { _ in ascii[Int(rng.next() % UInt64(ascii.count))] }.joined()
            let measured = PythonText.measure(text)
            #expect(measured.length == PythonText.length(text) && measured.words == PythonText.wordCount(text), "\(Array(text.utf8))")
        }
    }

    @Test("lines: the byte encoder equals JSONWriter over random records")
    func lines() {
        var rng = SplitMix64(seed: 8)
        let values = Self.doubles(count: 4_000, seed: 9)
        for i in 0..<4_000 {
            let optional = { (rng: inout SplitMix64) -> String? in rng.next() % 3 == 0 ? nil : Self.text(&rng, maxLength: 6) }
            let record = PredictionRecord(
                timestamp: LocalTimestamp(microseconds: Int64(rng.next() % 300_000_000_000_000)),
                textHash: rng.next() % 2 == 0 ? TextHash(of: "\(i)").string : Self.text(&rng, maxLength: 3),
                prediction: Self.text(&rng, maxLength: 4), confidence: values[i % values.count], processingTime: abs(values[(3_999 - i) % values.count]),
                modelVersion: Self.text(&rng, maxLength: 3), textLength: Int(rng.next() % 100_000),
                wordCount: Int(rng.next() % 1_000), clientID: optional(&rng), userAgent: optional(&rng),
                sessionID: optional(&rng))
            let expected = JSONWriter.string(record.jsonValue)
            let actual = String(decoding: PredictionLineEncoder.line(record), as: UTF8.self)
            if actual != expected {
                Issue.record("\(actual) != \(expected)")
                return
            }
        }
    }
}
