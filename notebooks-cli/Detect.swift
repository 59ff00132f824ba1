import ArgumentParser
import DriftDetection
import DriftEvaluation
import Foundation
import Monitoring



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
            do {
                _ = try DetectorCatalogue.make(detector, metrics: metric.isEmpty ? nil : metric)
            } catch {
                throw ValidationError(error.description)
            }
        }

        func run() async throws {
            let events = try loadEvents(directory)
            // Minute intervals, as the live monitor; a stream recorded in a few minutes is cut into batches of events.
            let streams = MetricStreams.adaptive(events: events)
            let alarms = try DetectorCatalogue.alarms(detector, on: streams, metrics: metric.isEmpty ? nil : metric,
                                                      baselineIntervals: streams.defaultBaselineIntervals)
            let firing = alarms.filter { $0.kind == .firing }.count
            switch output.format {
            case .json:
                print(JSONWriter.string(.object(JSONObject([
                    ("detector", .string(detector)), ("alarms", .array(alarms.map { $0.jsonValue(labels: streams.labels) })),
                ]))))
            case .table:
                print("\(detector): \(firing) alarm\(firing == 1 ? "" : "s") over \(events.count) events")
                for alarm in alarms {
                    let label = alarm.label.flatMap { Int($0) < streams.labels.count ? streams.labels[$0] : nil }
                    print("  \(alarm.timestamp.isoformat)  \(alarm.kind == .firing ? "drift   " : "resolved")  "
                          + "\(alarm.statistic.rawValue.padding(15))  score \(String(format: "%.3f", alarm.score))  \(alarm.summary(labelName: label))")
                }
            }
        }
    }
}
