extension LocalTimestamp {
    /// Parses a timestamp as CPython 3.11's `datetime.fromisoformat` (its C
    /// implementation) does, for the naive values the reference can compare:
    ///
    /// - the date ends where CPython looks for the separator: `YYYY-MM-DD`
    ///   (10 bytes), `YYYYMMDD` (8), `YYYY-Www` (8), `YYYY-Www-D` (10, unless
    ///   a digit follows at byte 10: then `YYYY-Www` and a `-` separator, so
    ///   `2026-W48-1200` is 12:00 on Monday of week 48), `YYYYWww` or
    ///   `YYYYWwwD` (7 or 8, by the parity of the run of digits);
    /// - then any single character (of any UTF-8 length) and a time:
    ///   `HH[:MM[:SS]]` or `HH[MM[SS]]`; after the seconds, or after the
    ///   hours or minutes, `.` or `,` and the fraction (beyond six digits,
    ///   truncated). As in CPython, a `:` after the seconds of the extended
    ///   form also starts the fraction (`12:00:00:123456`), and in the basic
    ///   form digits straight after the seconds are the fraction
    ///   (`12000012` is 12:00:00.12).
    ///
    /// A UTC offset or `Z` makes a timezone-aware value, which the reference
    /// cannot compare with its naive clock; such text gives `nil`, as does
    /// anything Python would reject. `Tests/MonitoringTests/PythonFixtures/fromisoformat.jsonl`
    /// holds Python's own answers for about 900 forms.
    ///
    /// - Parameter text: UTF-8 bytes of the timestamp.
    /// - Complexity: O(length), no allocation.
    public init?(isoformat text: UnsafeBufferPointer<UInt8>) {
        let reader = ISOFormatReader(text)
        guard let fields = reader.parse() else { return nil }
        self.init(year: fields.year, month: fields.month, day: fields.day,
                  hour: fields.hour, minute: fields.minute, second: fields.second, microsecond: fields.microsecond)
    }

    /// Parses a timestamp string; see ``init(isoformat:)-(UnsafeBufferPointer<UInt8>)``.
    public init?(isoformat text: String) {
        var text = text
        guard let parsed = text.withUTF8({ LocalTimestamp(isoformat: $0) }) else { return nil }
        self = parsed
    }
}

/// CPython's `fromisoformat` scanner. CPython reads a NUL-terminated UTF-8
/// buffer, so a read past the end gives 0 and an embedded NUL ends the text
/// where CPython tests for the end with `*p != '\0'`; `byte(_:)` reproduces both.
private struct ISOFormatReader {
    let bytes: UnsafeBufferPointer<UInt8>

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    typealias Fields = (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, microsecond: Int)

    @inline(__always) func byte(_ index: Int) -> UInt8 { index < bytes.count ? bytes[index] : 0 }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// `count` decimal digits at `index`, or `nil`.
    func digits(at index: Int, _ count: Int) -> Int? {
        var value = 0
        for i in 0..<count {
            let b = byte(index + i)
            guard Self.isDigit(b) else { return nil }
            value = value * 10 + Int(b - 0x30)
        }
        return value
    }

    func parse() -> Fields? {
        // Every valid form has at least seven (ASCII) characters.
        guard bytes.count >= 7, let separator = separatorLocation() else { return nil }
        guard let date = parseDate(length: separator) else { return nil }
        guard bytes.count > separator else { return (date.year, date.month, date.day, 0, 0, 0, 0) }
        // Skip the separator: one character, its UTF-8 length read from the lead byte as CPython does.
        let lead = bytes[separator]
        let width = lead & 0x80 == 0 ? 1 : lead & 0xF0 == 0xE0 ? 3 : lead & 0xF0 == 0xF0 ? 4 : 2
        guard let time = parseTime(from: separator + width) else { return nil }
        return (date.year, date.month, date.day, time.hour, time.minute, time.second, time.microsecond)
    }

    /// Where the date ends (CPython's `_find_isoformat_datetime_separator`).
    func separatorLocation() -> Int? {
        let n = bytes.count
        if n == 7 { return 7 }
        if byte(4) == UInt8(ascii: "-") {
            guard byte(5) == UInt8(ascii: "W") else { return 10 }  // YYYY-MM-DD
            guard n > 8, byte(8) == UInt8(ascii: "-") else { return 8 }  // YYYY-Www
            if n == 9 { return nil }
            // YYYY-Www-D, or YYYY-Www and a '-' separator when a digit follows at 10.
            return n > 10 && Self.isDigit(byte(10)) ? 8 : 10
        }
        guard byte(4) == UInt8(ascii: "W") else { return 8 }  // YYYYMMDD
        var index = 7
        while index < n, Self.isDigit(bytes[index]) { index += 1 }
        if index < 9 { return index }
        return index % 2 == 0 ? 7 : 8  // YYYYWww then HH… pairs, or YYYYWwwD then pairs
    }

