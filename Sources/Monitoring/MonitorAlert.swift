import DriftDetection

/// An alert as the reference writes it to `alerts.json`.
public struct MonitorAlert: Sendable, Equatable {
    public enum Severity: String, Sendable { case warning, critical }
    public enum Category: String, Sendable, CaseIterable {
        case responseTime = "response_time", confidence, errorRate = "error_rate", anomaly
        /// A drift alarm of the online detector, or its resolution.
        case drift
    }

    public var severity: Severity
    public var category: Category
    /// The reference's message, character for character.
    public var message: String
    public var timestamp: LocalTimestamp
    /// The rest of the alert's fields, in the reference's order: `threshold`
    /// and `metrics_snapshot` for the loop's alerts, `error_count` and
    /// `total_requests` for the error-rate alert of `record_error`; for drift
    /// alerts `status` (`firing` or `resolved`), `metric`, `detector`,
    /// `score`, `baseline` and `current`.
    public var details: [(key: String, value: JSONValue)]

    public static func == (lhs: MonitorAlert, rhs: MonitorAlert) -> Bool { lhs.jsonValue == rhs.jsonValue }

    /// A performance alert of the background loop:
    /// `{type, category, message, threshold, timestamp, metrics_snapshot}`.
    public static func performance(_ severity: Severity, _ category: Category, message: String, threshold: Double,
                                   at timestamp: LocalTimestamp, snapshot: MonitoringMetrics) -> MonitorAlert {
        MonitorAlert(severity: severity, category: category, message: message, timestamp: timestamp,
                     details: [("threshold", .double(threshold)), ("metrics_snapshot", snapshot.jsonValue)])
    }

    /// A drift alert (or the record that it resolved) from a detector's alarm.
    ///
    /// - Parameter labelName: The name of the alarm's label, for the label mix.
    public static func drift(_ alarm: Alarm, labelName: String?) -> MonitorAlert {
        let verb = alarm.kind == .firing ? "Drift detected" : "Drift resolved"
        var details: [(key: String, value: JSONValue)] = [
            ("status", .string(alarm.kind.rawValue)), ("metric", .string(alarm.statistic.rawValue)),
            ("detector", .string(alarm.detector)), ("score", .double(alarm.score)),
            ("baseline", alarm.baseline.map(JSONValue.double) ?? .null),
            ("current", alarm.current.map(JSONValue.double) ?? .null),
        ]
        if let labelName, alarm.statistic == .labelMix { details.append(("label", .string(labelName))) }
        return MonitorAlert(severity: .warning, category: .drift,
                            message: "\(verb): \(alarm.summary(labelName: labelName)) (\(alarm.detector), score \(PythonFormat.fixed2(alarm.score)))",
                            timestamp: alarm.timestamp, details: details)
    }

    /// The value of a detail field, if present.
    public func detail(_ key: String) -> JSONValue? { details.first { $0.key == key }?.value }

    /// For drift alerts, whether this is the resolution record.
    public var isResolution: Bool { detail("status")?.stringValue == "resolved" }

    /// The metric an alert is about: the statistic for drift alerts, the
    /// snapshot field the threshold compares otherwise.
    public var metric: String {
        switch category {
        case .responseTime: return "avg_processing_time"
        case .confidence: return "avg_confidence"
        case .errorRate: return "error_rate"
        case .anomaly: return "anomaly_score"
        case .drift: return detail("metric")?.stringValue ?? "unknown"
        }
    }

    /// The alert as one object of a machine-readable event stream (`replay`
    /// and `record --format json`, `serve`):
    /// `{"type": "alert", "timestamp", "category", "severity", "metric", "message"}`,
    /// plus `status`, `detector`, `score`, `baseline` and `current` for drift alerts.
    public var eventJSON: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("type", .string("alert")), ("timestamp", .string(timestamp.isoformat)), ("category", .string(category.rawValue)),
            ("severity", .string(severity.rawValue)), ("metric", .string(metric)), ("message", .string(message)),
        ]
        if category == .drift {
            for key in ["status", "detector", "score", "baseline", "current", "label"] {
                if let value = detail(key) { fields.append((key, value)) }
            }
        }
        return .object(JSONObject(fields))
    }

    /// The JSON object the reference appends.
    public var jsonValue: JSONValue {
        if details.first?.key == "threshold" {
            let threshold = details[0].value
            return .object(JSONObject([("type", .string(severity.rawValue)), ("category", .string(category.rawValue)),
                                       ("message", .string(message)), ("threshold", threshold),
                                       ("timestamp", .string(timestamp.isoformat))] + details.dropFirst().map { ($0.key, $0.value) }))
        }
        return .object(JSONObject([("timestamp", .string(timestamp.isoformat)), ("type", .string(severity.rawValue)),
                                   ("category", .string(category.rawValue)), ("message", .string(message))]
                                  + details.map { ($0.key, $0.value) }))
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
