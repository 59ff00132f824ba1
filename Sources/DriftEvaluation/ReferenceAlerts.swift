import DriftDetection
import Logging
import Monitoring
import MonitorNumerics

/// The reference's own alerting as a detector row of `heuristics`: the
/// events replayed through an in-memory ``PredictionMonitor`` on a
/// ``ManualMonitorClock`` with no drift detector, a loop tick at every whole
/// minute (the loop's 60 s) computing the metrics of the last five minutes
/// and raising ``AlertPolicy``'s threshold alerts
/// (``MonitorConfiguration/PerformanceThresholds``, the default 15-minute
/// cooldown), plus the critical error-rate alert `record_error` raises.
///
/// Each alert becomes a firing ``Alarm`` of the statistic its category
/// concerns: response time → typical latency, confidence → mean confidence,
/// error rate → error rate, anomaly score → label mix (the score is driven
/// by the label skew and the low-confidence share).
public enum ReferenceAlerts {
    public static let name = "reference-alerts"

    /// The alarms of the reference's alerting on `events` (time-ordered).
    ///
    /// - Complexity: O(events + ticks × records in five minutes).
    public static func alarms(events: [MonitorEvent], configuration: MonitorConfiguration = Self.configuration) -> [Alarm] {
        guard let first = events.first else { return [] }
        let clock = ManualMonitorClock(start: first.timestamp)
        let monitor = PredictionMonitor(inMemoryWith: configuration, clock: clock)
        let minute = LocalTimestamp.microsecondsPerMinute
        var nextTick = LocalTimestamp(microseconds: first.timestamp.microseconds
                                      - LocalTimestamp.floorDivision(first.timestamp.microseconds, minute).remainder + minute)
        var alarms: [Alarm] = []
        func collect(_ alerts: [MonitorAlert]) {
            for alert in alerts where alert.status == .firing {
                guard let statistic = statistic(alert.category) else { continue }
                let score: Double
                switch alert.details {
                case .threshold(let details): score = details.threshold
                case .errorRate, .drift: score = 1
                }
                alarms.append(Alarm(timestamp: alert.timestamp, statistic: statistic, detector: name, score: score))
            }
        }
        for event in events {
            while nextTick <= event.timestamp {
                clock.set(nextTick)
                collect(monitor.tick().alerts)
                nextTick = nextTick.adding(microseconds: minute)
            }
            clock.set(event.timestamp)
            switch event {
            case .prediction(let record): try? monitor.recordPrediction(record)
            case .error(_, let type, let message):
                collect([monitor.recordErrorReturningAlert(type: type, message: message)].compactMap { $0 })
            }
        }
        clock.set(nextTick)
        collect(monitor.tick().alerts)
        return alarms
    }

    /// The loop's configuration: default thresholds and cooldown, no drift
    /// detector, a ring large enough for five minutes of any stream.
    public static var configuration: MonitorConfiguration {
        var configuration = MonitorConfiguration()
        configuration.driftDetector = nil
        configuration.capacity = 10_000
        // Thousands of replays in a heuristics run: their alerts are the result, not log messages.
        configuration.logger = Logger(label: "driftlab.reference-alerts") { _ in SwiftLogNoOpLogHandler() }
        return configuration
    }

    static func statistic(_ category: MonitorAlert.Category) -> DriftStatistic? {
        switch category {
        case .responseTime: return .latency
        case .confidence: return .meanConfidence
        case .errorRate: return .errorRate
        case .anomaly: return .labelMix
        case .drift: return nil
        }
    }
}
