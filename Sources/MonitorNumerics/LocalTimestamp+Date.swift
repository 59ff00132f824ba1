import Foundation

/// Bridges between the reference's naive local time and `Foundation.Date`.
///
/// A ``LocalTimestamp`` is a wall-clock reading without a time zone, as the
/// reference's `datetime.now().isoformat()` writes it. Turning it into an
/// instant needs the zone whose wall clock it was read from, by default the
/// machine's (`TimeZone.current`, what `datetime.now()` used). The rules are
/// Python's for a naive `datetime` with `fold=0` (`datetime.timestamp()` and
/// `datetime.fromtimestamp(t)`):
///
/// - A reading that occurs twice (the hour repeated when clocks go back)
///   means its first occurrence, in daylight-saving time.
/// - A reading that never occurs (the hour skipped when clocks go forward)
///   is read with the offset in force before the change: `02:30` on a
///   spring-forward night in New York is `07:30Z`, which is `03:30` EDT.
/// - Instants are rounded to the microsecond, half to even, as
///   `datetime.fromtimestamp` rounds.
extension LocalTimestamp {
    /// Seconds from 1970-01-01 to 2001-01-01, `Date`'s reference date.
    private static let referenceDateSeconds: Int64 = 978_307_200

    /// The wall-clock reading of `date` in `timeZone`, to the microsecond
    /// (Python's `datetime.fromtimestamp(t)`).
    ///
    /// - Parameters:
    ///   - date: The instant.
    ///   - timeZone: The zone whose wall clock is read; the machine's by
    ///     default, as the reference's `datetime.now()`.
    public init(_ date: Date, timeZone: TimeZone = .current) {
        let interval = date.timeIntervalSinceReferenceDate
        var seconds = interval.rounded(.down)
        var micros = ((interval - seconds) * 1e6).rounded(.toNearestOrEven)
        if micros >= 1e6 { seconds += 1; micros -= 1e6 }
        let unixSeconds = Int64(seconds) + Self.referenceDateSeconds
        let offset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(unixSeconds))))
        self.init(microseconds: (unixSeconds + offset) * Self.microsecondsPerSecond + Int64(micros))
    }

    /// The instant at which `timeZone`'s wall clock reads this timestamp
    /// (Python's `datetime.timestamp()` for a naive `datetime`, `fold=0`);
    /// see the type's notes for the hours that clocks repeat or skip.
    ///
    /// - Parameter timeZone: The zone the reading was taken in; the
    ///   machine's by default.
    public func date(in timeZone: TimeZone = .current) -> Date {
        let (wall, micros) = Self.floorDivision(microseconds, Self.microsecondsPerSecond)
        let unixSeconds = Self.unixSeconds(ofWallSecond: wall, in: timeZone)
        return Date(timeIntervalSinceReferenceDate: Double(unixSeconds - Self.referenceDateSeconds) + Double(micros) / 1e6)
    }

    /// CPython's `datetime._mktime` with `fold=0`: the Unix second `u` with
    /// `local(u) == t`, the earlier one when there are two, and the one
    /// read with the earlier offset when there is none.
    private static func unixSeconds(ofWallSecond t: Int64, in timeZone: TimeZone) -> Int64 {
        func local(_ u: Int64) -> Int64 {
            u + Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(u))))
        }
        let maxFoldSeconds: Int64 = 24 * 3600
        let a = local(t) - t
        let u1 = t - a
        let t1 = local(u1)
        let b: Int64
        if t1 == t {
            // One solution; look a day earlier for an earlier one.
            let u2 = u1 - maxFoldSeconds
            let offset = local(u2) - u2
            if a == offset { return u1 }
            b = offset
        } else {
            b = t1 - u1
        }
        let u2 = t - b
        if local(u2) == t { return u2 }
        if t1 == t { return u1 }
        // In the gap: neither offset gives `t`; fold 0 takes the later instant.
        return max(u1, u2)
    }
}
