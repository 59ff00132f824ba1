import Monitoring

/// What a simulated stream is known to contain: when each drift is active
/// and which metrics it affects. Written as `ground_truth.json`.
public struct GroundTruth: Sendable, Equatable {
    public struct Drift: Sendable, Equatable {
        public var kind: DriftKind
        public var affects: [String]
        /// Active intervals; `offset` is `nil` when the drift lasts to the end.
        public var intervals: [(onset: LocalTimestamp, offset: LocalTimestamp?)]

        public static func == (lhs: Drift, rhs: Drift) -> Bool {
            lhs.kind == rhs.kind && lhs.affects == rhs.affects
                && lhs.intervals.elementsEqual(rhs.intervals) { $0.onset == $1.onset && $0.offset == $1.offset }
        }
    }

    public var scenario: String
    public var seed: UInt64
    public var severity: Double
    public var ratePerSecond: Double
    public var start: LocalTimestamp
    public var end: LocalTimestamp
    public var predictions: Int
    public var errors: Int
    public var drifts: [Drift]

    /// The first onset of any drift (`nil` for the control).
    public var onset: LocalTimestamp? { drifts.flatMap { $0.intervals.map(\.onset) }.min() }

    /// The metrics any drift affects.
    public var affectedMetrics: [String] {
        let all = Set(drifts.flatMap(\.affects))
        return DriftKind.metricOrder.filter(all.contains)
    }

    public init(scenario: Scenario, seed: UInt64, severity: Double, ratePerSecond: Double, start: LocalTimestamp,
                duration: TimeSpan, predictions: Int, errors: Int) {
        self.scenario = scenario.name
        self.seed = seed
        self.severity = severity
        self.ratePerSecond = ratePerSecond
        self.start = start
        end = start.adding(microseconds: duration.microseconds)
        self.predictions = predictions
        self.errors = errors
        drifts = severity == 0 ? [] : scenario.drifts.map { spec in
            Drift(kind: spec.kind, affects: spec.kind.affectedMetrics,
                  intervals: spec.activeIntervals(duration: duration).map { interval in
                      (start.adding(microseconds: interval.onset.microseconds),
                       interval.offset.map { start.adding(microseconds: $0.microseconds) })
                  })
        }.filter { !$0.intervals.isEmpty }
    }

    public var jsonValue: JSONValue {
        func stamp(_ t: LocalTimestamp?) -> JSONValue { t.map { .string($0.isoformat) } ?? .null }
        return .object(JSONObject([
            ("scenario", .string(scenario)), ("seed", .int(Int(truncatingIfNeeded: seed))), ("severity", .double(severity)),
            ("rate_per_second", .double(ratePerSecond)), ("start", stamp(start)), ("end", stamp(end)),
            ("predictions", .int(predictions)), ("errors", .int(errors)),
            ("onset", stamp(onset)), ("affected_metrics", .array(affectedMetrics.map { .string($0) })),
            ("drifts", .array(drifts.map { drift in
                .object(JSONObject([
                    ("kind", .string(drift.kind.rawValue)),
                    ("affects", .array(drift.affects.map { .string($0) })),
                    ("intervals", .array(drift.intervals.map { ["onset": stamp($0.onset), "offset": stamp($0.offset)] })),
                ]))
            })),
        ]))
    }

    /// Reads a `ground_truth.json`.
    public init?(json: JSONValue) {
        guard let scenario = json["scenario"]?.stringValue,
              let start = json["start"]?.stringValue.flatMap(LocalTimestamp.init(isoformat:)),
              let end = json["end"]?.stringValue.flatMap(LocalTimestamp.init(isoformat:)),
              case .array(let drifts)? = json["drifts"] else { return nil }
        self.scenario = scenario
        seed = UInt64(truncatingIfNeeded: Int64(json["seed"]?.doubleValue ?? 0))
        severity = json["severity"]?.doubleValue ?? 1
        ratePerSecond = json["rate_per_second"]?.doubleValue ?? 0
        self.start = start
        self.end = end
        predictions = Int(json["predictions"]?.doubleValue ?? 0)
        errors = Int(json["errors"]?.doubleValue ?? 0)
        self.drifts = drifts.compactMap { drift in
            guard let kind = drift["kind"]?.stringValue.flatMap(DriftKind.init(rawValue:)),
                  case .array(let intervals)? = drift["intervals"] else { return nil }
            return Drift(kind: kind, affects: kind.affectedMetrics, intervals: intervals.compactMap { interval in
                guard let onset = interval["onset"]?.stringValue.flatMap(LocalTimestamp.init(isoformat:)) else { return nil }
                return (onset, interval["offset"]?.stringValue.flatMap(LocalTimestamp.init(isoformat:)))
            })
        }
    }
}
