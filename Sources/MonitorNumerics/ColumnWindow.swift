/// A borrowed, contiguous view of some records' columns, in record order.
///
/// Handed to closures by ``PredictionColumns/withRecords(after:_:)``; the
/// buffers are valid only inside the closure.
package struct ColumnWindow {
    package let timestamps: UnsafeBufferPointer<Int64>
    package let confidences: UnsafeBufferPointer<Double>
    package let processingTimes: UnsafeBufferPointer<Double>
    package let labels: UnsafeBufferPointer<UInt32>
    /// Whether the timestamps are non-decreasing, so that time ranges are
    /// contiguous slices.
    package let isTimeOrdered: Bool

    package init(timestamps: UnsafeBufferPointer<Int64>, confidences: UnsafeBufferPointer<Double>,
                processingTimes: UnsafeBufferPointer<Double>, labels: UnsafeBufferPointer<UInt32>,
                isTimeOrdered: Bool) {
        precondition(timestamps.count == confidences.count && confidences.count == processingTimes.count
                     && processingTimes.count == labels.count, "columns of unequal length")
        self.timestamps = timestamps
        self.confidences = confidences
        self.processingTimes = processingTimes
        self.labels = labels
        self.isTimeOrdered = isTimeOrdered
    }

    /// The number of records in view.
    package var count: Int { timestamps.count }

    /// Whether the view is empty.
    package var isEmpty: Bool { timestamps.isEmpty }

    /// Calls `body` with the records whose timestamp is strictly after `cutoff`.
    ///
    /// - Complexity: O(log n) when time-ordered; O(n) and a copy otherwise.
    package func withRecords<R>(after cutoff: Int64, _ body: (ColumnWindow) throws -> R) rethrows -> R {
        guard cutoff < Int64.max else {
            // Nothing is newer than the latest representable instant.
            let none = 0..<0
            return try body(ColumnWindow(
                timestamps: UnsafeBufferPointer(rebasing: timestamps[none]),
                confidences: UnsafeBufferPointer(rebasing: confidences[none]),
                processingTimes: UnsafeBufferPointer(rebasing: processingTimes[none]),
                labels: UnsafeBufferPointer(rebasing: labels[none]), isTimeOrdered: true))
        }
        return try withRecords(in: (cutoff + 1)...Int64.max, body)
    }

    /// Calls `body` with the records whose timestamp lies in `range`, in
    /// record order.
    ///
    /// - Parameters:
    ///   - range: The timestamps to keep (an empty range keeps nothing).
    ///   - body: Reads the sub-window; the buffers must not escape it.
    /// - Complexity: O(log n) when time-ordered; O(n) and a copy of the
    ///   selected records otherwise.
    package func withRecords<R>(in range: ClosedRange<Int64>, _ body: (ColumnWindow) throws -> R) rethrows -> R {
        if isTimeOrdered {
            let lower = firstIndex(notBefore: range.lowerBound)
            let upper = range.upperBound == Int64.max ? count : firstIndex(notBefore: range.upperBound + 1)
            let slice = lower..<max(lower, upper)
            return try body(ColumnWindow(
                timestamps: UnsafeBufferPointer(rebasing: timestamps[slice]),
                confidences: UnsafeBufferPointer(rebasing: confidences[slice]),
                processingTimes: UnsafeBufferPointer(rebasing: processingTimes[slice]),
                labels: UnsafeBufferPointer(rebasing: labels[slice]),
                isTimeOrdered: true))
        }
        var keptTimestamps: [Int64] = [], keptConfidences: [Double] = []
        var keptTimes: [Double] = [], keptLabels: [UInt32] = []
        for i in 0..<count where range.contains(timestamps[i]) {
            keptTimestamps.append(timestamps[i])
            keptConfidences.append(confidences[i])
            keptTimes.append(processingTimes[i])
            keptLabels.append(labels[i])
        }
        return try Self.borrowing(keptTimestamps, keptConfidences, keptTimes, keptLabels,
                                  isTimeOrdered: false, body)
    }

    /// Calls `body` with a window over four arrays of equal length.
    static func borrowing<R>(
        _ timestamps: [Int64], _ confidences: [Double], _ processingTimes: [Double], _ labels: [UInt32],
        isTimeOrdered: Bool, _ body: (ColumnWindow) throws -> R
    ) rethrows -> R {
        try timestamps.withUnsafeBufferPointer { t in
            try confidences.withUnsafeBufferPointer { c in
                try processingTimes.withUnsafeBufferPointer { p in
                    try labels.withUnsafeBufferPointer { l in
                        try body(ColumnWindow(timestamps: t, confidences: c, processingTimes: p,
                                              labels: l, isTimeOrdered: isTimeOrdered))
                    }
                }
            }
        }
    }

    /// The first index whose timestamp is `>= bound` (binary search; the
    /// view must be time-ordered).
    ///
    /// - Complexity: O(log n).
    package func firstIndex(notBefore bound: Int64) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if timestamps[mid] < bound { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
