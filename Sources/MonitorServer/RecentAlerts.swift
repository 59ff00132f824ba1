import Monitoring
import Synchronization

/// The alerts a server's monitor raised, newest last, for `GET /v1/alerts`:
/// a bounded ring (the oldest are dropped past ``capacity``).
public final class RecentAlerts: Sendable {
    /// The most alerts kept.
    public let capacity: Int
    private let alerts: Mutex<[MonitorAlert]>

    public init(capacity: Int = 1_000) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
        alerts = Mutex([])
    }

    /// Keeps one alert.
    public func append(_ alert: MonitorAlert) {
        alerts.withLock { alerts in
            alerts.append(alert)
            if alerts.count > capacity { alerts.removeFirst(alerts.count - capacity) }
        }
    }

    /// The kept alerts stamped at or after `since` (all when `nil`), oldest first.
    public func alerts(since: LocalTimestamp? = nil) -> [MonitorAlert] {
        alerts.withLock { alerts in
            guard let since else { return alerts }
            return alerts.filter { $0.timestamp >= since }
        }
    }
}
