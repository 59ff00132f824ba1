/// The fast path of `predictions.json` lines: one pass over the bytes for the
/// shape the reference (and DriftLab) writes, with no `String`, no
/// `JSONValue` and no allocation.
///
/// It either returns exactly what ``PredictionLineDecoder/decode(_:)`` would
/// (labels and model versions as raw bytes to intern), or `nil` when the line
/// is anything else: not an object, an unknown or repeated key, a string with
/// an escape or a non-ASCII byte, a non-string label or model version, a
/// non-numeric or unusual number (`true`, `NaN`, a fraction in an integer
/// field), an unreadable timestamp. A `nil` sends the line to the general
/// decoder, which decides; so the fast path never rejects a line by itself.
///
/// - Strings are scanned eight bytes at a time (SWAR): one mask of the bytes
///   that are a quote, a backslash, a control character or non-ASCII, and its
///   lowest set bit is the first such byte.
/// - Keys are told apart by their first eight bytes, then checked by length
///   and their last eight bytes (every key is 9 to 15 bytes long, so the two
///   words cover it).
/// - Numbers go through Clinger's fast path (digits below 2^53 and a power of
///   ten up to 22: one correctly rounded division); any other valid literal
///   goes to the general conversion on its bytes (`strtod`), still without
///   allocation.
enum PredictionLineScanner {
    /// One line's fields; the label and model version are the bytes between
    /// their quotes (plain ASCII, no escape), valid while the line is.
    struct RawFields {
        var timestamp: Int64 = 0
        var confidence: Double = 0
        var processingTime: Double = 0
        var label = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        var modelVersion = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        var textLength: Int32 = 0
        var wordCount: Int32 = 0
    }

    typealias Pointer = UnsafePointer<UInt8>

    // First and last eight bytes of each key, little-endian.
    private static let timestampHead: UInt64 = 0x6D61_7473_656D_6974, timestampTail: UInt64 = 0x706D_6174_7365_6D69
    private static let textHashHead: UInt64 = 0x7361_685F_7478_6574, textHashTail: UInt64 = 0x6873_6168_5F74_7865
    private static let predictionHead: UInt64 = 0x6974_6369_6465_7270, predictionTail: UInt64 = 0x6E6F_6974_6369_6465
    private static let confidenceHead: UInt64 = 0x6E65_6469_666E_6F63, confidenceTail: UInt64 = 0x6563_6E65_6469_666E
    private static let processingHead: UInt64 = 0x6973_7365_636F_7270, processingTail: UInt64 = 0x656D_6974_5F67_6E69
    private static let modelVersionHead: UInt64 = 0x6576_5F6C_6564_6F6D, modelVersionTail: UInt64 = 0x6E6F_6973_7265_765F
    private static let textLengthHead: UInt64 = 0x6E65_6C5F_7478_6574, textLengthTail: UInt64 = 0x6874_676E_656C_5F74
    private static let wordCountHead: UInt64 = 0x756F_635F_6472_6F77, wordCountTail: UInt64 = 0x746E_756F_635F_6472
    private static let clientHead: UInt64 = 0x695F_746E_6569_6C63, clientTail: UInt64 = 0x6469_5F74_6E65_696C
    private static let userAgentHead: UInt64 = 0x6567_615F_7265_7375, userAgentTail: UInt64 = 0x746E_6567_615F_7265
    private static let sessionHead: UInt64 = 0x5F6E_6F69_7373_6573, sessionTail: UInt64 = 0x6469_5F6E_6F69_7373

    private static let allRequired: UInt16 = 0xFF

    /// The last calendar date read and its midnight: a log's lines share
    /// their date, so the date is checked and converted once per day of log.
    struct DateCache {
        var head: UInt64 = 0
        var tail: UInt16 = 0
        var midnight: Int64 = 0
        var isValid = false
    }

    /// Scans one stripped line; `nil` when the general decoder must decide.
    static func scan(_ line: UnsafeBufferPointer<UInt8>) -> RawFields? {
        var dates = DateCache()
        return scan(line, dates: &dates)
    }

