import DriftDetection
import Foundation
import Monitoring
import MonitorNumerics

/// A recorded stream of events cut into intervals, for offline detection.
///
/// Minute intervals come from the same ``IntervalCutter`` as the live
/// monitor's, so a detector run over them gives the alarms the monitor gives
/// online. Empty intervals (no request at all) are never produced.
public struct MetricStreams: Sendable {
    public private(set) var intervals: [IntervalSummary] = []
    package private(set) var labels = StringDictionary()
    /// Microseconds per interval; 0 for batches of events.
    public let intervalLength: Int64

    /// Cuts time-ordered events into intervals aligned to multiples of
    /// `intervalLength` (whole minutes by default).
    ///
    /// - Complexity: O(n).
    public init(events: [MonitorEvent], intervalLength: Int64 = LocalTimestamp.microsecondsPerMinute) {
        self.intervalLength = intervalLength
        var cutter = IntervalCutter(intervalLength: intervalLength)
        for event in events {
            let closed: IntervalSummary?
            switch event {
            case .prediction(let record):
                closed = cutter.addPrediction(at: record.timestamp, label: record.prediction,
                                              confidence: record.confidence, processingTime: record.processingTime)
            case .error(let timestamp, _, _):
                closed = cutter.addError(at: timestamp)
            }
            if let closed { intervals.append(closed) }
        }
        if let open = cutter.open { intervals.append(open) }
        labels = cutter.labels
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
            switch event {
            case .prediction(let record):
                current!.addPrediction(confidence: record.confidence, processingTime: record.processingTime,
                                       label: labels.encode(record.prediction))
            case .error:
                current!.addError()
            }
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

    /// The baseline `detect` uses: an hour of minute intervals, as the live
    /// monitor; for a stream cut into batches a sixth of them (at least ten).
    public var defaultBaselineIntervals: Int {
        intervalLength > 0 ? 60 : min(60, max(10, intervals.count / 6))
    }
}

extension MetricStreams {
    /// Each interval's value of `metric` for charts (`nil` without
    /// predictions): the mean confidence, the mean log processing time, the
    /// share of the label most frequent in the first `referenceIntervals`
    /// intervals, and the error rate.
    public func scalarSeries(_ metric: MonitoredMetric, referenceIntervals: Int = 60) -> [Double?] {
        var dominant: UInt32?
        if metric == .label {
            var counts = [Int](repeating: 0, count: labels.count)
            for interval in intervals.prefix(referenceIntervals) { for code in interval.labels { counts[Int(code)] += 1 } }
            dominant = UInt32(counts.indices.max { counts[$0] < counts[$1] } ?? 0)
        }
        return intervals.map { $0.scalarValue(metric, dominantLabel: dominant) }
    }
}

extension DetectorCatalogue {
    /// Runs detector `name` over a whole stream: its firing alarms and
    /// resolutions, in time order.
    ///
    /// - Throws: ``DetectorCatalogue/Error`` for an unknown detector or an unsupported metric.
    public static func alarms(_ name: String, on streams: MetricStreams, metrics: [MonitoredMetric]? = nil,
                              baselineIntervals: Int = 60, parameters: [String: String] = [:]) throws(DetectorCatalogue.Error) -> [Alarm] {
        try make(name, metrics: metrics, baselineIntervals: baselineIntervals, parameters: parameters).alarms(over: streams.intervals)
    }
}

extension Alarm {
    /// `{"kind", "timestamp", "metric", "statistic", "detector", "score", "baseline", "current"}`
    /// (`label` for the label mix); `baseline` and `current` are null when unknown.
    package func jsonValue(labels: StringDictionary? = nil) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("kind", .string(kind.rawValue)), ("timestamp", .string(timestamp.isoformat)),
            ("metric", .string(metric.rawValue)), ("statistic", .string(statistic.rawValue)),
            ("detector", .string(detector)), ("score", .double(score)),
            ("baseline", baseline.map(JSONValue.double) ?? .null), ("current", current.map(JSONValue.double) ?? .null),
        ]
        if let label, let labels, Int(label) < labels.count { fields.append(("label", .string(labels[label]))) }
        return .object(JSONObject(fields))
    }
}
