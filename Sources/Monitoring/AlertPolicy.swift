/// The reference's alert rules (`_check_performance_alerts`,
/// `_check_error_rate_alerts`) with two corrections: nothing fires for a
/// window without predictions, and a category that fired stays quiet for the
/// cooldown while its condition holds (firing again at once after the
/// condition has cleared), as Prometheus's `keep_firing_for` spirit asks.
///
/// It also says when a fired alert ends: a threshold category that fired is
/// resolved by the first later snapshot that no longer meets its condition
/// (no candidate alert of that category: the warning level's condition), or
/// whose window is empty; a drift statistic by its detector's resolution.
public struct AlertPolicy: Sendable {
    public var thresholds: MonitorConfiguration.PerformanceThresholds
    /// Microseconds a firing category stays quiet.
    public var cooldown: Int64
    /// When each category last fired, while its condition has held since.
    private var lastFired: [MonitorAlert.Category: Int64] = [:]
    /// When each drift statistic last fired, while it has not resolved since.
    private var driftFired: [String: Int64] = [:]
    /// The threshold categories that fired and have not resolved since: the
    /// last firing alert's severity and threshold.
    private var firing: [MonitorAlert.Category: (severity: MonitorAlert.Severity, threshold: Double)] = [:]

    public init(thresholds: MonitorConfiguration.PerformanceThresholds, cooldown: Duration) {
        self.thresholds = thresholds
        self.cooldown = cooldown.microseconds
    }

    /// The alerts a loop tick raises for `metrics`: the firing ones, then the
    /// resolutions of categories that fired earlier and whose condition no
    /// longer holds.
    ///
    /// - Parameters:
    ///   - metrics: The tick's snapshot.
    ///   - windowIsEmpty: Whether the snapshot saw no predictions.
    ///   - now: The tick's time.
    public mutating func performanceAlerts(for metrics: MonitoringMetrics, windowIsEmpty: Bool,
                                           at now: LocalTimestamp) -> [MonitorAlert] {
        var candidates: [MonitorAlert] = []
        if !windowIsEmpty {
            let t = thresholds
            func alert(_ severity: MonitorAlert.Severity, _ category: MonitorAlert.Category, _ message: String, _ threshold: Double) {
                candidates.append(.performance(severity, category, message: message, threshold: threshold, at: now, snapshot: metrics))
            }
            if metrics.avgProcessingTime > t.responseTimeCritical {
                alert(.critical, .responseTime, "Critical response time: \(PythonFormat.fixed2(metrics.avgProcessingTime))s", t.responseTimeCritical)
            } else if metrics.avgProcessingTime > t.responseTimeWarning {
                alert(.warning, .responseTime, "High response time: \(PythonFormat.fixed2(metrics.avgProcessingTime))s", t.responseTimeWarning)
            }
            if metrics.avgConfidence < t.confidenceWarning {
                alert(.warning, .confidence, "Low average confidence: \(PythonFormat.fixed2(metrics.avgConfidence))", t.confidenceWarning)
            }
            if metrics.errorRate > t.errorRateCritical {
                alert(.critical, .errorRate, "Critical error rate: \(PythonFormat.percent2(metrics.errorRate))", t.errorRateCritical)
            } else if metrics.errorRate > t.errorRateWarning {
                alert(.warning, .errorRate, "High error rate: \(PythonFormat.percent2(metrics.errorRate))", t.errorRateWarning)
            }
            if metrics.anomalyScore > t.anomalyScore {
                alert(.warning, .anomaly, "Anomaly detected: score \(PythonFormat.fixed2(metrics.anomalyScore))", t.anomalyScore)
            }
        }
        let active = Set(candidates.map(\.category))
        for category in MonitorAlert.Category.allCases where !active.contains(category) && category != .drift {
            lastFired[category] = nil
        }
        var alerts = candidates.filter { admit($0.category, at: now) }
        for alert in alerts { if case .threshold(let t) = alert.details { firing[alert.category] = (alert.severity, t.threshold) } }
        for category in MonitorAlert.Category.allCases where !active.contains(category) {
            guard let fired = firing.removeValue(forKey: category) else { continue }
            let reason = windowIsEmpty ? "no predictions in the last five minutes" : "\(category.rawValue) back within its threshold"
            alerts.append(MonitorAlert(severity: fired.severity, category: category, status: .resolved, message: reason,
                                       timestamp: now,
                                       details: .threshold(MonitorAlert.threshold(category, threshold: fired.threshold, in: metrics))))
        }
        return alerts
    }

    /// The critical error-rate alert `record_error` raises, if due.
    ///
    /// - Parameters:
    ///   - errorType: The `error_type` of the error just recorded.
    ///   - errorMessage: Its `error_message`.
    public mutating func errorRateAlert(errorRate: Double, errorCount: Int, totalRequests: Int,
                                        errorType: String = "", errorMessage: String = "",
                                        at now: LocalTimestamp) -> MonitorAlert? {
        guard errorRate > thresholds.errorRateCritical, admit(.errorRate, at: now) else { return nil }
        firing[.errorRate] = (.critical, thresholds.errorRateCritical)
        return MonitorAlert(severity: .critical, category: .errorRate,
                            message: "Critical error rate reached: \(PythonFormat.percent2(errorRate))", timestamp: now,
                            details: .errorRate(.init(errorRate: errorRate, threshold: thresholds.errorRateCritical,
                                                      errorCount: errorCount, totalRequests: totalRequests,
                                                      errorType: errorType, errorMessage: errorMessage)))
    }

    /// Whether a drift alert is due: a statistic that fired stays quiet for
    /// the cooldown until its drift resolves; resolutions always pass.
    public mutating func admitDrift(_ alert: MonitorAlert) -> Bool {
        let key = alert.metric
        if alert.isResolution {
            driftFired[key] = nil
            return true
        }
        let now = alert.timestamp.microseconds
        if let last = driftFired[key], now - last < cooldown, cooldown > 0 { return false }
        driftFired[key] = now
        return true
    }

    private mutating func admit(_ category: MonitorAlert.Category, at now: LocalTimestamp) -> Bool {
        if let last = lastFired[category], now.microseconds - last < cooldown, cooldown > 0 { return false }
        lastFired[category] = now.microseconds
        return true
    }
}
