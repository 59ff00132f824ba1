import ArgumentParser
import Foundation
import Monitoring

extension Notebooks {
    /// `notebooks record`: a live monitor fed with JSON lines on stdin.
    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record prediction events from stdin into a monitor directory, running the alert loop.",
            discussion: """
            Each stdin line is one JSON object: a prediction
              {"prediction": "positive", "confidence": 0.93, "processing_time": 0.2, "text": "…",
               "model_version": "v1", "client_id": …, "user_agent": …, "session_id": …}
            an error
              {"error_type": "timeout", "error_message": "…", "context": {…}}
            or {"command": "flush"}, which flushes the logs and prints {"flushed": N} on stdout.
            Alerts, threshold and drift, are printed on stdout as they fire: a line for a person, or with
            --format json one JSON object a line ({"type": "alert", "timestamp", "category", "severity",
            "metric", "message"}, plus "status", "detector", "score", "baseline" and "current" for drift).
            Bad lines are reported on stderr with their line number and skipped.

            Only one writer may hold a monitor directory (an flock on monitor/writer.lock, holding
            its pid); a second one exits 2 naming the holder. A failed write (a full disk) is
            reported on stderr at once; unwritten lines are kept in memory up to --max-pending, past
            which predictions are refused and counted. Exit status: 0 when everything accepted was
            written, 1 when some accepted line was not written or a prediction was refused (both
            counts are printed), 2 when the directory cannot be opened.
            """
        )

        @Argument(help: "The monitor's base directory (created if missing), or its monitor/ folder.")
        var directory: String

        @Option(help: "Time between metric snapshots and alert checks: 90s, 15m, 6h, 2d or plain seconds; 1s to 1d.",
                transform: TimeSpan.argument)
        var interval: TimeSpan = .seconds(60)

        @Option(help: "Alert cooldown per category, e.g. 15m or plain seconds; 0 repeats alerts every tick, as the reference; at most 30d.",
                transform: TimeSpan.argument)
        var cooldown: TimeSpan = .minutes(15)

        @Flag(help: "Do not run the background loop (no snapshots or performance alerts).")
        var noLoop = false

        @Option(help: "How alerts are printed: table (a line for a person) or json (one JSON object a line).")
        var format: OutputFormat = .table

        @OptionGroup var drift: DriftOptions
        @Option(help: "Rotate each log when it reaches this many bytes (\(Self.rotateBytesRange.lowerBound)...\(Self.rotateBytesRange.upperBound)); default: no rotation.")
        var rotateBytes: Int?

        @Option(help: "Rotated copies kept per log with --rotate-bytes (\(Self.retainRange.lowerBound)...\(Self.retainRange.upperBound), default 5; 0 truncates in place).")
        var retain: Int?

        @Option(help: "Log lines held in memory while writes fail (\(Self.maxPendingRange.lowerBound)...\(Self.maxPendingRange.upperBound)); past it predictions are refused.")
        var maxPending: Int = MonitorConfiguration.FlushPolicy().maxPendingLines

        @Option(help: "The most predictions held in the window (1 to 100000000); a warning on stderr says when it cuts the 5-minute window or the restart.")
        var capacity: Int = 10_000

        static let rotateBytesRange = 4_096...(1 << 40)
        static let retainRange = 0...1_000
        static let maxPendingRange = 100...10_000_000

        func validate() throws {
            try OptionRange.check("interval", interval, in: .oneSecond ... .oneDay)
            try OptionRange.check("cooldown", cooldown, in: .zero ... .thirtyDays)
            try drift.validate()
            try OptionRange.check("capacity", capacity, in: 1...100_000_000)
            if let rotateBytes, !Self.rotateBytesRange.contains(rotateBytes) {
                throw ValidationError("--rotate-bytes must be in \(Self.rotateBytesRange.lowerBound)...\(Self.rotateBytesRange.upperBound).")
            }
            if let retain {
                guard rotateBytes != nil else { throw ValidationError("--retain applies with --rotate-bytes only.") }
                guard Self.retainRange.contains(retain) else {
                    throw ValidationError("--retain must be in \(Self.retainRange.lowerBound)...\(Self.retainRange.upperBound).")
                }
            }
            guard Self.maxPendingRange.contains(maxPending) else {
                throw ValidationError("--max-pending must be in \(Self.maxPendingRange.lowerBound)...\(Self.maxPendingRange.upperBound).")
            }
        }

        func run() async throws {
            let url = URL(fileURLWithPath: directory)
            let monitorURL = url.lastPathComponent == "monitor" ? url : url.appendingPathComponent("monitor")
            var configuration = MonitorConfiguration()
            configuration.loopInterval = interval.duration
            configuration.capacity = capacity
            configuration.alertCooldown = cooldown.duration
            configuration.driftDetector = try drift.factory()
            let format = self.format
            if let rotateBytes { configuration.rotation = .init(maxBytes: rotateBytes, retainedFiles: retain ?? 5) }
            configuration.flush.maxPendingLines = maxPending
            // Write failures, a degraded start and a window cut by the capacity, one stderr line each.
            configuration.logger = StderrLogHandler.logger()
            let outcome = Result { () throws(MonitorError) in
                try PredictionMonitor(directory: MonitorDirectory(monitorURL: monitorURL), configuration: configuration,
                                      alertHandler: { alert in
                                          writeLine(format == .json ? JSONWriter.string(alert.eventJSON) : AlertLine.text(alert))
                                      })
            }
            guard case .success(let monitor) = outcome else {
                if case .failure(let error) = outcome { throw fail(error.description) }
                return
            }
            if let skipped = monitor.loadReport.skippedSummary { printError("notebooks: \(skipped)") }
            if monitor.startupWriteError == nil {
                for name in monitor.repairedTornLines { printError("notebooks: repaired a torn last line in \(name)") }
            }
            if !noLoop { monitor.start() }

            var lineNumber = 0, predictions = 0, errors = 0, rejected = 0, refused = 0
            while let line = readLine(strippingNewline: true) {
                lineNumber += 1
                if line.allSatisfy(\.isWhitespace) { continue }
                switch EventLine.apply(line, to: monitor) {
                case .prediction: predictions += 1
                case .error: errors += 1
                case .flushed:
                    writeLine("{\"flushed\": \(predictions)}")
                case .rejected(let reason):
                    rejected += 1
                    printError("notebooks: line \(lineNumber): \(reason)")
                case .refused(let reason):
                    refused += 1
                    if refused == 1 { printError("notebooks: line \(lineNumber): refused: \(reason) (further refusals are counted)") }
                }
            }
            await monitor.stop()
            // A final loop iteration at the end of the input, so that the alerts its last records call for fire
            // (a file fed in seconds would otherwise only see the tick at start).
            if !noLoop { monitor.tick() }
            try? monitor.flush()
            func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
            printError("notebooks: recorded \(plural(predictions, "prediction")) and \(plural(errors, "error")); "
                       + "skipped \(plural(rejected, "bad line"))")
            let status = monitor.writeStatus
            guard status.unwrittenLines == 0, refused == 0 else {
                printError("notebooks: \(monitor.directory.monitorURL.path): \(status.unwrittenLines) accepted lines not written "
                           + "(\(status.pendingPredictions) predictions, \(status.pendingOtherLines + status.droppedLines) snapshots, alerts and errors), "
                           + "\(refused) predictions refused: \(status.lastError?.description ?? "writes failed")")
                throw ExitCode(1)
            }
        }
    }
}
