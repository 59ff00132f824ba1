import DriftDetection

/// An alert of the monitor, firing or resolved, as the alert stream
/// (``PredictionMonitor/alerts``), the alert handler and `alerts.json` see it.
///
/// Firing alerts and drift resolutions are appended to `alerts.json` as the
/// reference's lines (``jsonValue``, byte for byte); the resolution of a
/// threshold alert is an event of the stream and the handler only (the
/// reference has no such line, and its readers must keep reading the log).
/// The typed ``details`` carry what the reference's untyped fields say.
public struct MonitorAlert: Sendable, Equatable, Codable {
    public enum Severity: String, Sendable, Codable { case warning, critical }
    public enum Category: String, Sendable, CaseIterable, Codable {
        case responseTime = "response_time", confidence, errorRate = "error_rate", anomaly
        /// A drift alarm of the online detector, or its resolution.
        case drift
    }

    /// Whether an alert starts or ends.
    public enum Status: String, Sendable, Codable {
        /// The condition started to hold (or holds again after the cooldown).
        case firing
        /// The condition of an alert that fired no longer holds.
        case resolved
    }

    public var severity: Severity
    public var category: Category
    public var status: Status
    /// The reference's message, character for character (for resolutions,
    /// what ended: "confidence back within its threshold", "Drift resolved: …").
    public var message: String
    public var timestamp: LocalTimestamp
    /// The alert's facts, typed per kind of alert.
    public var details: Details
    /// The loop's metrics snapshot that raised a threshold alert (the
    /// reference's `metrics_snapshot`); `nil` for other alerts and resolutions.
    /// In the `Codable` form as `metrics_snapshot` (absent when `nil`), as
    /// ``jsonValue`` writes it into the reference's line.
    public var snapshot: MonitoringMetrics?

    public init(severity: Severity, category: Category, status: Status = .firing, message: String,
                timestamp: LocalTimestamp, details: Details, snapshot: MonitoringMetrics? = nil) {
        self.severity = severity
        self.category = category
        self.status = status
        self.message = message
        self.timestamp = timestamp
        self.details = details
        self.snapshot = snapshot
    }

