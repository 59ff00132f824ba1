import Foundation
import MonitorNumerics
import Testing
@testable import Monitoring

/// The loader's fast path (``PredictionLineScanner``, byte interning, the
/// two-thread load) against the general decoder and the sequential load.
@Suite("Loader fast path")
struct LoaderFastPathTests {
    /// Every non-blank line of every fixture's prediction logs.
    static func fixtureLines() throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for name in ReferenceFixtures.caseNames {
            let monitor = ReferenceFixtures.root.appendingPathComponent(name).appendingPathComponent("monitor")
            let files = (try? FileManager.default.contentsOfDirectory(atPath: monitor.path)) ?? []
            for file in files where file.hasPrefix("predictions.json") {
                let data = try Data(contentsOf: monitor.appendingPathComponent(file))
                data.withUnsafeBytes { raw in
                    for line in LogLines(raw.bindMemory(to: UInt8.self)) where !line.isEmpty { lines.append(Array(line)) }
                }
            }
        }
        return lines
    }

    /// Checks that the scanner, when it answers, answers what the decoder does.
    static func expectAgreement(_ line: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        line.withUnsafeBufferPointer { bytes in
            let decoded = try? PredictionLineDecoder.decode(bytes)
            guard let fast = PredictionLineScanner.scan(bytes) else { return }
            let text = String(decoding: line, as: UTF8.self)
            guard let decoded else {
                Issue.record("the fast path accepts a line the decoder rejects: \(text)", sourceLocation: sourceLocation)
                return
            }
            #expect(decoded.nonStringLabel == nil, "\(text)", sourceLocation: sourceLocation)
            #expect(fast.timestamp == decoded.timestamp.microseconds, "\(text)", sourceLocation: sourceLocation)
            #expect(String(decoding: fast.label, as: UTF8.self) == decoded.prediction, "\(text)", sourceLocation: sourceLocation)
            #expect(String(decoding: fast.modelVersion, as: UTF8.self) == decoded.modelVersion, "\(text)", sourceLocation: sourceLocation)
            #expect(fast.confidence.bitPattern == decoded.confidence.bitPattern, "\(text)", sourceLocation: sourceLocation)
            #expect(fast.processingTime.bitPattern == decoded.processingTime.bitPattern, "\(text)", sourceLocation: sourceLocation)
            #expect(fast.textLength == decoded.textLength, "\(text)", sourceLocation: sourceLocation)
            #expect(fast.wordCount == decoded.wordCount, "\(text)", sourceLocation: sourceLocation)
        }
    }

    @Test("the fast path agrees with the decoder on every fixture line")
    func fixtureLinesAgree() throws {
        let lines = try Self.fixtureLines()
        #expect(lines.count > 10_000)
        var accepted = 0
        for line in lines {
            Self.expectAgreement(line)
            if line.withUnsafeBufferPointer({ PredictionLineScanner.scan($0) }) != nil { accepted += 1 }
        }
        // The reference's own lines take the fast path.
        #expect(accepted * 10 > lines.count * 9)
    }

    @Test("the fast path agrees with the decoder on random and mutated lines")
    func randomLinesAgree() {
        var random = SplitMix64(seed: 14)
        for _ in 0..<20_000 {
            var line = Array(RandomLog.line(&random).utf8)
            Self.expectAgreement(line)
            // Mutations: a byte replaced, removed or inserted, a few times over.
            for _ in 0..<Int(random.next() % 4) {
                let position = Int(random.next() % UInt64(line.count + 1))
                let byte = RandomLog.interestingBytes[Int(random.next() % UInt64(RandomLog.interestingBytes.count))]
                switch random.next() % 3 {
                case 0 where position < line.count: line[position] = byte
                case 1 where position < line.count: line.remove(at: position)
                default: line.insert(byte, at: position)
                }
                Self.expectAgreement(line)
            }
        }
    }

    @Test("numbers: the fast path is correctly rounded", arguments: [
        "0", "-0", "0.5", "1e5", "1E-5", "0.1", "0.30000000000000004", "123456789012345678901234567890",
        "9007199254740993", "0.000000000000000000000001", "1.7976931348623157e308", "5e-324", "12.5e+3",
        "0.12345678901234567890", "-2.5", "100",
    ])
    func numbers(literal: String) {
        let line = #"{"timestamp": "2026-01-01T00:00:00", "text_hash": "x", "prediction": "a", "confidence": \#(literal), "processing_time": \#(literal), "model_version": "v", "text_length": 1, "word_count": 1}"#
        let fast = Array(line.utf8).withUnsafeBufferPointer { PredictionLineScanner.scan($0) }
        #expect(fast?.confidence.bitPattern == Double(literal)?.bitPattern)
        Self.expectAgreement(Array(line.utf8))
    }

    @Test("eight digits at a time equal the byte loop on every mix of digits and other bytes")
    func eightDigitsProperty() {
        var random = SplitMix64(seed: 8)
        let bytes: [UInt8] = Array("0123456789".utf8) + [0x2F, 0x3A, 0x2E, 0x65, 0x2C, 0x20, 0x7D, 0x00, 0x0A, 0x80, 0xFF, 0xB0, 0xC9, 0x2D]
        for round in 0..<200_000 {
            // Mostly digits, so that every digit count 0...8 is common.
            let word: [UInt8] = (0..<8).map { i in
                random.next() % 8 < (round % 9 > i ? 7 : 1) ? UInt8(0x30 + random.next() % 10) : RandomLog.pick(bytes, &random)
            }
            var count = 0
            var value: UInt64 = 0
            while count < 8, word[count] >= 0x30, word[count] <= 0x39 {
                value = value * 10 + UInt64(word[count] - 0x30)
                count += 1
            }
            let fast = word.withUnsafeBufferPointer { PredictionLineScanner.eightDigits($0.baseAddress!) }
            if fast.value != value || fast.count != count {
                Issue.record("\(word): \(fast) against \((value, count))")
                return
            }
        }
    }

    @Test("numbers: the fast path equals Double(String) on random decimals, with the literal at every distance from the block's end")
    func numbersDifferential() {
        var random = SplitMix64(seed: 44)
        for _ in 0..<60_000 {
            let integer = RandomLog.pick(["0", "1", "12", "-0", "-3", "987654321", "9007199254740993"], &random)
            let fraction = String((0..<Int(1 + random.next() % 25)).map { _ in Character(String(random.next() % 10)) })
            var literal = "\(integer).\(fraction)"
            switch random.next() % 6 {
            case 0: literal = PythonFloatFormat.repr(random.nextUnitDouble())
            case 1: literal = PythonFloatFormat.repr((random.nextUnitDouble() * 1e6).rounded() / 1e6)
            case 2: literal = PythonFloatFormat.repr(Double(bitPattern: random.next() >> 2))
            default: break
            }
            guard let expected = Double(literal), expected.isFinite else { continue }
            // Followed by nothing, by one byte, or by a line's tail.
            let tail = RandomLog.pick(["", ",", "}", ", \"model_version\": \"v1\"}\n", " ", "e", "x"], &random)
            let bytes = Array((literal + tail).utf8)
            bytes.withUnsafeBufferPointer { buffer in
                var p = buffer.baseAddress!
                let value = PredictionLineScanner.number(&p, buffer.baseAddress! + buffer.count)
                if tail == "e" {
                    // "1.5e" with no exponent digits: the number ends before the "e".
                    #expect(value?.bitPattern == expected.bitPattern, "\(literal)\(tail)")
                } else {
                    #expect(value?.bitPattern == expected.bitPattern && p - buffer.baseAddress! == literal.utf8.count,
                            "\(literal)\(tail)")
                }
            }
        }
    }

    /// What the general decoder alone makes of each line of `block`: the
    /// truth the batch's in-place scan must reproduce.
    static func expectBatchMatchesDecoder(_ block: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        block.withUnsafeBufferPointer { bytes in
            var expected: [PredictionLineDecoder.Fields] = []
            var lines = 0, skipped = 0
            for line in LogLines(bytes) where !line.isEmpty {
                lines += 1
                if let fields = try? PredictionLineDecoder.decode(line) { expected.append(fields) } else { skipped += 1 }
            }
            let batch = PredictionBatch()
            batch.decode(bytes, after: .min, notAfter: .max)
            #expect(batch.counts.lines == lines && batch.counts.skipped == skipped, sourceLocation: sourceLocation)
            #expect(batch.records.count == expected.count, sourceLocation: sourceLocation)
            guard batch.records.count == expected.count else { return }
            var general = 0
            for (record, fields) in zip(batch.records, expected) {
                let label: String, version: String
                if record.label == PredictionBatch.generalMarker {
                    label = batch.general[general].prediction
                    version = batch.general[general].modelVersion
                    general += 1
                } else {
                    label = batch.labels.string(record.label)
                    version = batch.modelVersions.string(record.modelVersion)
                }
                let same = record.timestamp == fields.timestamp.microseconds && label == fields.prediction
                    && version == fields.modelVersion && record.confidence.bitPattern == fields.confidence.bitPattern
                    && record.processingTime.bitPattern == fields.processingTime.bitPattern
                    && record.textLength == fields.textLength && record.wordCount == fields.wordCount
                #expect(same, "\(fields)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("scanning lines in place in a block equals decoding each line, on fixtures")
    func fixtureBlocksMatchDecoder() throws {
        let lines = try Self.fixtureLines()
        Self.expectBatchMatchesDecoder(Array(lines.joined(separator: [0x0A])))
    }

    @Test("scanning lines in place in a block equals decoding each line, on random lines and line ends", arguments: 0..<8)
    func randomBlocksMatchDecoder(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed) &+ 77)
        // Line ends, and what may precede or follow a line: the stripping's
        // cases (tabs, form feeds, U+0085, U+00A0, separators) among them.
        let ends: [[UInt8]] = [[0x0A], [0x0D, 0x0A], [0x0D], [0x0A, 0x0A], [0x20, 0x0A], [0x09, 0x20, 0x0D, 0x0A],
                               [0x0C, 0x0A], [0x1F, 0x0A], [0xC2, 0x85, 0x0A], [0xC2, 0xA0, 0x0A], [0x0B, 0x0A], [0x20, 0x0D]]
        let leads: [[UInt8]] = [[], [], [], [0x20], [0x09], [0x0C], [0xC2, 0xA0], [0x0A]]
        for _ in 0..<40 {
            var block: [UInt8] = []
            for i in 0..<Int(random.next() % 200) {
                var line = Array(RandomLog.line(&random, index: i).utf8)
                if random.next() % 4 == 0 {
                    let position = Int(random.next() % UInt64(line.count + 1))
                    let byte = RandomLog.interestingBytes[Int(random.next() % UInt64(RandomLog.interestingBytes.count))]
                    line.insert(byte, at: position)
                }
                block += RandomLog.pick(leads, &random) + line + RandomLog.pick(ends, &random)
            }
            if random.next() % 2 == 0, !block.isEmpty { block.removeLast(Int(random.next() % UInt64(min(block.count, 40)))) }
            Self.expectBatchMatchesDecoder(block)
        }
    }

    @Test("events: the fast path gives the general decoder's events on every fixture", arguments: ReferenceFixtures.caseNames)
    func fixtureEventsAgree(caseName: String) throws {
        let directory = try MonitorDirectory.resolve(ReferenceFixtures.root.appendingPathComponent(caseName).path)
        let (fast, fastReport) = try MonitorLoader.events(in: directory, fastPath: true)
        let (general, generalReport) = try MonitorLoader.events(in: directory, fastPath: false)
        #expect(fastReport == generalReport)
        #expect(fast.map(Self.bits) == general.map(Self.bits))
    }

    @Test("events: the fast path gives the general decoder's events on random logs", arguments: 0..<6)
    func randomEventsAgree(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &+ 5_000)
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("driftlab-events-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let monitor = base.appendingPathComponent("monitor")
        try FileManager.default.createDirectory(at: monitor, withIntermediateDirectories: true)
        var text = "", alerts = ""
        for i in 0..<(200 + Int(random.next() % 2_000)) {
            text += RandomLog.line(&random, index: i) + RandomLog.pick(["\n", "\n", "\r\n", "\r", " \n", "\u{0C}\n"], &random)
            if random.next() % 40 == 0 {
                let stamp = LocalTimestamp(isoformat: "2026-11-28T10:00:00")!.adding(microseconds: Int64(i) * 17_000_000)
                alerts += #"{"timestamp": "\#(stamp.isoformat)", "error_type": "timeout", "error_message": "slow"}"# + "\n"
            }
        }
        try Data(text.utf8).write(to: monitor.appendingPathComponent("predictions.json"))
        try Data(alerts.utf8).write(to: monitor.appendingPathComponent("alerts.json"))
        let directory = MonitorDirectory(monitorURL: monitor)
        let (fast, fastReport) = try MonitorLoader.events(in: directory, fastPath: true)
        let (general, generalReport) = try MonitorLoader.events(in: directory, fastPath: false)
        #expect(fastReport == generalReport)
        #expect(fast.map(Self.bits) == general.map(Self.bits))  // NaN confidences compare by their bits
        #expect(fast.count > 0)
    }

    /// An event with its floats as bit patterns, so that NaN equals itself.
    static func bits(_ event: MonitorEvent) -> String {
        switch event {
        case .prediction(let r):
            return "\(r.timestamp.microseconds) \(r.prediction) \(r.modelVersion) \(r.confidence.bitPattern) "
                + "\(r.processingTime.bitPattern) \(r.textLength) \(r.wordCount) \(r.textHash)"
        case .error(let timestamp, let type, let message):
            return "\(timestamp.microseconds) error \(type) \(message)"
        }
    }

    @Test("events: merging ordered lists equals the stable sort, and unordered lists are sorted", arguments: 0..<20)
    func orderingMatchesStableSort(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed))
        func events(_ count: Int, sorted: Bool, error: Bool) -> [MonitorEvent] {
            var stamps = (0..<count).map { _ in Int64(random.next() % 50) }
            if sorted { stamps.sort() }
            return stamps.enumerated().map { i, t in
                let timestamp = LocalTimestamp(microseconds: t)
                return error ? .error(timestamp: timestamp, type: "e\(i)", message: "")
                    : .prediction(PredictionRecord(timestamp: timestamp, textHash: "", prediction: "p\(i)", confidence: 0.5,
                                                   processingTime: 0.1, textLength: 1, wordCount: 1))
            }
        }
        let predictions = events(Int(random.next() % 60), sorted: seed % 4 != 0, error: false)
        let errors = events(Int(random.next() % 20), sorted: seed % 5 != 0, error: true)
        let expected = (predictions + errors).enumerated().sorted { a, b in
            a.element.timestamp != b.element.timestamp ? a.element.timestamp < b.element.timestamp : a.offset < b.offset
        }.map(\.element)
        #expect(MonitorLoader.ordered(predictions, errors) == expected)
    }

    /// Loads `directory` sequentially and on two threads with small pieces.
    static func expectSameLoad(_ directory: MonitorDirectory, now: LocalTimestamp, capacity: Int,
                               pieceBytes: Int, piecesInFlight: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        var sequential = MonitorLoader(capacity: capacity)
        sequential.parallelMinimumBytes = .max
        var parallel = MonitorLoader(capacity: capacity)
        parallel.parallelMinimumBytes = 0
        parallel.pieceBytes = pieceBytes
        parallel.piecesInFlight = piecesInFlight
        let (a, reportA) = try sequential.load(directory, now: now)
        let (b, reportB) = try parallel.load(directory, now: now)
        #expect(reportA == reportB, sourceLocation: sourceLocation)
        #expect(a.totalPredictions == b.totalPredictions, sourceLocation: sourceLocation)
        #expect(a.labels.count == b.labels.count, sourceLocation: sourceLocation)
        #expect((0..<a.labels.count).map { a.labels[UInt32($0)] } == (0..<b.labels.count).map { b.labels[UInt32($0)] },
                sourceLocation: sourceLocation)
        #expect((0..<a.modelVersions.count).map { a.modelVersions[UInt32($0)] }
                == (0..<b.modelVersions.count).map { b.modelVersions[UInt32($0)] }, sourceLocation: sourceLocation)
        #expect(a.labelDisplays == b.labelDisplays, sourceLocation: sourceLocation)
        #expect(a.columns.count == b.columns.count, sourceLocation: sourceLocation)
        #expect(a.columns.isTimeOrdered == b.columns.isTimeOrdered, sourceLocation: sourceLocation)
        let same = a.columns.count == b.columns.count && (0..<a.columns.count).allSatisfy { Self.identical(a.columns[$0], b.columns[$0]) }
        #expect(same, sourceLocation: sourceLocation)
    }

    /// Equal field by field, floats by their bits (a NaN confidence loads).
    static func identical(_ a: EncodedPrediction, _ b: EncodedPrediction) -> Bool {
        a.timestamp == b.timestamp && a.confidence.bitPattern == b.confidence.bitPattern
            && a.processingTime.bitPattern == b.processingTime.bitPattern && a.label == b.label
            && a.modelVersion == b.modelVersion && a.textLength == b.textLength && a.wordCount == b.wordCount
    }

    @Test("the two-thread load equals the sequential one on every fixture", arguments: ReferenceFixtures.caseNames)
    func fixturesLoadTheSame(caseName: String) throws {
        let expected = try ReferenceFixtures.expected(caseName)
        let now = LocalTimestamp(isoformat: expected["now"]!.stringValue!)!
        let directory = try MonitorDirectory.resolve(ReferenceFixtures.root.appendingPathComponent(caseName).path)
        for (pieceBytes, inFlight) in [(1, 1), (97, 3), (4_096, 8), (1 << 20, 2)] {
            try Self.expectSameLoad(directory, now: now, capacity: 10_000, pieceBytes: pieceBytes, piecesInFlight: inFlight)
            try Self.expectSameLoad(directory, now: now, capacity: 37, pieceBytes: pieceBytes, piecesInFlight: inFlight)
        }
    }

    @Test("the two-thread load equals the sequential one on random logs", arguments: 0..<12)
    func randomLogsLoadTheSame(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &+ 1_000)
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("driftlab-loader-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let monitor = base.appendingPathComponent("monitor")
        try FileManager.default.createDirectory(at: monitor, withIntermediateDirectories: true)
        let lineCount = 200 + Int(random.next() % 3_000)
        var text = ""
        for i in 0..<lineCount {
            var line = RandomLog.line(&random, index: i)
            if random.next() % 50 == 0 { line = String(line.prefix(Int(random.next() % UInt64(line.count + 1)))) }
            text += line
            switch random.next() % 20 {
            case 0: text += "\r\n"
            case 1: text += "\r"
            case 2: text += "\n\n"
            default: text += "\n"
            }
        }
        if random.next() % 2 == 0 { text += RandomLog.line(&random, index: lineCount) }  // torn last line
        try Data(text.utf8).write(to: monitor.appendingPathComponent("predictions.json"))
        if seed % 3 == 0 {
            try Data(text.utf8.prefix(text.utf8.count / 3)).write(to: monitor.appendingPathComponent("predictions.json.1"))
        }
        let directory = MonitorDirectory(monitorURL: monitor)
        let now = LocalTimestamp(isoformat: "2026-11-29T12:00:00")!
        let pieceBytes = 1 + Int(random.next() % 20_000)
        try Self.expectSameLoad(directory, now: now, capacity: 100_000, pieceBytes: pieceBytes, piecesInFlight: 1 + seed % 5)
        try Self.expectSameLoad(directory, now: now, capacity: 150, pieceBytes: pieceBytes, piecesInFlight: 1 + seed % 5)
    }
}

