/// An alert as the reference writes it to `alerts.json`.
public struct MonitorAlert: Sendable, Equatable {
    public enum Severity: String, Sendable { case warning, critical }
    public enum Category: String, Sendable, CaseIterable { case responseTime = "response_time", confidence, errorRate = "error_rate", anomaly }

    public var severity: Severity
    public var category: Category
    /// The reference's message, character for character.
    public var message: String
    public var timestamp: LocalTimestamp
    /// The rest of the alert's fields, in the reference's order: `threshold`
    /// and `metrics_snapshot` for the loop's alerts, `error_count` and
    /// `total_requests` for the error-rate alert of `record_error`.
    public var details: [(key: String, value: JSONValue)]

    public static func == (lhs: MonitorAlert, rhs: MonitorAlert) -> Bool { lhs.jsonValue == rhs.jsonValue }

    /// A performance alert of the background loop:
    /// `{type, category, message, threshold, timestamp, metrics_snapshot}`.
    public static func performance(_ severity: Severity, _ category: Category, message: String, threshold: Double,
                                   at timestamp: LocalTimestamp, snapshot: MonitoringMetrics) -> MonitorAlert {
        MonitorAlert(severity: severity, category: category, message: message, timestamp: timestamp,
                     details: [("threshold", .double(threshold)), ("metrics_snapshot", snapshot.jsonValue)])
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
