extension LocalTimestamp {
    /// `self + timedelta(…)`: the timestamp moved by `duration`, rounded to
    /// the microsecond half to even, as Python's `timedelta` rounds.
    ///
    /// - Precondition: The result is within ±292,000 years of 1970.
    public static func + (lhs: LocalTimestamp, rhs: Duration) -> LocalTimestamp {
        lhs.adding(microseconds: roundedMicroseconds(rhs))
    }

    /// `self - timedelta(…)`; see ``+(_:_:)-(LocalTimestamp,Duration)``.
    public static func - (lhs: LocalTimestamp, rhs: Duration) -> LocalTimestamp {
        lhs.adding(microseconds: -roundedMicroseconds(rhs))
    }

    /// The span between two timestamps on the naive clock (Python's
    /// `datetime - datetime`): whole microseconds, ignoring any change of
    /// the clocks in between, as the reference does.
    public static func - (lhs: LocalTimestamp, rhs: LocalTimestamp) -> Duration {
        .microseconds(lhs.microseconds - rhs.microseconds)
    }

    /// `duration` in microseconds, rounded half to even.
    package static func roundedMicroseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let total = Int128(seconds) * 1_000_000_000_000_000_000 + Int128(attoseconds)
        let perMicrosecond: Int128 = 1_000_000_000_000
        var quotient = total / perMicrosecond
        var remainder = total % perMicrosecond
        if remainder < 0 { quotient -= 1; remainder += perMicrosecond }
        if 2 * remainder > perMicrosecond || (2 * remainder == perMicrosecond && quotient & 1 == 1) { quotient += 1 }
        return Int64(quotient)
    }
}
