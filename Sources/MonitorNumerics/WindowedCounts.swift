/// Counts of timestamps per calendar bucket, in order of first appearance.
package enum WindowedCounts {
    /// Microseconds in one hour.
    package static let microsecondsPerHour: Int64 = 3_600_000_000

    /// How many timestamps fall in each hour of the day (0–23), as the
    /// reference's `hourly_distribution`: keys in order of first appearance.
    ///
    /// - Parameter timestamps: Microseconds on the naive local clock since
    ///   1970-01-01T00:00.
    /// - Returns: `(hour, count)` pairs in first-appearance order.
    /// - Complexity: O(n), one pass, no allocation beyond the 24 counters.
    package static func hourOfDayCounts(_ timestamps: UnsafeBufferPointer<Int64>) -> [(hour: Int, count: Int)] {
        var counts = [Int](repeating: 0, count: 24)
        var order: [Int] = []
        for t in timestamps {
            let hours = t >= 0 ? t / microsecondsPerHour : (t + 1) / microsecondsPerHour - 1
            var hour = Int(hours % 24)
            if hour < 0 { hour += 24 }
            if counts[hour] == 0 { order.append(hour) }
            counts[hour] += 1
        }
        return order.map { ($0, counts[$0]) }
    }
}
