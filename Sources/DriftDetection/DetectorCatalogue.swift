import Monitoring

/// Every detector by name, run the same way over a stream's intervals.
public enum DetectorCatalogue {
    /// The names, in the order tables list them.
    public static let names = ["recommended", "reference", "cusum", "page-hinkley", "adwin", "kswin", "ewma", "zscore",
                               "windowed-gaussian", "psi", "js", "chi-square"]

    /// One line per detector, for `--help` and the README.
    public static let summaries: [String: String] = [
        "recommended": "DriftLab's default: standardised per-metric CUSUMs (confidence, latency median and tail, label mix, errors)",
        "reference": "the reference monitor's anomaly score over the last 5 minutes, alarm above 0.3",
        "cusum": "two-sided tabular CUSUM on each metric's per-minute value (k = 0.5σ, h = 5σ, 30-minute warm-up)",
        "page-hinkley": "Page–Hinkley with River's defaults (min_instances 30, delta 0.005, threshold 50)",
        "adwin": "ADWIN2 with River's defaults (delta 0.002, clock 32)",
        "kswin": "KSWIN with River's defaults (alpha 0.005, window 100, stat 30), exact KS p-values",
        "ewma": "EWMA chart (lambda 0.1, L 2.7, 30-minute warm-up)",
        "zscore": "z-score of each minute against the previous hour, alarm beyond 4σ",
        "windowed-gaussian": "NAB's windowed Gaussian (window 6400, step 100), alarm when the score exceeds 0.99999",
        "psi": "PSI of the last 10 minutes' confidence buckets against the first hour, alarm above 0.25",
        "js": "Jensen–Shannon divergence of the same, alarm above 0.1 bits",
        "chi-square": "chi-square of the last 10 minutes' label mix against the first hour, alarm when p < 1e-6",
    ]

    /// The metrics a detector watches by default.
    public static func defaultMetrics(for name: String) -> [MonitoredMetric] {
        switch name {
        case "psi", "js": return [.confidence]
        case "chi-square": return [.label]
        default: return MonitoredMetric.allCases
        }
    }

    /// Runs detector `name` over `streams` on `metrics`; `nil` for an unknown name.
    ///
    /// - Parameter baselineIntervals: The warm-up of the detectors that learn
    ///   a baseline (the recommended one and the window tests).
    public static func alarms(_ name: String, on streams: MetricStreams, metrics: [MonitoredMetric]? = nil,
                              baselineIntervals: Int = 60) -> [Alarm]? {
        let metrics = metrics ?? defaultMetrics(for: name)
        func scalar<D: StreamingDetector>(_ detector: D) -> [Alarm] where D.Input == Double {
            metrics.flatMap { metric in
                detector.alarms(on: streams.scalarSeries(metric, referenceIntervals: baselineIntervals),
                                intervals: streams.intervals, metric: metric)
            }.sorted { $0.timestamp < $1.timestamp }
        }
        func window(_ statistic: WindowDistributionDetector.Statistic) -> [Alarm] {
            guard metrics.contains(statistic.metric) else { return [] }
            return WindowDistributionDetector(statistic, baselineIntervals: baselineIntervals).alarms(on: streams)
        }
        switch name {
        case "recommended":
            return RecommendedDetector(baselineIntervals: baselineIntervals).alarms(on: streams, metrics: metrics)
        case "reference":
            return ReferenceAnomalyDetector().alarms(on: streams).filter { metrics.contains($0.metric) }
        case "cusum": return scalar(CUSUM())
        case "page-hinkley": return scalar(PageHinkley())
        case "adwin": return scalar(ADWIN())
        case "kswin": return scalar(KSWIN())
        case "ewma": return scalar(EWMAChart())
        case "zscore": return scalar(ZScoreChart())
        case "windowed-gaussian": return scalar(WindowedGaussian())
        case "psi": return window(.psi)
        case "js": return window(.jensenShannon)
        case "chi-square": return window(.chiSquare)
        default: return nil
        }
    }
}
