/// Every detector by name, built the same way for the live monitor and for
/// offline runs.
public enum DetectorCatalogue {
    /// The names, in the order tables list them.
    public static let names = ["recommended", "reference", "cusum", "page-hinkley", "adwin", "kswin", "ewma", "zscore",
                               "windowed-gaussian", "psi", "js", "chi-square"]

    /// One line per detector, for `--help` and the README.
    public static let summaries: [String: String] = [
        "recommended": "DriftLab's default: standardised per-statistic CUSUMs (mean confidence, typical and p99 latency, label mix, errors)",
        "reference": "the reference monitor's anomaly score over the last 5 minutes, alarm above 0.3",
        "cusum": "two-sided tabular CUSUM on each metric's per-minute value (k = 0.5σ, h = 5σ, 30-minute warm-up)",
        "page-hinkley": "Page–Hinkley as River's, with its defaults (min_instances 30, delta 0.005, threshold 50, mode both)",
        "adwin": "ADWIN2 as River's, with its defaults (delta 0.002, clock 32), reset after a drift",
        "kswin": "KSWIN as River's, with its defaults (alpha 0.005, window 100, stat 30; seed 42, Python's random), scipy's exact KS p-values",
        "ewma": "EWMA chart (lambda 0.1, L 2.7, 30-minute warm-up)",
        "zscore": "z-score of each minute against the previous hour, alarm beyond 4σ",
        "windowed-gaussian": "NAB's windowed Gaussian (window 6400, step 100), alarm when the score exceeds 0.99999",
        "psi": "PSI of the last 10 minutes' confidence buckets against the baseline, alarm above 0.25",
        "js": "Jensen–Shannon divergence of the same, alarm above 0.1 bits",
        "chi-square": "chi-square of the last 10 minutes' label mix against the baseline, alarm when p < 1e-6",
    ]

    /// Why a detector cannot be built.
    public enum Error: Swift.Error, Equatable, CustomStringConvertible {
        case unknownDetector(String, suggestion: String?)
        case unsupportedMetric(detector: String, metric: MonitoredMetric, supported: [MonitoredMetric])
        case invalidBaseline(Int)
        case invalidParameter(DetectorParameterError)

        public var description: String {
            switch self {
            case .unknownDetector(let name, let suggestion):
                return "unknown detector '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                    + " (one of: \(DetectorCatalogue.names.joined(separator: ", ")))"
            case .unsupportedMetric(let detector, let metric, let supported):
                return "detector '\(detector)' does not watch \(metric.rawValue); it supports "
                    + supported.map(\.rawValue).joined(separator: ", ")
            case .invalidBaseline(let count):
                return "a baseline needs at least one interval (got \(count))"
            case .invalidParameter(let error):
                return error.description
            }
        }
    }

    /// The metrics a detector can watch.
    public static func supportedMetrics(for name: String) -> [MonitoredMetric] {
        switch name {
        case "psi", "js": return [.confidence]
        case "chi-square": return [.label]
        case "reference": return [.confidence, .processingTime, .label]
        default: return MonitoredMetric.allCases
        }
    }

    /// Builds detector `name` watching `metrics` (all it supports by default).
    ///
    /// - Parameter baselineIntervals: The baseline of the detectors that learn
    ///   one (the recommended one, the window tests, the label share).
    /// - Parameter parameters: Parameters of the scalar detectors by name
    ///   (``ScalarDetectors/parameters``); the others take none.
    /// - Throws: ``Error`` for an unknown name, a metric the detector does not
    ///   support, an empty baseline, or a parameter refused.
    /// - Parameter baseline: The recommended detector's baseline policy.
    public static func make(_ name: String, metrics: [MonitoredMetric]? = nil, baselineIntervals: Int = 60,
                            parameters: [String: String] = [:],
                            baseline: RecommendedDetector.BaselinePolicy = .afterLastDrift) throws(Error) -> any IntervalDetector {
        guard names.contains(name) else { throw .unknownDetector(name, suggestion: suggestion(for: name, among: names)) }
        guard baselineIntervals >= 1 else { throw .invalidBaseline(baselineIntervals) }
        if case .trailing(let window, let gap) = baseline, window < 1 || gap < 0 { throw .invalidBaseline(window) }
        let supported = supportedMetrics(for: name)
        let metrics = metrics ?? supported
        if let unsupported = metrics.first(where: { !supported.contains($0) }) {
            throw .unsupportedMetric(detector: name, metric: unsupported, supported: supported)
        }
        func scalar<D: StreamingDetector>(_ detector: D) -> any IntervalDetector where D.Input == Double {
            ScalarIntervalDetector(detector, metrics: metrics, baselineIntervals: baselineIntervals)
        }
        if ScalarDetectors.names.contains(name) {
            do {
                return scalar(try ScalarDetectors.make(name, parameters: parameters))
            } catch {
                throw .invalidParameter(error)
            }
        }
        guard parameters.isEmpty else { throw .invalidParameter(.notConfigurable(detector: name)) }
        switch name {
        case "recommended":
            return RecommendedDetector(metrics: metrics, baselineIntervals: baselineIntervals, policy: baseline)
        case "reference": return ReferenceAnomalyDetector(metrics: metrics)
        case "psi": return WindowDistributionDetector(.psi, baselineIntervals: baselineIntervals)
        case "js": return WindowDistributionDetector(.jensenShannon, baselineIntervals: baselineIntervals)
        default: return WindowDistributionDetector(.chiSquare, baselineIntervals: baselineIntervals)
        }
    }

    /// The closest name by edit distance, when it is close enough to be a typo.
    public static func suggestion(for name: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(Array(name.lowercased()), Array($0))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, name.count / 3) else { return nil }
        return best.0
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + [Int](repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// A recipe for a fresh detector, for ``IntervalDetector`` configuration in
/// value types: equal when the names are (and the settings the name stands for).
public struct DriftDetectorFactory: Sendable, Equatable, CustomStringConvertible {
    /// A name identifying the detector and its settings.
    public let name: String
    private let build: @Sendable () -> any IntervalDetector

    /// A detector from the catalogue.
    ///
    /// - Throws: ``DetectorCatalogue/Error`` as ``DetectorCatalogue/make(_:metrics:baselineIntervals:)``.
    public static func catalogue(_ name: String, metrics: [MonitoredMetric]? = nil, baselineIntervals: Int = 60,
                                 baseline: RecommendedDetector.BaselinePolicy = .afterLastDrift) throws(DetectorCatalogue.Error) -> DriftDetectorFactory {
        _ = try DetectorCatalogue.make(name, metrics: metrics, baselineIntervals: baselineIntervals, baseline: baseline)
        let key = "\(name)(\((metrics ?? DetectorCatalogue.supportedMetrics(for: name)).map(\.rawValue).joined(separator: ",")); baseline \(baselineIntervals) \(baseline))"
        return DriftDetectorFactory(name: key) {
            // Validated above, so this cannot throw.
            (try? DetectorCatalogue.make(name, metrics: metrics, baselineIntervals: baselineIntervals, baseline: baseline))!
        }
    }

    /// The recommended detector on every metric with a one-hour baseline.
    public static let recommended = DriftDetectorFactory(name: "recommended") { RecommendedDetector() }

    /// Any detector: `name` must say what distinguishes it from others.
    public init(name: String, build: @escaping @Sendable () -> any IntervalDetector) {
        self.name = name
        self.build = build
    }

    /// A fresh detector.
    public func make() -> any IntervalDetector { build() }

    public var description: String { name }

    public static func == (lhs: DriftDetectorFactory, rhs: DriftDetectorFactory) -> Bool { lhs.name == rhs.name }
}
