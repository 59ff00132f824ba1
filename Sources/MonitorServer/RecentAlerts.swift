import Monitoring
import Synchronization

/// The alerts a server's monitor raised and their resolutions, newest last,
/// for `GET /v1/alerts`: a bounded ring (the oldest are dropped past
/// ``capacity``).
///
/// A category stays firing from its alert until a later metrics snapshot no
/// longer meets its condition (the ``AlertPolicy`` conditions: average
/// processing time over the warning threshold, average confidence under its
/// threshold, error rate over the warning threshold, anomaly score over its
/// threshold), or the snapshot's window is empty; then a `resolved` record is
/// added. Categories without such a condition here (drift) stay firing until
/// their own detector resolves them with ``resolve(category:at:reason:)``.
package final class RecentAlerts: Sendable {
    /// One record of `GET /v1/alerts`.
    package enum Record: Sendable, Equatable {
        case firing(MonitorAlert)
        case resolved(category: String, timestamp: LocalTimestamp, reason: String)

        package var timestamp: LocalTimestamp {
            switch self {
            case .firing(let alert): return alert.timestamp
            case .resolved(_, let timestamp, _): return timestamp
            }
        }

        /// A firing record is the alert as logged plus `"status": "firing"`.
        package var jsonValue: JSONValue {
            switch self {
            case .firing(let alert):
                guard case .object(let object) = alert.jsonValue else { return alert.jsonValue }
                return .object(JSONObject([("status", .string("firing"))] + object.members.map { ($0.key, $0.value) }))
            case .resolved(let category, let timestamp, let reason):
                return .object(JSONObject([("status", "resolved"), ("timestamp", .string(timestamp.isoformat)),
                                           ("category", .string(category)), ("message", .string(reason))]))
            }
        }
    }

    /// The most records kept.
    package let capacity: Int
    private let state: Mutex<State>

    private struct State {
        var records: [Record] = []
        /// The time each firing category last fired.
        var firing: [String: LocalTimestamp] = [:]
    }

    package init(capacity: Int = 1_000) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
        state = Mutex(State())
    }

    /// The key an alert fires under: its category, or `drift/<statistic>`
    /// for drift alerts (each statistic fires and resolves on its own).
    package static func key(of alert: MonitorAlert) -> String {
        alert.category == .drift ? "drift/\(alert.metric)" : alert.category.rawValue
    }

    /// Keeps one alert; its category is firing from now on.
    package func append(_ alert: MonitorAlert) {
        state.withLock { state in
            state.firing[Self.key(of: alert)] = alert.timestamp
            Self.add(.firing(alert), to: &state, capacity: capacity)
        }
    }

    /// Resolves a firing category (no effect when it is not firing).
    package func resolve(category: String, at timestamp: LocalTimestamp, reason: String) {
        state.withLock { state in
            guard state.firing.removeValue(forKey: category) != nil else { return }
            Self.add(.resolved(category: category, timestamp: timestamp, reason: reason), to: &state, capacity: capacity)
        }
    }

    /// Resolves the firing categories whose condition a snapshot taken after
    /// they fired no longer meets.
    ///
    /// - Parameters:
    ///   - snapshot: The monitor's newest metrics snapshot.
    ///   - thresholds: The monitor's alert thresholds.
    package func resolve(with snapshot: MonitorState.HistoricalMetrics,
                        thresholds: MonitorConfiguration.PerformanceThresholds) {
        let firing = state.withLock { $0.firing }
        let json = snapshot.json
        func value(_ key: String) -> Double? { json[key]?.doubleValue }
        let windowIsEmpty = value("predictions_per_minute") == 0
        for (category, firedAt) in firing where snapshot.timestamp > firedAt {
            let holds: Bool
            switch category {
            case MonitorAlert.Category.responseTime.rawValue:
                holds = (value("avg_processing_time") ?? 0) > thresholds.responseTimeWarning
            case MonitorAlert.Category.confidence.rawValue:
                holds = (value("avg_confidence") ?? 1) < thresholds.confidenceWarning
            case MonitorAlert.Category.errorRate.rawValue:
                holds = (value("error_rate") ?? 0) > thresholds.errorRateWarning
            case MonitorAlert.Category.anomaly.rawValue:
                holds = (value("anomaly_score") ?? 0) > thresholds.anomalyScore
            default:
                continue  // resolved by its own detector
            }
            if windowIsEmpty {
                resolve(category: category, at: snapshot.timestamp, reason: "no predictions in the last five minutes")
            } else if !holds {
                resolve(category: category, at: snapshot.timestamp, reason: "\(category) back within its threshold")
            }
        }
    }

    /// The kept records stamped at or after `since` (all when `nil`), oldest first.
    package func records(since: LocalTimestamp? = nil) -> [Record] {
        state.withLock { state in
            guard let since else { return state.records }
            return state.records.filter { $0.timestamp >= since }
        }
    }

    /// The kept firing records stamped at or after `since`, oldest first.
    package func alerts(since: LocalTimestamp? = nil) -> [MonitorAlert] {
        records(since: since).compactMap { if case .firing(let alert) = $0 { alert } else { nil } }
    }

    /// The categories firing now.
    package var firingCategories: Set<String> { state.withLock { Set($0.firing.keys) } }

    private static func add(_ record: Record, to state: inout State, capacity: Int) {
        state.records.append(record)
        if state.records.count > capacity { state.records.removeFirst(state.records.count - capacity) }
    }
}
