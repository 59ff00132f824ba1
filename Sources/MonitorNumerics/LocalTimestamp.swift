import Foundation
import Synchronization

/// A naive local date-time with microsecond resolution, as Python's
/// `datetime` without `tzinfo`: the reference's timestamps.
///
/// Stored as microseconds since 1970-01-01T00:00 on the same naive clock, so
/// that comparisons and `timedelta` arithmetic are exact integer operations.
public struct LocalTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00, naive local time.
    public var microseconds: Int64

    public static let microsecondsPerSecond: Int64 = 1_000_000
    public static let microsecondsPerMinute: Int64 = 60_000_000
    public static let microsecondsPerHour: Int64 = 3_600_000_000
    public static let microsecondsPerDay: Int64 = 86_400_000_000

    @inlinable
    public init(microseconds: Int64) { self.microseconds = microseconds }

    /// A timestamp from calendar fields; `nil` when a field is out of range
    /// (the checks Python's `datetime` constructor makes).
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, microsecond: Int = 0) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Self.daysInMonth(year: year, month: month)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second),
              (0...999_999).contains(microsecond) else { return nil }
        let days = Int64(Self.daysFromCivil(year: year, month: month, day: day))
        microseconds = days * Self.microsecondsPerDay
            + Int64(hour) * Self.microsecondsPerHour + Int64(minute) * Self.microsecondsPerMinute
            + Int64(second) * Self.microsecondsPerSecond + Int64(microsecond)
    }

    /// The current wall-clock time in the machine's time zone, as Python's
    /// `datetime.now()`.
    public static func now() -> LocalTimestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        let utcMicros = Int64(spec.tv_sec) * microsecondsPerSecond + Int64(spec.tv_nsec) / 1_000
        return LocalTimestamp(microseconds: utcMicros + utcOffset(atSecond: Int64(spec.tv_sec)) * microsecondsPerSecond)
    }

    /// The local time zone's offset, looked up once per wall-clock minute
    /// (a recording service reads the clock millions of times a second).
    private static let offsetCache = Mutex<(minute: Int64, offset: Int64)>((Int64.min, 0))

    private static func utcOffset(atSecond second: Int64) -> Int64 {
        let minute = second / 60
        if let cached = offsetCache.withLock({ $0.minute == minute ? $0.offset : nil }) { return cached }
        let offset = Int64(TimeZone.current.secondsFromGMT(for: Date(timeIntervalSince1970: Double(second))))
        offsetCache.withLock { $0 = (minute, offset) }
        return offset
    }

    public static func < (lhs: LocalTimestamp, rhs: LocalTimestamp) -> Bool { lhs.microseconds < rhs.microseconds }

    /// `self + timedelta(microseconds: delta)`.
    @inlinable
    public func adding(microseconds delta: Int64) -> LocalTimestamp {
        LocalTimestamp(microseconds: microseconds + delta)
    }

    /// The calendar fields.
    public var components: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, microsecond: Int) {
        let (days, remainder) = Self.floorDivision(microseconds, Self.microsecondsPerDay)
        let civil = Self.civilFromDays(days)
        let hour = Int(remainder / Self.microsecondsPerHour)
        let minute = Int(remainder % Self.microsecondsPerHour / Self.microsecondsPerMinute)
        let second = Int(remainder % Self.microsecondsPerMinute / Self.microsecondsPerSecond)
        let micro = Int(remainder % Self.microsecondsPerSecond)
        return (civil.year, civil.month, civil.day, hour, minute, second, micro)
    }

    /// The hour of the day, 0–23.
    public var hour: Int {
        Int(Self.floorDivision(microseconds, Self.microsecondsPerDay).remainder / Self.microsecondsPerHour)
    }

    /// Python's `datetime.isoformat()`: `YYYY-MM-DDTHH:MM:SS`, with
    /// `.ffffff` only when the microseconds are not zero.
    public var isoformat: String {
        let c = components
        var text = "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))"
        if c.microsecond != 0 { text += ".\(pad(c.microsecond, 6))" }
        return text
    }

    public var description: String { isoformat }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Division rounding toward negative infinity, with a non-negative remainder.
    public static func floorDivision(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        var q = a / b
        var r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }

    static func isLeapYear(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
    /// `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of ``daysFromCivil(year:month:day:)``.
    static func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