/// Random prediction lines in the reference's format and around it.
enum RandomLog {
    static let interestingBytes: [UInt8] = Array(#"{}[]":,\ .-+eE0123456789ntfaNI"#.utf8) + [0x0A, 0x09, 0x00, 0x1F, 0xC3, 0xA9, 0xFF, 0x80]

    static func pick<T>(_ items: [T], _ random: inout SplitMix64) -> T { items[Int(random.next() % UInt64(items.count))] }

    static func number(_ random: inout SplitMix64) -> String {
        switch random.next() % 10 {
        case 0: return "\(Int64(bitPattern: random.next()) >> Int(random.next() % 64))"
        case 1: return pick(["NaN", "Infinity", "-Infinity", "true", "false", "null", "\"0.5\"", "1e400", "-0.0", "0"], &random)
        case 2: return "\(random.nextUnitDouble())e\(Int(random.next() % 40) - 20)"
        case 3: return PythonFloatFormat.repr(Double(bitPattern: random.next()))
        default: return PythonFloatFormat.repr(random.nextUnitDouble() * pick([1, 10, 1e-3, 1e6], &random))
        }
    }

    static func integer(_ random: inout SplitMix64) -> String {
        switch random.next() % 8 {
        case 0: return number(&random)
        case 1: return pick(["2147483647", "2147483648", "-2147483648", "-2147483649", "99999999999999999999",
                             "123456789012345678", "1234567890123456789", "0", "-0", "007", "1.0", "1e3"], &random)
        default: return "\(random.next() % 2_000)"
        }
    }

    static func string(_ random: inout SplitMix64) -> String {
        switch random.next() % 12 {
        case 0: return #""caf\u00e9""#
        case 1: return "\"café\""
        case 2: return #""quo\"te""#
        case 3: return "null"
        case 4: return "\(random.next() % 3)"
        case 5: return #""a very long label that is longer than sixteen bytes ""# .replacingOccurrences(of: " \"", with: "\(random.next() % 4)\"")
        case 6: return "\"\""
        default: return "\"" + pick(["positive", "negative", "neutral", "mixed", "a", "abcdefgh", "abcdefghi", "v1", "v2.0.1"], &random) + "\""
        }
    }

    static func timestamp(_ random: inout SplitMix64, index: Int) -> String {
        let base = LocalTimestamp(isoformat: "2026-11-28T10:00:00")!.microseconds
        let stamp = LocalTimestamp(microseconds: base + Int64(index) * 17_000_000 + Int64(random.next() % 5_000_000))
        switch random.next() % 20 {
        case 0: return "\"2026-11-29 11:59:59\""
        case 1: return "\"not a time\""
        case 2: return "\"2026-11-29T11:00:00+00:00\""
        case 3: return "20261129"
        case 4: return "\"2026-W48-7T11:00\""
        default: return "\"\(stamp.isoformat)\""
        }
    }

    static func line(_ random: inout SplitMix64, index: Int = 0) -> String {
        var members: [(String, String)] = [
            ("timestamp", timestamp(&random, index: index)),
            ("text_hash", "\"\(String(random.next(), radix: 16))\""),
            ("prediction", random.next() % 6 == 0 ? string(&random) : "\"" + pick(["positive", "negative", "neutral"], &random) + "\""),
            ("confidence", number(&random)),
            ("processing_time", number(&random)),
            ("model_version", random.next() % 6 == 0 ? string(&random) : "\"v1\""),
            ("text_length", integer(&random)),
            ("word_count", integer(&random)),
        ]
        for key in ["client_id", "user_agent", "session_id"] where random.next() % 3 == 0 {
            members.append((key, string(&random)))
        }
        switch random.next() % 25 {
        case 0: members.remove(at: Int(random.next() % UInt64(members.count)))
        case 1: members.append(("extra", "1"))
        case 2: members.append(pick(members, &random))  // a repeated key
        case 3: members.shuffle(using: &random)
        case 4: members.append(("text_hash", "{\"nested\": [1, 2, {\"a\": null}]}"))
        default: break
        }
        let separator = random.next() % 10 == 0 ? ",\t" : ", "
        let colon = random.next() % 10 == 0 ? " :  " : ": "
        return "{" + members.map { "\"\($0.0)\"\(colon)\($0.1)" }.joined(separator: separator) + "}"
    }
}
