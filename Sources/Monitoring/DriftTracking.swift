import DriftDetection
import Foundation
import MonitorNumerics

/// The live monitor's online drift detection: events cut into intervals by
/// the same ``IntervalCutter`` as `notebooks detect`, each closed interval
/// fed to the configured detector at once, and the alarms kept until the
/// next loop tick reports them.
struct DriftTracking: Sendable {
    private var cutter: IntervalCutter
    private var detector: any IntervalDetector
    /// Alarms raised since the last tick, in order.
    private(set) var pending: [Alarm] = []

    init(detector: any IntervalDetector, intervalLength: Int64) {
        cutter = IntervalCutter(intervalLength: intervalLength)
        self.detector = detector
    }

    var scores: [DriftStatistic: Double] { detector.scores }

    /// A prediction whose label is `code` in the monitor state's dictionary.
    ///
    /// - Complexity: O(1) amortised; O(records in an interval) when it closes one.
    mutating func addPrediction(at timestamp: LocalTimestamp, stateCode code: UInt32, generation: Int, label: String,
                                confidence: Double, processingTime: Double) {
        if let closed = cutter.addPrediction(at: timestamp, externalCode: code, generation: generation, label: label,
                                             confidence: confidence, processingTime: processingTime) {
            pending += detector.update(closed)
        }
    }

    /// - Complexity: O(1) amortised; O(records in an interval) when it closes one.
    mutating func addPrediction(at timestamp: LocalTimestamp, label: String, confidence: Double, processingTime: Double) {
        if let closed = cutter.addPrediction(at: timestamp, label: label, confidence: confidence,
                                             processingTime: processingTime) {
            pending += detector.update(closed)
        }
    }

    mutating func addError(at timestamp: LocalTimestamp) {
        if let closed = cutter.addError(at: timestamp) { pending += detector.update(closed) }
    }

    /// Closes the open interval if `now` is past its end, and hands over
    /// every pending alarm.
    mutating func takeAlarms(at now: LocalTimestamp) -> [Alarm] {
        if let closed = cutter.close(at: now) { pending += detector.update(closed) }
        defer { pending = [] }
        return pending
    }

    /// The name of a label code of the detector's intervals.
    func labelName(_ code: UInt32?) -> String? {
        guard let code, Int(code) < cutter.labels.count else { return nil }
        return cutter.labels[code]
    }

    /// Rebuilds the detector's state from restored events: they are fed in
    /// order, and the alarms they raise are kept pending only where
    /// `alerts.json` has no later report of the same statistic (an alarm
    /// already reported is not raised again; one that was never reported,
    /// because the process stopped first, is).
    ///
    /// - Parameter reported: The latest drift alert timestamp per statistic
    ///   already in `alerts.json`.
    mutating func restore(_ events: [MonitorEvent], reported: [String: LocalTimestamp]) {
        for event in events {
            switch event {
            case .prediction(let record):
                addPrediction(at: record.timestamp, label: record.prediction, confidence: record.confidence,
                              processingTime: record.processingTime)
            case .error(let timestamp, _, _):
                addError(at: timestamp)
            }
        }
        pending = pending.filter { alarm in
            guard let last = reported[alarm.statistic.rawValue] else { return true }
            return alarm.timestamp > last
        }
    }
}

extension MonitorLoader {
    /// The latest drift alert (firing or resolved) per statistic in
    /// `alerts.json` and its rotated copies.
    ///
    /// - Complexity: O(bytes of the alert logs).
    static func reportedDrift(in directory: MonitorDirectory) throws(MonitorError) -> [String: LocalTimestamp] {
        var latest: [String: LocalTimestamp] = [:]
        var reader = LogReader()
        for url in try logFiles(of: directory.alertsURL) {
            _ = try reader.forEachBlock(of: url.path) { bytes in
                for line in LogLines(bytes) where !line.isEmpty {
                    guard case .object(let object)? = try? JSONParser.parse(line),
                          object["category"]?.stringValue == MonitorAlert.Category.drift.rawValue,
                          let metric = object["metric"]?.stringValue,
                          let timestamp = object["timestamp"]?.stringValue.flatMap(LocalTimestamp.init(isoformat:))
                    else { continue }
                    latest[metric] = max(latest[metric] ?? timestamp, timestamp)
                }
            }
        }
        return latest
    }
}
