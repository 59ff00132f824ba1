import ArgumentParser
import DriftDetection
import DriftEvaluation
import Foundation
import Monitoring



extension Notebooks {
    /// `notebooks detect`: run a drift detector over a monitor directory, or over a raw series (`--series`).
    struct Detect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a drift detector over a monitor directory, in timestamp order, or over a raw series, and list its alarms.",
            discussion: "Detectors on a monitor directory:\n"
                + DetectorCatalogue.names.map { "  \($0): \(DetectorCatalogue.summaries[$0]!)" }.joined(separator: "\n")
                + "\n\nDetectors on a series (--series FILE), and their --param NAME=VALUE with the defaults (River's for adwin, page-hinkley, kswin, ddm and eddm):\n"
                + ScalarDetectors.names.map { name in
                    "  \(name): " + ScalarDetectors.parameters[name]!.map { "\($0.name)=\($0.defaultValue)" }.joined(separator: " ")
                }.joined(separator: "\n")
        )

        @Argument(help: "The base directory (or its monitor/ folder) in the reference's format (not with --series).")
        var directory: String?

        @Option(help: ArgumentHelp("A raw series instead of a directory: a CSV or NAB-style file with one numeric column and an optional timestamp column, header optional.",
                                   valueName: "file"))
        var series: String?

        @Option(help: "The detector (see below; default: recommended on a directory, adwin on a series).")
        var detector: String?

        @Option(name: .customLong("param"),
                help: ArgumentHelp("A detector parameter, e.g. delta=0.01 or window_size=200 (repeatable; see below).", valueName: "name=value"))
        var parameters: [String] = []

        @Option(help: "A metric to watch: confidence, processing_time, label or error_rate (repeatable; default: all the detector supports; not with --series).")
        var metric: [MonitoredMetric] = []

        @OptionGroup var output: OutputOptions

        /// The detector asked for, or the mode's default.
        var detectorName: String { detector ?? (series == nil ? "recommended" : "adwin") }

        func validate() throws {
            switch (directory, series) {
            case (nil, nil): throw ValidationError("Give a monitor directory or --series FILE.")
            case (.some, .some): throw ValidationError("Give a monitor directory or --series FILE, not both.")
            default: break
            }
            let parsed: [String: String]
            do { parsed = try ScalarDetectors.parse(parameters) } catch { throw ValidationError(error.description) }
            if series != nil {
                guard metric.isEmpty else { throw ValidationError("--metric applies to a monitor directory, not to --series.") }
                guard ScalarDetectors.names.contains(detectorName) else {
                    let suggestion = DetectorCatalogue.suggestion(for: detectorName, among: ScalarDetectors.names)
                    throw ValidationError("detector '\(detectorName)' does not run on a series"
                                          + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                                          + " (one of: \(ScalarDetectors.names.joined(separator: ", ")))")
                }
                do { _ = try ScalarDetectors.make(detectorName, parameters: parsed) } catch { throw ValidationError(error.description) }
                return
            }
            do {
                _ = try DetectorCatalogue.make(detectorName, metrics: metric.isEmpty ? nil : metric, parameters: parsed)
            } catch .invalidParameter(let error) {
                throw ValidationError(error.description)
            } catch {
                throw ValidationError(error.description)
            }
        }

        func run() async throws {
            let parsed = try ScalarDetectors.parse(parameters)
            if let series { return try runSeries(series, parameters: parsed) }
            let detector = detectorName
            let directory = directory!
            let events = try loadEvents(directory)
            // Minute intervals, as the live monitor; a stream recorded in a few minutes is cut into batches of events.
            let streams = MetricStreams.adaptive(events: events)
            let alarms = try DetectorCatalogue.alarms(detector, on: streams, metrics: metric.isEmpty ? nil : metric,
                                                      baselineIntervals: streams.defaultBaselineIntervals, parameters: parsed)
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
    
        /// `--series FILE`: the detector fed every value in file order; an alarm per input that raises one.
        func runSeries(_ path: String, parameters: [String: String]) throws {
            let file: SeriesFile
            do { file = try SeriesFile.load(path) } catch { throw fail(error.description) }
            var detector = try ScalarDetectors.make(detectorName, parameters: parameters)
            var alarms: [(index: Int, score: Double)] = []
            for (index, value) in file.values.enumerated() {
                let detection = detector.update(value)
                if detection.alarm { alarms.append((index, detection.score)) }
            }
            switch output.format {
            case .json:
                let list: [JSONValue] = alarms.map { alarm in
                    .object(JSONObject([
                        ("index", .int(alarm.index)),
                        ("timestamp", file.timestamps.map { .string($0[alarm.index]) } ?? .null),
                        ("score", alarm.score.isFinite ? .double(alarm.score) : .null),
                    ]))
                }
                print(JSONWriter.string(.object(JSONObject([("detector", .string(detectorName)), ("alarms", .array(list))]))))
            case .table:
                print("\(detectorName): \(alarms.count) alarm\(alarms.count == 1 ? "" : "s") over \(file.values.count) values")
                for alarm in alarms {
                    let when = file.timestamps.map { "  \($0[alarm.index])" } ?? ""
                    print("  index \(alarm.index)\(when)  value \(file.values[alarm.index])  score \(String(format: "%.3f", alarm.score))")
                }
            }
        }
}
}
