import MonitorNumerics

/// The monitored metrics a detector can watch.
public enum MonitoredMetric: String, Sendable, CaseIterable, Codable {
    case confidence
    case processingTime = "processing_time"
    case label
    case errorRate = "error_rate"
}

/// One interval (a minute by default) of a prediction stream: every
/// prediction's confidence, processing time and label code, and the errors.
///
/// Label codes come from the ``StringDictionary`` of whoever cuts the stream
/// (``IntervalCutter``), in first-appearance order.
public struct IntervalSummary: Sendable, Equatable {
    public var start: LocalTimestamp
    public var end: LocalTimestamp
    public var confidences: [Double] = []
    public var processingTimes: [Double] = []
    public var labels: [UInt32] = []
    public var errors = 0

    public init(start: LocalTimestamp, end: LocalTimestamp) {
        self.start = start
        self.end = end
    }

    public var predictions: Int { confidences.count }
    public var requests: Int { predictions + errors }

    /// Adds one prediction.
    ///
    /// - Complexity: Amortised O(1).
    @inlinable
    public mutating func addPrediction(confidence: Double, processingTime: Double, label: UInt32) {
        confidences.append(confidence)
        processingTimes.append(processingTime)
        labels.append(label)
    }

    /// Adds one error.
    public mutating func addError() { errors += 1 }

    /// This interval and a later one, pooled.
    ///
    /// - Complexity: O(records in both).
    public func merged(with later: IntervalSummary) -> IntervalSummary {
        var pooled = self
        pooled.end = later.end
        pooled.confidences += later.confidences
        pooled.processingTimes += later.processingTimes
        pooled.labels += later.labels
        pooled.errors += later.errors
        return pooled
    }

    /// Label counts by code (the array is as long as the largest code + 1).
    ///
    /// - Complexity: O(predictions).
    public func labelCounts(minimumLength: Int = 0) -> [Int] {
        var counts = [Int](repeating: 0, count: max(minimumLength, Int(labels.max() ?? 0) + (labels.isEmpty ? 0 : 1)))
        for code in labels { counts[Int(code)] += 1 }
        return counts
    }
}

/// Cuts a time-ordered stream of events into fixed intervals aligned to
/// multiples of the interval length (whole minutes by default), as the live
/// monitor and the offline `detect` both do, so that both see the same
/// intervals. Intervals without any event are never produced.
public struct IntervalCutter: Sendable {
    /// Microseconds per interval.
    public let intervalLength: Int64
    /// The label dictionary behind the intervals' label codes.
    package internal(set) var labels = StringDictionary()
    /// The interval still open, if any.
    public internal(set) var open: IntervalSummary?
    /// External label codes to ours (`UInt32.max` where not yet seen).
    private var translation: [UInt32] = []
    private var translationGeneration = 0

    /// The most distinct labels told apart; later new labels share one code,
    /// named ``overflowLabel``, so that memory stays bounded on a stream
    /// whose "labels" are really free text.
    public static let labelLimit = 10_000
    /// The name of the code shared by labels past ``labelLimit``.
    public static let overflowLabel = "(other labels)"

    mutating func encode(_ label: String) -> UInt32 {
        if labels.count < Self.labelLimit - 1 { return labels.encode(label) }
        return labels.code(of: label) ?? labels.encode(Self.overflowLabel)
    }

    /// - Precondition: `intervalLength > 0`.
    public init(intervalLength: Int64 = LocalTimestamp.microsecondsPerMinute) {
        precondition(intervalLength > 0, "intervalLength must be positive")
        self.intervalLength = intervalLength
    }

    /// Adds a prediction at `timestamp`, returning the interval it closed, if any.
    ///
    /// - Complexity: O(1) amortised (one dictionary look-up).
    public mutating func addPrediction(at timestamp: LocalTimestamp, label: String, confidence: Double,
                                       processingTime: Double) -> IntervalSummary? {
        let closed = advance(to: timestamp)
        let code = encode(label)
        open!.addPrediction(confidence: confidence, processingTime: processingTime, label: code)
        return closed
    }

    /// Adds a prediction whose label the caller has already encoded in a
    /// dictionary of its own (`externalCode`, with `label` its name): the
    /// code is translated through a table instead of hashing the name again.
    ///
    /// - Complexity: O(1) amortised.
    ///
    /// - Parameter generation: The external dictionary's generation: when it
    ///   changes (its codes were renumbered), the translation starts afresh.
    public mutating func addPrediction(at timestamp: LocalTimestamp, externalCode: UInt32, generation: Int = 0,
                                       label: String, confidence: Double, processingTime: Double) -> IntervalSummary? {
        let closed = advance(to: timestamp)
        if generation != translationGeneration {
            translation = []
            translationGeneration = generation
        }
        let index = Int(externalCode)
        if index >= translation.count {
            translation += [UInt32](repeating: .max, count: index + 1 - translation.count)
        }
        var code = translation[index]
        if code == .max {
            code = encode(label)
            translation[index] = code
        }
        open!.addPrediction(confidence: confidence, processingTime: processingTime, label: code)
        return closed
    }

    /// Adds an error at `timestamp`, returning the interval it closed, if any.
    public mutating func addError(at timestamp: LocalTimestamp) -> IntervalSummary? {
        let closed = advance(to: timestamp)
        open!.addError()
        return closed
    }

    /// Closes the open interval if `now` is at or past its end.
    public mutating func close(at now: LocalTimestamp) -> IntervalSummary? {
        guard let current = open, now >= current.end else { return nil }
        open = nil
        return current
    }

    /// Makes sure the open interval holds `timestamp`, returning the one it replaced.
    /// A timestamp earlier than the open interval (a clock step back) joins it.
    mutating func advance(to timestamp: LocalTimestamp) -> IntervalSummary? {
        if let current = open, timestamp < current.end { return nil }
        let start = timestamp.microseconds - LocalTimestamp.floorDivision(timestamp.microseconds, intervalLength).remainder
        let finished = open
        open = IntervalSummary(start: LocalTimestamp(microseconds: start),
                               end: LocalTimestamp(microseconds: start).adding(microseconds: intervalLength))
        return finished
    }
}
