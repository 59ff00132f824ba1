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

    @Option(help: "The recommended detector's baseline: after-last-drift (the default: the first hour, re-learned after each drift), fixed-start (the first hour for good), or trailing:WINDOW:GAP (e.g. trailing:6h:1h, the WINDOW of minutes ending GAP ago, rebuilt every WINDOW).")
    var baseline: String = "after-last-drift"

    func validate() throws {
        _ = try factory()
    }

    /// The parsed `--baseline`.
    func baselinePolicy() throws -> RecommendedDetector.BaselinePolicy {
        switch baseline {
        case "after-last-drift": return .afterLastDrift
        case "fixed-start": return .fixedStart
        default:
            let parts = baseline.split(separator: ":").map(String.init)
            guard parts.count == 3, parts[0] == "trailing",
                  let window = (try? TimeSpan(parsing: parts[1]))?.microseconds,
                  let gap = (try? TimeSpan(parsing: parts[2]))?.microseconds,
                  window >= 60_000_000, window <= 30 * 86_400_000_000, gap <= 30 * 86_400_000_000 else {
                throw ValidationError("--baseline '\(baseline)' is not after-last-drift, fixed-start or trailing:WINDOW:GAP with WINDOW from 1m to 30d and GAP up to 30d (e.g. trailing:6h:1h).")
            }
            return .trailing(window: Int(window / 60_000_000), gap: Int(gap / 60_000_000))
        }
    }

    /// The configured detector; `nil` for `none`.
    func factory() throws -> DriftDetectorFactory? {
        if detector == "none" {
            guard metrics.isEmpty else { throw ValidationError("--drift-metric needs a detector other than none.") }
            return nil
        }
        let policy = try baselinePolicy()
        if detector != "recommended" && baseline != "after-last-drift" {
            throw ValidationError("--baseline applies to the recommended detector only.")
        }
        do {
            return try .catalogue(detector, metrics: metrics.isEmpty ? nil : metrics, baseline: policy)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
extension MonitoredMetric: ExpressibleByArgument {}
