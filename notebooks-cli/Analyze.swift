import ArgumentParser
import Monitoring

extension Notebooks {
    /// `notebooks analyze`: the reference's metrics for a monitor directory.
    struct Analyze: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compute a monitor directory's metrics as the reference PredictionMonitor would.",
            discussion: """
            DIR is the base directory given to the reference's PredictionMonitor(base_dir) \
            (it holds monitor/predictions.json, metrics.json and alerts.json), or the monitor/ \
            folder itself. Lines that cannot be decoded are skipped and counted on stderr.
            """
        )

        @Argument(help: "The monitor's base directory, or its monitor/ folder.")
        var directory: String

        @Option(help: "The clock reading, as naive local ISO-8601 (default: now).")
        var now: String?

        @Option(help: "Look-back of the prediction patterns and historical metrics, in hours (more than 0, at most 87600, 10 years).")
        var hours: Double = 24

        @Option(help: "The most predictions held in the window, as the reference's deque (1 to 100000000).")
        var capacity: Int = 10_000

        @Flag(help: "Leave out records stamped after --now, to look back into a log (the reference counts them).")
        var asOf = false

        @OptionGroup var output: OutputOptions

        func validate() throws {
            if let now, LocalTimestamp(isoformat: now) == nil {
                throw ValidationError("--now '\(now)' is not an ISO-8601 local date-time (e.g. 2026-11-29T12:00:00).")
            }
            try OptionRange.check("hours", hours, above: 0, upTo: 87_600)
            try OptionRange.check("capacity", capacity, in: 1...100_000_000)
        }

        func run() async throws {
            let clock = now.flatMap(LocalTimestamp.init(isoformat:)) ?? LocalTimestamp.now()
            let resolved = try resolveForReading(directory)
            let outcome = Result { () throws(MonitorError) -> MonitorReport in
                try MonitorReport.analyze(directory: resolved,
                                          now: clock, hours: hours, capacity: capacity, asOf: asOf)
            }
            guard case .success(let report) = outcome else {
                if case .failure(let error) = outcome { throw fail(error.description) }
                return
            }
            if let skipped = report.load.skippedSummary { printError("notebooks: \(skipped)") }
            if let truncation = report.load.truncatedByCapacity {
                printError("notebooks: \(directory): \(truncation.summary) (use --capacity \(truncation.suggestedCapacity))")
            }
            switch output.format {
            case .json: print(JSONWriter.string(report.jsonValue))
            case .table: print(ReportTable.render(report))
            }
        }
    }
}
