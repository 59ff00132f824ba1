import Monitoring

/// An alarm raised on a stream: when, on which metric, and how strongly.
public struct Alarm: Sendable, Equatable {
    public var timestamp: LocalTimestamp
    public var metric: MonitoredMetric
    public var score: Double

    public init(timestamp: LocalTimestamp, metric: MonitoredMetric, score: Double) {
        self.timestamp = timestamp
        self.metric = metric
        self.score = score
    }

    public var jsonValue: JSONValue {
        ["timestamp": .string(timestamp.isoformat), "metric": .string(metric.rawValue), "score": .double(score)]
    }
}

extension StreamingDetector where Input == Double {
    /// Runs the detector over a per-interval series, skipping gaps; alarms
    /// are stamped at the end of their interval.
    public func alarms(on series: [Double?], intervals: [IntervalSummary], metric: MonitoredMetric) -> [Alarm] {
        var detector = self
        var alarms: [Alarm] = []
        for (value, interval) in zip(series, intervals) {
            guard let value else { continue }
            let detection = detector.update(value)
            if detection.alarm { alarms.append(Alarm(timestamp: interval.end, metric: metric, score: detection.score)) }
        }
        return alarms
    }
}
