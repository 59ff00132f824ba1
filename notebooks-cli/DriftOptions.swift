import ArgumentParser
import DriftDetection
import Monitoring

/// The online drift detector options of `record` and `replay`.
struct DriftOptions: ParsableArguments {
    @Option(help: "The online drift detector (see `notebooks detect --help`), or none.")
    var detector: String = "recommended"

    @Option(name: .customLong("drift-metric"),
            help: "A metric the drift detector watches: confidence, processing_time, label or error_rate (repeatable; default: all it supports).")
    var metrics: [MonitoredMetric] = []

    func validate() throws {
        _ = try factory()
    }

    /// The configured detector; `nil` for `none`.
    func factory() throws -> DriftDetectorFactory? {
        if detector == "none" {
            guard metrics.isEmpty else { throw ValidationError("--drift-metric needs a detector other than none.") }
            return nil
        }
        do {
            return try .catalogue(detector, metrics: metrics.isEmpty ? nil : metrics)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
extension MonitoredMetric: ExpressibleByArgument {}
