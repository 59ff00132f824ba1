import Monitoring
import Synchronization

/// The alerts a server's monitor raised and their resolutions, newest last,
/// for `GET /v1/alerts`: a bounded ring (the oldest are dropped past
/// ``capacity``).
///
/// A category stays firing from its alert until the monitor resolves it
/// (``AlertPolicy``: a later snapshot no longer meets its condition, or its
/// window is empty; a drift statistic's detector resolves it): then a
/// `resolved` record is added. ``record(_:)`` takes both kinds of alert.
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

    /// Keeps one alert of the monitor: a firing one makes its key
    /// (``MonitorAlert/key``) firing; a resolution adds a `resolved` record
    /// if its key was firing.
    package func record(_ alert: MonitorAlert) {
        guard alert.status == .firing else {
            resolve(category: alert.key, at: alert.timestamp, reason: alert.message)
            return
        }
        state.withLock { state in
            state.firing[alert.key] = alert.timestamp
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
