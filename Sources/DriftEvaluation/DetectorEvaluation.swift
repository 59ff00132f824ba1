import DriftDetection
import Foundation
import Monitoring
import MonitorNumerics
import TrafficSimulator

/// Scores detectors on simulated streams whose drifts are known.
///
/// Metric definitions (after River's `drift` evaluation and NAB's scorer):
/// - **detection**: an onset counts as detected when an alarm falls in
///   `[onset, offset + grace]` (to the end of the stream for a lasting drift);
///   each interval of a recurring drift is its own onset;
/// - **delay**: from the onset to the first alarm that detects it, in seconds
///   and in records (predictions and errors) between the two;
/// - **false alarms**: alarms before the first onset (and every alarm of the
///   `none` control), per 10,000 records and per hour of that drift-free
///   stretch; the **mean time between false alarms** is its length over their
///   number;
/// - **NAB-style score**: NAB's sweep score (``NABScorer``) of the alarms with
///   a window around each onset (10% of the stream over the number of
///   onsets, centred on the onset), normalised so that no detection scores
///   0 and a detection at each window's left edge 100.
public struct DetectorEvaluation: Sendable {
    /// Outcome of one detector on one stream.
    public struct Run: Sendable {
        public var detector: String
        public var scenario: String
        public var seed: UInt64
        public var severity: Double
        public var onsets: Int
        public var detected: Int
        public var delaysSeconds: [Double]
        public var delaysRecords: [Int]
        public var falseAlarms: Int
        public var driftFreeRecords: Int
        public var driftFreeHours: Double
        public var nabScore: Double?
        public var alarms: [Alarm]
    }

    /// How long after a drift's end an alarm still counts as detecting it.
    public var grace: Int64 = 10 * LocalTimestamp.microsecondsPerMinute
    public var baselineIntervals = 60

    public init() {}

    /// The events of a simulated stream, as a replay would read them.
    public static func events(of generator: TrafficGenerator) -> [MonitorEvent] {
        Array(generator)
    }

    /// The detector names `evaluate` accepts: the catalogue's and
    /// ``ReferenceAlerts/name`` (the reference's threshold alerts).
    public static var detectorNames: [String] { DetectorCatalogue.names + [ReferenceAlerts.name] }

    /// Runs every detector in `detectors` on one stream.
    public func evaluate(detectors: [String], events: [MonitorEvent], truth: GroundTruth) -> [Run] {
        let streams = MetricStreams(events: events)
        let onsets = truth.drifts.flatMap(\.intervals).sorted { $0.onset < $1.onset }
        let firstOnset = onsets.first?.onset.microseconds ?? Int64.max
        let timestamps = events.map(\.timestamp.microseconds)
        let driftFreeEnd = min(firstOnset, truth.end.microseconds)
        let driftFreeRecords = timestamps.partitioningIndex { $0 >= driftFreeEnd }
        let driftFreeHours = Double(driftFreeEnd - truth.start.microseconds) / Double(LocalTimestamp.microsecondsPerHour)
        return detectors.map { name in
            let alarms = (name == ReferenceAlerts.name ? ReferenceAlerts.alarms(events: events)
                          : (try? DetectorCatalogue.alarms(name, on: streams, baselineIntervals: baselineIntervals)) ?? [])
                .filter { $0.kind == .firing }
            var detected = 0
            var delaysSeconds: [Double] = [], delaysRecords: [Int] = []
            for interval in onsets {
                let until = (interval.offset?.microseconds).map { $0 + grace } ?? Int64.max
                guard let first = alarms.first(where: { $0.timestamp.microseconds >= interval.onset.microseconds
                    && $0.timestamp.microseconds <= until }) else { continue }
                detected += 1
                delaysSeconds.append(Double(first.timestamp.microseconds - interval.onset.microseconds) / 1e6)
                delaysRecords.append(timestamps.partitioningIndex { $0 > first.timestamp.microseconds }
                                     - timestamps.partitioningIndex { $0 >= interval.onset.microseconds })
            }
            let falseAlarms = alarms.filter { $0.timestamp.microseconds < firstOnset }.count
            return Run(detector: name, scenario: truth.scenario, seed: truth.seed, severity: truth.severity,
                       onsets: onsets.count, detected: detected, delaysSeconds: delaysSeconds, delaysRecords: delaysRecords,
                       falseAlarms: falseAlarms, driftFreeRecords: driftFreeRecords, driftFreeHours: driftFreeHours,
                       nabScore: nabScore(alarms: alarms, streams: streams, onsets: onsets.map(\.onset), truth: truth),
                       alarms: alarms)
        }
    }

    /// NAB's score of the alarms as a binary detector over the stream's
    /// intervals, with a window centred on each onset.
    func nabScore(alarms: [Alarm], streams: MetricStreams, onsets: [LocalTimestamp], truth: GroundTruth) -> Double? {
        let rows = streams.intervals.map(\.end)
        guard !onsets.isEmpty, rows.count > 10 else { return nil }
        let alarmTimes = Set(alarms.map(\.timestamp))
        let scores = rows.map { alarmTimes.contains($0) ? 1.0 : 0.0 }
        let width = max(1, rows.count / 10 / onsets.count)
        let windows: [(Int, Int)] = onsets.map { onset in
            let center = rows.partitioningIndex { $0 >= onset }
            return (max(0, center - width / 2), min(rows.count - 1, center + width / 2))
        }
        let file = NABScorer.File(name: truth.scenario, scores: scores, windows: mergeOverlapping(windows))
        let scorer = NABScorer(profile: .standard, probationPercent: 0)
        return scorer.normalizedScore(files: [file], threshold: 0.5)
    }

    private func mergeOverlapping(_ windows: [(Int, Int)]) -> [(Int, Int)] {
        var merged: [(Int, Int)] = []
        for window in windows.sorted(by: { $0.0 < $1.0 }) {
            if let last = merged.last, window.0 <= last.1 { merged[merged.count - 1].1 = max(last.1, window.1) } else { merged.append(window) }
        }
        return merged
    }
}
