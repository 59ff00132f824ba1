import CoreMetrics
import Metrics
import Monitoring
import Prometheus
import Synchronization

/// The Prometheus series one `notebooks serve` replica exports, written through
/// swift-metrics into its own swift-prometheus registry (so several servers
/// can live in one process, as in the tests, without a global bootstrap).
///
/// Series (names in ``ServerMetrics/Name``):
/// - `driftlab_predictions_total{label, model_version}`: predictions recorded;
/// - `driftlab_errors_total{error_type}`: errors recorded;
/// - `driftlab_prediction_confidence` (histogram, ``confidenceBuckets``);
/// - `driftlab_processing_time_seconds` (histogram, ``processingTimeBuckets``);
/// - `driftlab_alerts_total{category, severity}`: alerts the monitor raised;
/// - `driftlab_drift_score{metric}`: set only through ``setDriftScore(_:metric:)``.
///
/// Labels and error types come from clients, so each label dimension keeps at
/// most ``seriesLimit`` distinct values; later ones are counted under
/// ``overflowValue``.
package final class ServerMetrics: Sendable {
    /// The metric names, shared with ``PrometheusRules``.
    package enum Name {
        package static let predictions = "driftlab_predictions_total"
        package static let errors = "driftlab_errors_total"
        package static let confidence = "driftlab_prediction_confidence"
        package static let processingTime = "driftlab_processing_time_seconds"
        package static let alerts = "driftlab_alerts_total"
        package static let driftScore = "driftlab_drift_score"
    }

    /// Histogram edges of confidence: the reference's bucket edges
    /// 0.5/0.7/0.8/0.9, its 0.6 alert threshold, and finer ones.
    package static let confidenceBuckets: [Double] = [
        0.1, 0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.925, 0.95, 0.975, 0.99, 1.0,
    ]

    /// Histogram edges of processing time in seconds: sub-second ones and
    /// exact edges at the reference's 5 s warning and 10 s critical thresholds.
    package static let processingTimeBuckets: [Double] = [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4,
        5, 6, 7.5, 10, 15, 20, 30, 60,
    ]

    /// The value counted for label values past ``seriesLimit``.
    package static let overflowValue = "__other__"

    /// The most distinct values kept per label dimension.
    package let seriesLimit: Int

    /// The registry `GET /metrics` renders.
    package let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let confidence: Recorder
    private let processingTime: Recorder
    private let handles: Mutex<Handles>

    private struct PredictionKey: Hashable {
        var label: String
        var modelVersion: String
    }

    private struct Handles: ~Copyable {
        var predictions: [PredictionKey: CoreMetrics.Counter] = [:]
        var errors: [String: CoreMetrics.Counter] = [:]
        var alerts: [String: CoreMetrics.Counter] = [:]
        var driftScores: [String: CoreMetrics.Gauge] = [:]
    }

    package init(seriesLimit: Int = 1_000) {
        self.seriesLimit = seriesLimit
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.valueHistogramBuckets = [
            Name.confidence: Self.confidenceBuckets,
            Name.processingTime: Self.processingTimeBuckets,
        ]
        self.registry = registry
        self.factory = factory
        confidence = Recorder(label: Name.confidence, dimensions: [], aggregate: true, factory: factory)
        processingTime = Recorder(label: Name.processingTime, dimensions: [], aggregate: true, factory: factory)
        handles = Mutex(Handles())
    }

    /// Counts a batch of recorded predictions: one counter update per
    /// (label, model version) in the batch, one histogram update per value.
    package func recordPredictions(_ predictions: some Sequence<EventLine.Prediction>) {
        var counts: [PredictionKey: Int] = [:]
        for prediction in predictions {
            counts[PredictionKey(label: prediction.label, modelVersion: prediction.modelVersion), default: 0] += 1
            confidence.record(prediction.confidence)
            processingTime.record(prediction.processingTime)
        }
        guard !counts.isEmpty else { return }
        let counters: [(CoreMetrics.Counter, Int)] = handles.withLock { handles in
            counts.map { key, count in
                if let counter = handles.predictions[key] { return (counter, count) }
                var key = key
                if handles.predictions.count >= seriesLimit {
                    key = PredictionKey(label: Self.overflowValue, modelVersion: Self.overflowValue)
                    if let counter = handles.predictions[key] { return (counter, count) }
                }
                let counter = CoreMetrics.Counter(label: Name.predictions,
                                      dimensions: [("label", key.label), ("model_version", key.modelVersion)],
                                      factory: factory)
                handles.predictions[key] = counter
                return (counter, count)
            }
        }
        for (counter, count) in counters { counter.increment(by: count) }
    }

    /// Counts one recorded error.
    package func recordError(type: String) {
        let counter = handles.withLock { handles in
            if let counter = handles.errors[type] { return counter }
            let key = handles.errors.count >= seriesLimit ? Self.overflowValue : type
            if let counter = handles.errors[key] { return counter }
            let counter = CoreMetrics.Counter(label: Name.errors, dimensions: [("error_type", key)], factory: factory)
            handles.errors[key] = counter
            return counter
        }
        counter.increment()
    }

    /// Counts one alert the monitor raised.
    package func recordAlert(_ alert: MonitorAlert) {
        recordAlert(category: alert.category.rawValue, severity: alert.severity.rawValue)
    }

    /// Counts one alert by its category and severity names.
    package func recordAlert(category: String, severity: String) {
        let key = category + "\u{0}" + severity
        let counter = handles.withLock { handles in
            if let counter = handles.alerts[key] { return counter }
            let counter = CoreMetrics.Counter(label: Name.alerts, dimensions: [("category", category), ("severity", severity)],
                                  factory: factory)
            handles.alerts[key] = counter
            return counter
        }
        counter.increment()
    }

    /// The hook for online drift detection: sets the gauge
    /// `driftlab_drift_score{metric="…"}`.
    ///
    /// The score's contract, which the fleet's drift rules rely on: the
    /// detector's statistic divided by its alarm threshold, so that a score
    /// of 1 or more means the detector is alarming on that metric. No gauge
    /// exists for a metric until a detector reports it.
    ///
    /// - Parameters:
    ///   - score: The normalised drift score (finite).
    ///   - metric: The monitored metric (`confidence`, `processing_time`, `label_mix`, `error_rate`, …).
    package func setDriftScore(_ score: Double, metric: String) {
        guard score.isFinite else { return }
        let gauge = handles.withLock { handles in
            if let gauge = handles.driftScores[metric] { return gauge }
            let gauge = CoreMetrics.Gauge(label: Name.driftScore, dimensions: [("metric", metric)], factory: factory)
            handles.driftScores[metric] = gauge
            return gauge
        }
        gauge.record(score)
    }

    /// The Prometheus text exposition of every series.
    package func exposition() -> [UInt8] { registry.emitToBuffer() }
}
