import Foundation
import Monitoring
import MonitorNumerics

/// The monitored metrics a detector can watch.
public enum MonitoredMetric: String, Sendable, CaseIterable, Codable {
    case confidence
    case processingTime = "processing_time"
    case label
    case errorRate = "error_rate"
}

/// One interval (a minute by default) of a prediction stream.
public struct IntervalSummary: Sendable {
    public var start: LocalTimestamp
    public var end: LocalTimestamp
    public var confidences: [Double] = []
    public var processingTimes: [Double] = []
    /// Label codes (see ``MetricStreams/labels``).
    public var labels: [UInt32] = []
    public var errors = 0

    public var predictions: Int { confidences.count }
    public var requests: Int { predictions + errors }

    /// Adds one event, encoding its label in `labels`.
    mutating func add(_ event: MonitorEvent, labels: inout StringDictionary) {
        switch event {
        case .prediction(let record):
            confidences.append(record.confidence)
            processingTimes.append(record.processingTime)
            self.labels.append(labels.encode(record.prediction))
        case .error:
            errors += 1
        }
    }
}

/// A stream of events cut into fixed intervals, with the per-interval
/// values the scalar detectors watch.
///
/// Empty intervals (no request at all) are dropped: a detector sees a value
/// only when there was traffic.
public struct MetricStreams: Sendable {
    public private(set) var intervals: [IntervalSummary] = []
    public private(set) var labels = StringDictionary()
    public let intervalLength: Int64

    /// Cuts time-ordered events into intervals.
    ///
    /// - Parameters:
    ///   - events: Events in timestamp order.
    ///   - intervalLength: Microseconds per interval (a minute by default),
    ///     aligned to the first event's minute.
    /// - Complexity: O(n).
    public init(events: [MonitorEvent], intervalLength: Int64 = LocalTimestamp.microsecondsPerMinute) {
        self.intervalLength = intervalLength
        guard let first = events.first else { return }
        let origin = first.timestamp.microseconds - LocalTimestamp.floorDivision(first.timestamp.microseconds, intervalLength).remainder
        var current: IntervalSummary?
        for event in events {
            let index = (event.timestamp.microseconds - origin) / intervalLength
            let start = LocalTimestamp(microseconds: origin + index * intervalLength)
            if current?.start != start {
                if let finished = current { intervals.append(finished) }
                current = IntervalSummary(start: start, end: start.adding(microseconds: intervalLength))
            }
            current!.add(event, labels: &labels)
        }
        if let current { intervals.append(current) }
    }

    /// Cuts time-ordered events into batches of `batchSize` consecutive
    /// events: for streams too short in time for minute intervals (a burst
    /// recorded in seconds). Each batch's `start` and `end` are its first and
    /// last event's timestamps.
    ///
    /// - Complexity: O(n).
    public init(events: [MonitorEvent], batchSize: Int) {
        precondition(batchSize > 0, "batchSize must be positive")
        intervalLength = 0
        var current: IntervalSummary?
        for (i, event) in events.enumerated() {
            if i % batchSize == 0 {
                if let finished = current { intervals.append(finished) }
                current = IntervalSummary(start: event.timestamp, end: event.timestamp)
            }
            current!.end = event.timestamp
            current!.add(event, labels: &labels)
        }
        if let current { intervals.append(current) }
    }

    /// Minute intervals when the stream spans enough minutes (at least
    /// `minimumIntervals` of them with traffic), else batches of events
    /// sized to give about `targetIntervals` of them.
    public static func adaptive(events: [MonitorEvent], minimumIntervals: Int = 120, targetIntervals: Int = 240) -> MetricStreams {
        let byMinute = MetricStreams(events: events)
        if byMinute.intervals.count >= minimumIntervals || events.count < minimumIntervals { return byMinute }
        return MetricStreams(events: events, batchSize: max(20, events.count / targetIntervals))
    }

    /// The value a scalar detector watches for `metric` in each interval
    /// (`nil` where the interval has no predictions for it):
    ///
    /// - confidence: the mean confidence;
    /// - processing_time: the mean of log processing time (robust to the tail);
    /// - label: the share of the label most frequent in the first intervals;
    /// - error_rate: errors over requests.
    public func scalarSeries(_ metric: MonitoredMetric, referenceIntervals: Int = 60) -> [Double?] {
        switch metric {
        case .confidence:
            return intervals.map { $0.predictions > 0 ? $0.confidences.withUnsafeBufferPointer(Moments.mean) : nil }
        case .processingTime:
            return intervals.map { interval in
                interval.predictions > 0
                    ? interval.processingTimes.reduce(0) { $0 + log(max($1, 1e-6)) } / Double(interval.predictions) : nil
            }
        case .label:
            let baseline = referenceLabelCounts(intervals: referenceIntervals)
            let dominant = UInt32(baseline.indices.max { baseline[$0] < baseline[$1] } ?? 0)
            return intervals.map { interval in
                interval.predictions > 0
                    ? Double(interval.labels.lazy.filter { $0 == dominant }.count) / Double(interval.predictions) : nil
            }
        case .errorRate:
            return intervals.map { $0.requests > 0 ? Double($0.errors) / Double($0.requests) : nil }
        }
    }

    /// Label counts over the first `intervals` intervals, by code.
    public func referenceLabelCounts(intervals count: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: labels.count)
        for interval in intervals.prefix(count) {
            for code in interval.labels { counts[Int(code)] += 1 }
        }
        return counts
    }
}