    /// Scans one stripped line; `nil` when the general decoder must decide.
    @inline(__always)
    static func scan(_ line: UnsafeBufferPointer<UInt8>, dates: inout DateCache) -> RawFields? {
        guard let base = line.baseAddress, line.count >= 2 else { return nil }
        let end = base + line.count
        var p = base
        guard let fields = object(&p, end, &dates) else { return nil }
        skipSpaces(&p, end)
        return p == end ? fields : nil
    }

    /// Scans the line that starts at `start` inside a block of lines ending
    /// at `end`, without finding the line's end first: the object, then
    /// spaces or tabs, then a line break (`\n`, `\r\n` or `\r`, consumed) or
    /// the block's end. Returns the fields and where the next line starts,
    /// or `nil` when the general path must decide the line (any other
    /// shape, including a line with leading or other trailing whitespace,
    /// which the stripping of ``LogLines`` handles).
    ///
    /// No line break can hide inside an accepted object: strings stop at
    /// control bytes, and between tokens only spaces and tabs are skipped.
    @inline(__always)
    static func scanLine(_ start: Pointer, _ end: Pointer, dates: inout DateCache) -> (fields: RawFields, next: Pointer)? {
        var p = start
        guard end - p >= 2, let fields = object(&p, end, &dates) else { return nil }
        skipSpaces(&p, end)
        if p == end { return (fields, p) }
        switch p.pointee {
        case 0x0A: return (fields, p + 1)
        case 0x0D: return (fields, end - p >= 2 && p[1] == 0x0A ? p + 2 : p + 1)
        default: return nil
        }
    }

    /// Checks that the key of `length` bytes whose first eight bytes were
    /// matched ends with `tail` and a closing quote, and moves `p` past the
    /// colon to the value. The key's bytes are then all known letters, so
    /// the quote is the string's first special byte: the key is exactly it.
    @inline(__always)
    static func key(_ keyStart: Pointer, _ length: Int, _ tail: UInt64, _ p: inout Pointer, _ end: Pointer) -> Bool {
        guard end - keyStart > length, keyStart[length] == UInt8(ascii: "\""), load64(keyStart + length - 8) == tail else {
            return false
        }
        p = keyStart + length + 1
        skipSpaces(&p, end)
        guard p < end, p.pointee == UInt8(ascii: ":") else { return false }
        p += 1
        skipSpaces(&p, end)
        return p < end
    }

    /// The object at `p` (which must start with `{`), `p` past its `}`.
    @inline(__always)
    static func object(_ p: inout Pointer, _ end: Pointer, _ dates: inout DateCache) -> RawFields? {
        guard p < end, p.pointee == UInt8(ascii: "{") else { return nil }
        p += 1
        var fields = RawFields()
        var seen: UInt16 = 0
        while true {
            skipSpaces(&p, end)
            // Keys are dispatched on their first eight bytes and checked by
            // length, last eight bytes and closing quote, with no scan.
            guard end - p > 9, p.pointee == UInt8(ascii: "\"") else { return nil }
            let keyStart = p + 1
            let bit: UInt16
            switch load64(keyStart) {
            case timestampHead:
                guard key(keyStart, 9, timestampTail, &p, end) else { return nil }
                bit = 1 << 0
                if end - p >= 28, p[0] == UInt8(ascii: "\""), p[27] == UInt8(ascii: "\""),
                   let stamp = isoformat26(p + 1, &dates) {
                    // Every byte of the 26 was checked as a digit or a
                    // separator, so the string is exactly these.
                    fields.timestamp = stamp
                    p += 28
                } else {
                    guard let text = plainString(&p, end), let stamp = timestamp(text, &dates) else { return nil }
                    fields.timestamp = stamp
                }
            case textHashHead:
                guard key(keyStart, 9, textHashTail, &p, end) else { return nil }
                bit = 1 << 1
                if end - p >= 18, p[0] == UInt8(ascii: "\""), p[17] == UInt8(ascii: "\""),
                   specialMask(load64(p + 1)) | specialMask(load64(p + 9)) == 0 {
                    p += 18  // DriftLab's 16 hex digits
                } else {
                    guard plainString(&p, end) != nil else { return nil }
                }
            case predictionHead:
                guard key(keyStart, 10, predictionTail, &p, end) else { return nil }
                bit = 1 << 2
                guard let text = plainString(&p, end) else { return nil }
                fields.label = text
            case confidenceHead:
                guard key(keyStart, 10, confidenceTail, &p, end) else { return nil }
                bit = 1 << 3
                guard let value = number(&p, end) else { return nil }
                fields.confidence = value
            case processingHead:
                guard key(keyStart, 15, processingTail, &p, end) else { return nil }
                bit = 1 << 4
                guard let value = number(&p, end) else { return nil }
                fields.processingTime = value
            case modelVersionHead:
                guard key(keyStart, 13, modelVersionTail, &p, end) else { return nil }
                bit = 1 << 5
                guard let text = plainString(&p, end) else { return nil }
                fields.modelVersion = text
            case textLengthHead:
                guard key(keyStart, 11, textLengthTail, &p, end) else { return nil }
                bit = 1 << 6
                guard let value = integer(&p, end) else { return nil }
                fields.textLength = value
            case wordCountHead:
                guard key(keyStart, 10, wordCountTail, &p, end) else { return nil }
                bit = 1 << 7
                guard let value = integer(&p, end) else { return nil }
                fields.wordCount = value
            case clientHead:
                guard key(keyStart, 9, clientTail, &p, end) else { return nil }
                bit = 1 << 8
                guard nullOrString(&p, end) else { return nil }
            case userAgentHead:
                guard key(keyStart, 10, userAgentTail, &p, end) else { return nil }
                bit = 1 << 9
                guard nullOrString(&p, end) else { return nil }
            case sessionHead:
                guard key(keyStart, 10, sessionTail, &p, end) else { return nil }
                bit = 1 << 10
                guard nullOrString(&p, end) else { return nil }
            default:
                return nil
            }
            guard seen & bit == 0 else { return nil }  // a repeated key: Python keeps the last; let the decoder do it
            seen |= bit
            skipSpaces(&p, end)
            guard p < end else { return nil }
            let next = p.pointee
            p += 1
            if next == UInt8(ascii: ",") { continue }
            guard next == UInt8(ascii: "}") else { return nil }
            break
        }
        return seen & allRequired == allRequired ? fields : nil
    }