    /// The date in the first `length` bytes (CPython's `parse_isoformat_date`).
    func parseDate(length: Int) -> (year: Int, month: Int, day: Int)? {
        guard let year = digits(at: 0, 4) else { return nil }
        var p = 4
        let usesSeparator = byte(p) == UInt8(ascii: "-")
        if usesSeparator { p += 1 }
        if byte(p) == UInt8(ascii: "W") {
            p += 1
            guard let week = digits(at: p, 2) else { return nil }
            p += 2
            var weekday = 1
            if p < length {
                if usesSeparator {
                    guard byte(p) == UInt8(ascii: "-") else { return nil }
                    p += 1
                }
                guard let d = digits(at: p, 1) else { return nil }
                weekday = d
            }
            return Self.dateFromISOWeek(year: year, week: week, weekday: weekday)
        }
        guard let month = digits(at: p, 2) else { return nil }
        p += 2
        if usesSeparator {
            guard byte(p) == UInt8(ascii: "-") else { return nil }
            p += 1
        }
        guard let day = digits(at: p, 2) else { return nil }
        return (year, month, day)
    }

    /// The time from `start` to the end (CPython's `parse_isoformat_time`),
    /// or `nil` when it is invalid or carries a UTC offset.
    func parseTime(from start: Int) -> (hour: Int, minute: Int, second: Int, microsecond: Int)? {
        let end = bytes.count
        // The first 'Z', '+' or '-' starts an offset; CPython tests the first byte even when the time is empty.
        var offsetStart = start
        repeat {
            let b = byte(offsetStart)
            if b == UInt8(ascii: "Z") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") { break }
            offsetStart += 1
        } while offsetStart < end
        guard offsetStart >= end else { return nil }  // aware, or invalid
        guard let (fields, trailing) = parseClock(from: start, to: offsetStart), !trailing else { return nil }
        return fields
    }

    /// `HH[:?MM[:?SS]][{.,}fff…]` between `start` and `end` (CPython's
    /// `parse_hh_mm_ss_ff`), and whether text other than the end follows.
    func parseClock(from start: Int, to end: Int)
        -> (fields: (hour: Int, minute: Int, second: Int, microsecond: Int), trailing: Bool)?
    {
        var values = (0, 0, 0)
        var p = start
        var hasSeparator = true
        for component in 0..<3 {
            guard let value = digits(at: p, 2) else { return nil }
            switch component {
            case 0: values.0 = value
            case 1: values.1 = value
            default: values.2 = value
            }
            p += 2
            let c = byte(p)
            p += 1
            if component == 0 { hasSeparator = c == UInt8(ascii: ":") }
            if p >= end { return ((values.0, values.1, values.2, 0), c != 0) }
            if hasSeparator && c == UInt8(ascii: ":") { continue }
            if c == UInt8(ascii: ".") || c == UInt8(ascii: ",") { break }
            guard !hasSeparator else { return nil }
            p -= 1
        }
        // The fraction: up to six digits, more truncated.
        let count = min(end - p, 6)
        guard count > 0, var micro = digits(at: p, count) else { return nil }
        for _ in count..<6 { micro *= 10 }
        p += count
        while Self.isDigit(byte(p)) { p += 1 }
        return ((values.0, values.1, values.2, micro), byte(p) != 0)
    }

    /// The calendar date of ISO week `week`, day `weekday` (1 = Monday).
    static func dateFromISOWeek(year: Int, week: Int, weekday: Int) -> (year: Int, month: Int, day: Int)? {
        guard (1...9999).contains(year), (1...7).contains(weekday) else { return nil }
        let jan4 = LocalTimestamp.daysFromCivil(year: year, month: 1, day: 4)
        // 1970-01-01 was a Thursday: weekday index 3 counting Monday as 0.
        let jan4Weekday = ((jan4 % 7) + 7 + 3) % 7
        let firstMonday = jan4 - jan4Weekday
        let lastWeek: Int = {
            let dec28 = LocalTimestamp.daysFromCivil(year: year, month: 12, day: 28)
            return (dec28 - firstMonday) / 7 + 1
        }()
        guard (1...lastWeek).contains(week) else { return nil }
        let days = firstMonday + (week - 1) * 7 + (weekday - 1)
        let civil = LocalTimestamp.civilFromDays(Int64(days))
        return (civil.year, civil.month, civil.day)
    }
}
