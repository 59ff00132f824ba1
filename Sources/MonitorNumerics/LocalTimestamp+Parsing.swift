extension LocalTimestamp {
    /// Parses a timestamp as Python 3.11's `datetime.fromisoformat` does, for
    /// the naive forms the reference can compare:
    ///
    /// - date: `YYYY-MM-DD`, `YYYYMMDD`, `YYYY-Www[-D]` or `YYYYWww[D]`;
    /// - optionally one separator character of any kind, then a time:
    ///   `HH`, `HH:MM`, `HH:MM:SS`, `HHMM` or `HHMMSS`, the seconds forms
    ///   optionally followed by `.` or `,` and one or more digits of fraction
    ///   (beyond six, truncated).
    ///
    /// A UTC offset or `Z` makes a timezone-aware value, which the reference
    /// cannot compare with its naive clock; such text gives `nil`, as does
    /// anything Python would reject.
    ///
    /// - Parameter text: UTF-8 bytes of the timestamp.
    /// - Complexity: O(length), no allocation.
    public init?(isoformat text: UnsafeBufferPointer<UInt8>) {
        var reader = ByteReader(text)
        guard let date = reader.parseDate() else { return nil }
        var hour = 0, minute = 0, second = 0, micro = 0
        if !reader.isAtEnd {
            reader.skipScalar()  // any single character separates date and time
            guard let time = reader.parseTime(), reader.isAtEnd else { return nil }
            (hour, minute, second, micro) = time
        }
        self.init(year: date.year, month: date.month, day: date.day,
                  hour: hour, minute: minute, second: second, microsecond: micro)
    }

    /// Parses a timestamp string; see ``init(isoformat:)-(UnsafeBufferPointer<UInt8>)``.
    public init?(isoformat text: String) {
        var text = text
        guard let parsed = text.withUTF8({ LocalTimestamp(isoformat: $0) }) else { return nil }
        self = parsed
    }
}

private struct ByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { position >= bytes.count }

    func peek(_ offset: Int = 0) -> UInt8? {
        position + offset < bytes.count ? bytes[position + offset] : nil
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    mutating func digits(_ count: Int) -> Int? {
        guard position + count <= bytes.count else { return nil }
        var value = 0
        for i in 0..<count {
            let b = bytes[position + i]
            guard b >= 0x30 && b <= 0x39 else { return nil }
            value = value * 10 + Int(b - 0x30)
        }
        position += count
        return value
    }

    mutating func skipScalar() {
        let lead = bytes[position]
        let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : 4
        position = min(bytes.count, position + length)
    }

    mutating func parseDate() -> (year: Int, month: Int, day: Int)? {
        guard let year = digits(4) else { return nil }
        let extended = consume(UInt8(ascii: "-"))
        if consume(UInt8(ascii: "W")) {
            guard let week = digits(2) else { return nil }
            var weekday = 1
            if extended ? consume(UInt8(ascii: "-")) : (peek().map { $0 >= 0x30 && $0 <= 0x39 } ?? false) {
                guard let d = digits(1) else { return nil }
                weekday = d
            }
            return Self.dateFromISOWeek(year: year, week: week, weekday: weekday)
        }
        guard let month = digits(2) else { return nil }
        if extended { guard consume(UInt8(ascii: "-")) else { return nil } }
        guard let day = digits(2) else { return nil }
        return (year, month, day)
    }

    mutating func parseTime() -> (Int, Int, Int, Int)? {
        guard let hour = digits(2) else { return nil }
        if isAtEnd { return (hour, 0, 0, 0) }
        let extended = consume(UInt8(ascii: ":"))
        guard let minute = digits(2) else { return nil }
        if isAtEnd { return (hour, minute, 0, 0) }
        if extended { guard consume(UInt8(ascii: ":")) else { return nil } }
        guard let second = digits(2) else { return nil }
        var micro = 0
        if consume(UInt8(ascii: ".")) || consume(UInt8(ascii: ",")) {
            var count = 0
            while let b = peek(), b >= 0x30 && b <= 0x39 {
                if count < 6 { micro = micro * 10 + Int(b - 0x30) }
                count += 1
                position += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 6) { micro *= 10 }
        }
        return (hour, minute, second, micro)
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
