import ArgumentParser
import DriftDetection
import Foundation
import Monitoring

extension MonitoredMetric: ExpressibleByArgument {}

extension Notebooks {
    /// `notebooks detect`: run a drift detector over a monitor directory.
    struct Detect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a drift detector over a monitor directory, in timestamp order, and list its alarms.",
            discussion: "Detectors:\n" + DetectorCatalogue.names.map { "  \($0): \(DetectorCatalogue.summaries[$0]!)" }
                .joined(separator: "\n")
        )

        @Argument(help: "The base directory (or its monitor/ folder) in the reference's format.")
        var directory: String

        @Option(help: "The detector (see below).")
        var detector: String = "recommended"

        @Option(help: "A metric to watch: confidence, processing_time, label or error_rate (repeatable; default: all the detector supports).")
        var metric: [MonitoredMetric] = []

        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard DetectorCatalogue.names.contains(detector) else {
                throw ValidationError("unknown detector '\(detector)'; one of: \(DetectorCatalogue.names.joined(separator: ", "))")
            }
        }

        func run() async throws {
            let events = try loadEvents(directory)
            // Minute intervals; a stream recorded in a few minutes is cut into batches of events instead.
            let streams = MetricStreams.adaptive(events: events)
            // An hour of baseline, or a sixth of a shorter stream (at least ten intervals).
            let baseline = min(60, max(10, streams.intervals.count / 6))
            let alarms = DetectorCatalogue.alarms(detector, on: streams, metrics: metric.isEmpty ? nil : metric,
                                                  baselineIntervals: baseline) ?? []
            switch output.format {
            case .json:
                print(JSONWriter.string(.object(JSONObject([
                    ("detector", .string(detector)), ("alarms", .array(alarms.map(\.jsonValue))),
                ]))))
            case .table:
                print("\(detector): \(alarms.count) alarm\(alarms.count == 1 ? "" : "s") over \(events.count) events")
                for alarm in alarms {
                    print("  \(alarm.timestamp.isoformat)  \(alarm.metric.rawValue.padding(15))  score \(String(format: "%.3f", alarm.score))")
                }
            }
        }
    }
}