    private enum CodingKeys: String, CodingKey {
        case severity, category, status, message, timestamp, details
        case snapshot = "metrics_snapshot"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .timestamp)
        guard let timestamp = LocalTimestamp(isoformat: text) else {
            throw DecodingError.dataCorruptedError(forKey: .timestamp, in: container,
                                                   debugDescription: "'\(text)' is not an ISO-8601 local date-time")
        }
        self.init(severity: try container.decode(Severity.self, forKey: .severity),
                  category: try container.decode(Category.self, forKey: .category),
                  status: try container.decode(Status.self, forKey: .status),
                  message: try container.decode(String.self, forKey: .message), timestamp: timestamp,
                  details: try container.decode(Details.self, forKey: .details),
                  snapshot: try container.decodeIfPresent(MonitoringMetrics.self, forKey: .snapshot))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(severity, forKey: .severity)
        try container.encode(category, forKey: .category)
        try container.encode(status, forKey: .status)
        try container.encode(message, forKey: .message)
        try container.encode(timestamp.isoformat, forKey: .timestamp)
        try container.encode(details, forKey: .details)
        try container.encodeIfPresent(snapshot, forKey: .snapshot)
    }

    public static func == (lhs: MonitorAlert, rhs: MonitorAlert) -> Bool {
        lhs.status == rhs.status && lhs.details == rhs.details && lhs.jsonValue == rhs.jsonValue
    }

    // MARK: Details

    /// What an alert is about, by kind.
    public enum Details: Sendable, Equatable, Codable {
        /// A threshold of ``MonitorConfiguration/PerformanceThresholds`` crossed
        /// by the loop's snapshot, or (resolved) no longer crossed.
        case threshold(Threshold)
        /// The critical error rate `record_error` checks after each error.
        case errorRate(ErrorRate)
        /// An alarm of the online drift detector, or its resolution.
        case drift(Drift)

        /// A threshold alert's facts.
        public struct Threshold: Sendable, Equatable, Codable {
            /// The snapshot field compared: `avg_processing_time`,
            /// `avg_confidence`, `error_rate` or `anomaly_score`.
            public var metric: String
            /// The field's value in the snapshot (for a resolution, in the
            /// snapshot that resolved it: 0 when its window was empty).
            public var value: Double
            /// The threshold crossed (the critical or the warning one).
            public var threshold: Double
            /// Whether the alert fires above the threshold (`true`) or below it (confidence).
            public var firesAbove: Bool
            /// The unit of ``value``: `s` for times, `fraction` for rates and
            /// confidences, `score` for the anomaly score.
            public var units: String
        }

        /// The error-rate alert's facts.
        public struct ErrorRate: Sendable, Equatable, Codable {
            /// Errors over requests, over the monitor's life (a fraction).
            public var errorRate: Double
            public var threshold: Double
            public var errorCount: Int
            /// Predictions plus errors.
            public var totalRequests: Int
            /// The `error_type` of the error whose record raised the alert.
            public var errorType: String
            /// Its `error_message`.
            public var errorMessage: String
        }

        /// A drift alarm's facts (``DriftDetection/Alarm`` with its label's name).
        public struct Drift: Sendable, Equatable, Codable {
            public var statistic: DriftStatistic
            public var detector: String
            /// The detector's score (for the recommended detector above 1 at an alarm).
            public var score: Double
            /// The statistic under the baseline, when the detector has one.
            public var baseline: Double?
            /// The statistic in the interval that raised (or resolved) the alarm.
            public var current: Double?
            /// The unit of ``baseline`` and ``current``: `confidence`, `s`,
            /// `fraction`, or `distance` for the confidence shape.
            public var units: String
            /// For the label mix: the label whose share moved most.
            public var label: String?
        }

        private enum Kind: String, Codable { case threshold, errorRate = "error_rate", drift }
        private enum CodingKeys: String, CodingKey { case kind }

        /// Encoded flat: `{"kind": "threshold", "metric": …, "value": …, …}`.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .threshold(let details):
                try container.encode(Kind.threshold, forKey: .kind)
                try details.encode(to: encoder)
            case .errorRate(let details):
                try container.encode(Kind.errorRate, forKey: .kind)
                try details.encode(to: encoder)
            case .drift(let details):
                try container.encode(Kind.drift, forKey: .kind)
                try details.encode(to: encoder)
            }
        }

        public init(from decoder: any Decoder) throws {
            switch try decoder.container(keyedBy: CodingKeys.self).decode(Kind.self, forKey: .kind) {
            case .threshold: self = .threshold(try Threshold(from: decoder))
            case .errorRate: self = .errorRate(try ErrorRate(from: decoder))
            case .drift: self = .drift(try Drift(from: decoder))
            }
        }
    }

    // MARK: Making alerts

    /// A performance alert of the background loop:
    /// `{type, category, message, threshold, timestamp, metrics_snapshot}`.
    public static func performance(_ severity: Severity, _ category: Category, message: String, threshold: Double,
                                   at timestamp: LocalTimestamp, snapshot: MonitoringMetrics) -> MonitorAlert {
        MonitorAlert(severity: severity, category: category, message: message, timestamp: timestamp,
                     details: .threshold(Self.threshold(category, threshold: threshold, in: snapshot)), snapshot: snapshot)
    }

    /// The typed facts of a threshold alert of `category` on `snapshot`.
    static func threshold(_ category: Category, threshold: Double, in snapshot: MonitoringMetrics) -> Details.Threshold {
        switch category {
        case .responseTime:
            return .init(metric: "avg_processing_time", value: snapshot.avgProcessingTime, threshold: threshold,
                         firesAbove: true, units: "s")
        case .confidence:
            return .init(metric: "avg_confidence", value: snapshot.avgConfidence, threshold: threshold,
                         firesAbove: false, units: "fraction")
        case .errorRate:
            return .init(metric: "error_rate", value: snapshot.errorRate, threshold: threshold, firesAbove: true,
                         units: "fraction")
        case .anomaly, .drift:
            return .init(metric: "anomaly_score", value: snapshot.anomalyScore, threshold: threshold, firesAbove: true,
                         units: "score")
        }
    }

    /// A drift alert (or the record that it resolved) from a detector's alarm.
    ///
    /// - Parameter labelName: The name of the alarm's label, for the label mix.
    public static func drift(_ alarm: Alarm, labelName: String?) -> MonitorAlert {
        let verb = alarm.kind == .firing ? "Drift detected" : "Drift resolved"
        let units: String
        switch alarm.statistic {
        case .meanConfidence: units = "confidence"
        case .confidenceShape: units = "distance"
        case .latency, .latencyTail: units = "s"
        case .labelMix, .errorRate, .latencySpread: units = "fraction"
        }
        let details = Details.Drift(statistic: alarm.statistic, detector: alarm.detector, score: alarm.score,
                                    baseline: alarm.baseline, current: alarm.current, units: units,
                                    label: alarm.statistic == .labelMix ? labelName : nil)
        return MonitorAlert(severity: .warning, category: .drift, status: alarm.kind == .firing ? .firing : .resolved,
                            message: "\(verb): \(alarm.summary(labelName: labelName)) (\(alarm.detector), score \(PythonFormat.fixed2(alarm.score)))",
                            timestamp: alarm.timestamp, details: .drift(details))
    }

    // MARK: Reading

    /// Whether this is a resolution (of a threshold or a drift alert).
    public var isResolution: Bool { status == .resolved }

    /// The metric an alert is about: the statistic for drift alerts, the
    /// snapshot field the threshold compares otherwise.
    public var metric: String {
        switch details {
        case .threshold(let details): return details.metric
        case .errorRate: return "error_rate"
        case .drift(let details): return details.statistic.rawValue
        }
    }

    /// The key an alert fires and resolves under: its category, or
    /// `drift/<statistic>` for drift alerts (each statistic fires and
    /// resolves on its own).
    public var key: String {
        category == .drift ? "drift/\(metric)" : category.rawValue
    }

    /// The alert as one object of a machine-readable event stream (`replay`
    /// and `record --format json`, `serve`):
    /// `{"type": "alert", "timestamp", "category", "severity", "metric", "message"}`,
    /// plus `status`, `detector`, `score`, `baseline` and `current` for drift
    /// alerts, and `status`, `value` and `threshold` for the resolution of a
    /// threshold alert.
    public var eventJSON: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("type", .string("alert")), ("timestamp", .string(timestamp.isoformat)), ("category", .string(category.rawValue)),
            ("severity", .string(severity.rawValue)), ("metric", .string(metric)), ("message", .string(message)),
        ]
        switch details {
        case .drift(let drift):
            fields += [("status", .string(status.rawValue)), ("detector", .string(drift.detector)),
                       ("score", .double(drift.score)), ("baseline", drift.baseline.map(JSONValue.double) ?? .null),
                       ("current", drift.current.map(JSONValue.double) ?? .null)]
            if let label = drift.label { fields.append(("label", .string(label))) }
        case .threshold(let threshold) where status == .resolved:
            fields += [("status", .string(status.rawValue)), ("value", .double(threshold.value)),
                       ("threshold", .double(threshold.threshold))]
        case .threshold, .errorRate:
            break
        }
        return .object(JSONObject(fields))
    }

    /// The JSON object the reference appends to `alerts.json` (for a
    /// threshold alert's resolution, which the reference never writes, the
    /// same shape as a drift resolution: `{timestamp, type, category,
    /// message, status, metric, value, threshold}`).
    public var jsonValue: JSONValue {
        let head: [(String, JSONValue)] = [("timestamp", .string(timestamp.isoformat)), ("type", .string(severity.rawValue)),
                                           ("category", .string(category.rawValue)), ("message", .string(message))]
        switch details {
        case .threshold(let threshold):
            guard status == .firing else {
                return .object(JSONObject(head + [("status", .string(status.rawValue)), ("metric", .string(threshold.metric)),
                                                  ("value", .double(threshold.value)),
                                                  ("threshold", .double(threshold.threshold))]))
            }
            var fields: [(String, JSONValue)] = [("type", .string(severity.rawValue)), ("category", .string(category.rawValue)),
                                                 ("message", .string(message)), ("threshold", .double(threshold.threshold)),
                                                 ("timestamp", .string(timestamp.isoformat))]
            if let snapshot { fields.append(("metrics_snapshot", snapshot.jsonValue)) }
            return .object(JSONObject(fields))
        case .errorRate(let errorRate):
            return .object(JSONObject(head + [("error_count", .int(errorRate.errorCount)),
                                              ("total_requests", .int(errorRate.totalRequests))]))
        case .drift(let drift):
            var fields = head + [
                ("status", .string(status.rawValue)), ("metric", .string(drift.statistic.rawValue)),
                ("detector", .string(drift.detector)), ("score", .double(drift.score)),
                ("baseline", drift.baseline.map(JSONValue.double) ?? .null),
                ("current", drift.current.map(JSONValue.double) ?? .null),
            ]
            if let label = drift.label { fields.append(("label", .string(label))) }
            return .object(JSONObject(fields))
        }
    }
}

/// Python's `f"{value:.2f}"` and `f"{value:.2%}"`.
enum PythonFormat {
    static func fixed2(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return String(format: "%.2f", value)
    }

    static func percent2(_ value: Double) -> String { fixed2(value * 100) + "%" }
}