    /// `YYYY-MM-DDTHH:MM:SS[.ffffff]` (what `isoformat()` writes) read
    /// directly, the date through the cache; any other form through
    /// `LocalTimestamp(isoformat:)`, which reads every form Python does.
    @inline(__always)
    static func timestamp(_ text: UnsafeBufferPointer<UInt8>, _ dates: inout DateCache) -> Int64? {
        let n = text.count
        guard n == 26 || n == 19, let p = text.baseAddress, p[10] == UInt8(ascii: "T"),
              p[13] == UInt8(ascii: ":"), p[16] == UInt8(ascii: ":"), n == 19 || p[19] == UInt8(ascii: ".") else {
            return LocalTimestamp(isoformat: text)?.microseconds
        }
        return n == 26 ? isoformat26(p, &dates) : isoformat19(p, &dates)
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffff` at `p`, every one of its 26 bytes checked
    /// (the date's ten against the cache of the last date read); `nil` for
    /// anything else.
    @inline(__always)
    static func isoformat26(_ p: Pointer, _ dates: inout DateCache) -> Int64? {
        guard p[19] == UInt8(ascii: "."), let seconds = isoformat19(p, &dates), let fraction = digits(p + 20, 6) else { return nil }
        return seconds + Int64(fraction)
    }

    /// `YYYY-MM-DDTHH:MM:SS` at `p`, every byte checked.
    @inline(__always)
    static func isoformat19(_ p: Pointer, _ dates: inout DateCache) -> Int64? {
        guard p[10] == UInt8(ascii: "T"), p[13] == UInt8(ascii: ":"), p[16] == UInt8(ascii: ":") else { return nil }
        let head = load64(p), tail = UInt16(p[8]) | UInt16(p[9]) << 8
        if !(dates.isValid && head == dates.head && tail == dates.tail) {
            guard p[4] == UInt8(ascii: "-"), p[7] == UInt8(ascii: "-"),
                  let year = digits(p, 4), let month = digits(p + 5, 2), let day = digits(p + 8, 2),
                  let midnight = LocalTimestamp(year: year, month: month, day: day) else { return nil }
            dates = DateCache(head: head, tail: tail, midnight: midnight.microseconds, isValid: true)
        }
        guard let hour = digits(p + 11, 2), let minute = digits(p + 14, 2), let second = digits(p + 17, 2),
              hour < 24, minute < 60, second < 60 else { return nil }
        return dates.midnight + Int64((hour * 60 + minute) * 60 + second) * 1_000_000
    }

    @inline(__always)
    static func digits(_ p: Pointer, _ count: Int) -> Int? {
        var value = 0
        for i in 0..<count {
            let d = p[i] &- 0x30
            guard d < 10 else { return nil }
            value = value &* 10 &+ Int(d)
        }
        return value
    }

    @inline(__always)
    static func load64(_ p: Pointer) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }

    /// Skips spaces and tabs: JSON's other whitespace, `\n` and `\r`, never
    /// occurs inside a line (it ends one), so a scan never crosses a line.
    @inline(__always)
    static func skipSpaces(_ p: inout Pointer, _ end: Pointer) {
        while p < end, p.pointee == 0x20 || p.pointee == 0x09 { p += 1 }
    }

    /// The first byte at or after `p` that is a quote, a backslash, a control
    /// character or not ASCII (or `end`), eight bytes at a time: each test
    /// sets the high bit of the matching bytes, exactly for the lowest match
    /// (a borrow only reaches bytes above a true match).
    @inline(__always)
    static func firstSpecial(_ start: Pointer, _ end: Pointer) -> Pointer {
        var p = start
        while end - p >= 8 {
            let mask = specialMask(load64(p))
            if mask != 0 { return p + (mask.trailingZeroBitCount >> 3) }
            p += 8
        }
        while p < end {
            let b = p.pointee
            if b == 0x22 || b == 0x5C || b < 0x20 || b >= 0x80 { return p }
            p += 1
        }
        return end
    }

    /// The high bit of each byte of `x` (little-endian) that is a quote, a
    /// backslash, a control character or not ASCII, exact for the lowest such
    /// byte (a borrow only reaches bytes above a true match); zero when there
    /// is none.
    @inline(__always)
    static func specialMask(_ x: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let quote = x ^ (ones &* 0x22), backslash = x ^ (ones &* 0x5C)
        return (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((x &- ones &* 0x20) & ~x) | x) & highs
    }

    /// A string of plain ASCII with no escape at `p`: its bytes, `p` past the
    /// closing quote.
    @inline(__always)
    static func plainString(_ p: inout Pointer, _ end: Pointer) -> UnsafeBufferPointer<UInt8>? {
        guard p < end, p.pointee == UInt8(ascii: "\"") else { return nil }
        let start = p + 1
        let close = firstSpecial(start, end)
        guard close < end, close.pointee == UInt8(ascii: "\"") else { return nil }
        p = close + 1
        return UnsafeBufferPointer(start: start, count: close - start)
    }

    @inline(__always)
    static func nullOrString(_ p: inout Pointer, _ end: Pointer) -> Bool {
        if end - p >= 4, p[0] == UInt8(ascii: "n"), p[1] == UInt8(ascii: "u"), p[2] == UInt8(ascii: "l"), p[3] == UInt8(ascii: "l") {
            p += 4
            return true
        }
        return plainString(&p, end) != nil
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// A number with Python's grammar `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`;
    /// `nil` for anything else (the general decoder then reads `NaN`, `true`, …).
    @inline(__always)
    static func number(_ p: inout Pointer, _ end: Pointer) -> Double? {
        let start = p
        var q = p
        var negative = false
        if q < end, q.pointee == UInt8(ascii: "-") { negative = true; q += 1 }
        guard q < end, isDigit(q.pointee) else { return nil }
        var mantissa: UInt64 = 0
        var digits = 0
        if q.pointee == UInt8(ascii: "0") {
            q += 1
        } else {
            while q < end, isDigit(q.pointee) {
                mantissa = mantissa &* 10 &+ UInt64(q.pointee &- 0x30)
                digits += 1
                q += 1
            }
        }
        var scale = 0
        if q < end, q.pointee == UInt8(ascii: ".") {
            q += 1
            guard q < end, isDigit(q.pointee) else { return nil }
            // Eight bytes at a time while eight are readable: the same
            // mantissa (modulo 2^64, as the byte loop's wrapping steps),
            // digit count and scale as the byte loop below, which finishes.
            while end - q >= 8 {
                let (value, count) = eightDigits(q)
                mantissa = mantissa &* powersOfTenInteger[count] &+ value
                digits += count
                scale -= count
                q += count
                if count < 8 { break }
            }
            while q < end, isDigit(q.pointee) {
                mantissa = mantissa &* 10 &+ UInt64(q.pointee &- 0x30)
                digits += 1
                scale -= 1
                q += 1
            }
        }
        var exponent = false
        if q < end, q.pointee | 0x20 == UInt8(ascii: "e") {
            var probe = q + 1
            if probe < end, probe.pointee == UInt8(ascii: "+") || probe.pointee == UInt8(ascii: "-") { probe += 1 }
            if probe < end, isDigit(probe.pointee) {
                exponent = true
                q = probe
                while q < end, isDigit(q.pointee) { q += 1 }
            }
        }
        p = q
        // Leading zeros after the point count as digits here, so 19 digits
        // never overflow the mantissa.
        if !exponent, digits <= 19, mantissa <= 1 << 53, scale >= -22 {
            var value = Double(mantissa)
            if scale < 0 { value /= powersOfTen[-scale] }
            return negative ? -value : value
        }
        return JSONParser.decimalToDouble(UnsafeBufferPointer(start: start, count: q - start))
    }

    /// An integer field as the decoder's `int32` reads it: a plain integer
    /// literal of at most 18 digits (in range: the value; out of it: -1).
    /// Fractions, exponents and longer literals go to the general decoder.
    @inline(__always)
    static func integer(_ p: inout Pointer, _ end: Pointer) -> Int32? {
        var q = p
        var negative = false
        if q < end, q.pointee == UInt8(ascii: "-") { negative = true; q += 1 }
        guard q < end, isDigit(q.pointee) else { return nil }
        var value: Int64 = 0
        var digits = 0
        if q.pointee == UInt8(ascii: "0") {
            q += 1
        } else {
            while q < end, isDigit(q.pointee) {
                value = value &* 10 &+ Int64(q.pointee &- 0x30)
                digits += 1
                q += 1
            }
        }
        guard digits <= 18 else { return nil }
        if q < end, q.pointee == UInt8(ascii: ".") || q.pointee | 0x20 == UInt8(ascii: "e") { return nil }
        p = q
        if negative { value = -value }
        return value >= Int64(Int32.min) && value <= Int64(Int32.max) ? Int32(value) : -1
    }

    /// The leading ASCII digits of the eight bytes at `p` (all readable) as
    /// one integer, and how many there are (0...8), without a branch per
    /// byte.
    ///
    /// Per byte b, t = b − '0' (a borrow out of a non-digit byte only
    /// reaches later bytes, past the digits that count); b is a digit iff t's
    /// high bit and that of t + 0x76 are both clear. The digits are shifted
    /// to the word's top and combined pairwise (1, 10; 100; 10,000).
    @inline(__always)
    static func eightDigits(_ p: Pointer) -> (value: UInt64, count: Int) {
        let word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        let t = word &- 0x3030_3030_3030_3030
        let nonDigit = ((t &+ 0x7676_7676_7676_7676) | t) & 0x8080_8080_8080_8080
        let count = nonDigit.trailingZeroBitCount / 8
        guard count > 0 else { return (0, 0) }
        // The digits in the top `count` bytes, the first one lowest: zero
        // bytes below them are leading zeros.
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        let hundredsAndMillions: UInt64 = 100 + (1_000_000 << 32)
        let onesAndTenThousands: UInt64 = 1 + (10_000 << 32)
        var v = t << UInt64(8 * (8 - count))
        v = (v &* 10) &+ (v >> 8)
        let high = (v & mask) &* hundredsAndMillions
        let low = ((v >> 16) & mask) &* onesAndTenThousands
        return ((high &+ low) >> 32, count)
    }

    /// 10^k for k in 0...8.
    private static let powersOfTenInteger: [UInt64] = (0...8).map { k in (0..<k).reduce(1) { result, _ in result * 10 } }

    private static let powersOfTen: [Double] = (0...22).map { k in
        var p = 1.0
        for _ in 0..<k { p *= 10 }
        return p
    }
}
