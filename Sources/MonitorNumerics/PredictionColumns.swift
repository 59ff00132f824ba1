/// One prediction, as the columns store it: numbers as they are, strings as
/// dictionary codes.
package struct EncodedPrediction: Sendable, Equatable {
    /// Microseconds since 1970-01-01T00:00 on the naive local clock.
    package var timestamp: Int64
    package var confidence: Double
    package var processingTime: Double
    package var label: UInt32
    package var modelVersion: UInt32
    package var textLength: Int32
    package var wordCount: Int32

    package init(timestamp: Int64, confidence: Double, processingTime: Double,
                label: UInt32, modelVersion: UInt32 = 0, textLength: Int32 = 0, wordCount: Int32 = 0) {
        self.timestamp = timestamp
        self.confidence = confidence
        self.processingTime = processingTime
        self.label = label
        self.modelVersion = modelVersion
        self.textLength = textLength
        self.wordCount = wordCount
    }
}

/// A bounded window of predictions in columnar form: one contiguous array per
/// field, holding the most recent `capacity` records (the reference's
/// `deque(maxlen=10000)`).
///
/// Appending is O(1) with no allocation once the columns are full: the oldest
/// record is overwritten in place. Readers get contiguous buffers through
/// ``withRecords(after:_:)``, which straightens the ring first if it has
/// wrapped, and finds the window by binary search while timestamps arrive in
/// order (a linear filter otherwise, so out-of-order logs stay exact).
///
/// Storage: 40 bytes per record (8 timestamp, 8 + 8 confidence and processing
/// time, 4 each for label, model version, text length and word count).
package struct PredictionColumns: Sendable {
    /// The most records held; older ones are evicted first.
    package let capacity: Int

    @usableFromInline internal var timestamps: [Int64] = []
    @usableFromInline internal var confidences: [Double] = []
    @usableFromInline internal var processingTimes: [Double] = []
    @usableFromInline internal var labels: [UInt32] = []
    @usableFromInline internal var modelVersions: [UInt32] = []
    @usableFromInline internal var textLengths: [Int32] = []
    @usableFromInline internal var wordCounts: [Int32] = []
    /// Index of the oldest record once the ring has wrapped.
    @usableFromInline internal var head = 0
    /// Whether every record was appended with a timestamp no earlier than the
    /// one before it.
    package private(set) var isTimeOrdered = true
    @usableFromInline internal var lastTimestamp = Int64.min

    /// The default capacity, the reference's `deque(maxlen=10000)`.
    package static let defaultCapacity = 10_000

    /// Creates empty columns.
    ///
    /// - Parameter capacity: The most records to hold; positive.
    package init(capacity: Int = PredictionColumns.defaultCapacity) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
    }

    /// The number of records held.
    @inlinable package var count: Int { timestamps.count }

    /// Whether no record is held.
    @inlinable package var isEmpty: Bool { timestamps.isEmpty }

    /// Reserves room for `count` records (at most the capacity), so that a
    /// load of a known size grows no column by copying. Reserved pages that
    /// are never written are never touched, so cost no resident memory.
    package mutating func reserveCapacity(_ count: Int) {
        let wanted = min(count, capacity)
        guard wanted > timestamps.capacity else { return }
        timestamps.reserveCapacity(wanted)
        confidences.reserveCapacity(wanted)
        processingTimes.reserveCapacity(wanted)
        labels.reserveCapacity(wanted)
        modelVersions.reserveCapacity(wanted)
        textLengths.reserveCapacity(wanted)
        wordCounts.reserveCapacity(wanted)
    }

    /// Appends a record, evicting the oldest when full.
    ///
    /// - Complexity: Amortised O(1); no allocation once full.
    @inlinable
    package mutating func append(_ record: EncodedPrediction) {
        if record.timestamp < lastTimestamp { markUnordered() }
        lastTimestamp = record.timestamp
        if timestamps.count < capacity {
            timestamps.append(record.timestamp)
            confidences.append(record.confidence)
            processingTimes.append(record.processingTime)
            labels.append(record.label)
            modelVersions.append(record.modelVersion)
            textLengths.append(record.textLength)
            wordCounts.append(record.wordCount)
        } else {
            let slot = head
            timestamps[slot] = record.timestamp
            confidences[slot] = record.confidence
            processingTimes[slot] = record.processingTime
            labels[slot] = record.label
            modelVersions[slot] = record.modelVersion
            textLengths[slot] = record.textLength
            wordCounts[slot] = record.wordCount
            head = slot + 1 == capacity ? 0 : slot + 1
        }
    }

    @usableFromInline
    internal mutating func markUnordered() { isTimeOrdered = false }

    /// Appends records in order, evicting the oldest when full: the same
    /// columns as appending them one by one.
    ///
    /// - Complexity: O(n). While the columns have room for all of them, one
    ///   pass per column (a loader's bulk path) instead of seven appends per
    ///   record.
    public mutating func append(contentsOf records: UnsafeBufferPointer<EncodedPrediction>) {
        guard timestamps.count + records.count <= capacity else {
            for record in records { append(record) }
            return
        }
        var ordered = isTimeOrdered, last = lastTimestamp
        for record in records {
            ordered = ordered && record.timestamp >= last
            last = record.timestamp
        }
        if !ordered { markUnordered() }
        lastTimestamp = last
        timestamps.append(contentsOf: records.lazy.map(\.timestamp))
        confidences.append(contentsOf: records.lazy.map(\.confidence))
        processingTimes.append(contentsOf: records.lazy.map(\.processingTime))
        labels.append(contentsOf: records.lazy.map(\.label))
        modelVersions.append(contentsOf: records.lazy.map(\.modelVersion))
        textLengths.append(contentsOf: records.lazy.map(\.textLength))
        wordCounts.append(contentsOf: records.lazy.map(\.wordCount))
    }

    /// The label and model-version codes in use by the records held.
    ///
    /// - Complexity: O(n).
    package func codesInUse(labelCount: Int, modelVersionCount: Int) -> (labels: [Bool], modelVersions: [Bool]) {
        var usedLabels = [Bool](repeating: false, count: labelCount)
        var usedVersions = [Bool](repeating: false, count: modelVersionCount)
        for code in labels where Int(code) < labelCount { usedLabels[Int(code)] = true }
        for code in modelVersions where Int(code) < modelVersionCount { usedVersions[Int(code)] = true }
        return (usedLabels, usedVersions)
    }

    /// Rewrites every label and model-version code through the tables
    /// (old code → new code).
    ///
    /// - Complexity: O(n).
    package mutating func remapCodes(labels labelTable: [UInt32], modelVersions versionTable: [UInt32]) {
        for i in labels.indices { labels[i] = labelTable[Int(labels[i])] }
        for i in modelVersions.indices { modelVersions[i] = versionTable[Int(modelVersions[i])] }
    }

    /// The record at logical position `index` (0 is the oldest held).
    package subscript(index: Int) -> EncodedPrediction {
        precondition(index >= 0 && index < count, "index out of range")
        var slot = head + index
        if slot >= count { slot -= count }
        return EncodedPrediction(timestamp: timestamps[slot], confidence: confidences[slot],
                                 processingTime: processingTimes[slot], label: labels[slot],
                                 modelVersion: modelVersions[slot], textLength: textLengths[slot],
                                 wordCount: wordCounts[slot])
    }

    /// Rotates every column so that the oldest record is at index 0.
    ///
    /// - Complexity: O(n) when the ring has wrapped, O(1) otherwise.
    package mutating func linearize() {
        guard head != 0 else { return }
        func rotated<T>(_ column: [T]) -> [T] { Array(column[head...]) + column[..<head] }
        timestamps = rotated(timestamps)
        confidences = rotated(confidences)
        processingTimes = rotated(processingTimes)
        labels = rotated(labels)
        modelVersions = rotated(modelVersions)
        textLengths = rotated(textLengths)
        wordCounts = rotated(wordCounts)
        head = 0
    }

    /// Calls `body` with the records whose timestamp is strictly after
    /// `cutoff` (the reference's `timestamp > now - window`), in record order.
    ///
    /// - Parameters:
    ///   - cutoff: Exclusive lower bound, in microseconds.
    ///   - body: Reads the window; the buffers must not escape it.
    /// - Complexity: O(log n) to find the window when timestamps are in order
    ///   (plus O(n) once after the ring wraps); O(n) and a copy otherwise.
    package mutating func withRecords<R>(after cutoff: Int64, _ body: (ColumnWindow) throws -> R) rethrows -> R {
        linearize()
        return try withAllRecords { all in
            try all.withRecords(after: cutoff, body)
        }
    }

    /// Calls `body` with every record held, in record order.
    ///
    /// - Complexity: O(1) once linear (O(n) the first time after a wrap).
    package mutating func withAllRecords<R>(_ body: (ColumnWindow) throws -> R) rethrows -> R {
        linearize()
        return try ColumnWindow.borrowing(timestamps, confidences, processingTimes, labels,
                                          isTimeOrdered: isTimeOrdered, body)
    }
}
