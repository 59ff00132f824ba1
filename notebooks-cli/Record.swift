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
            Alerts are printed on stdout as JSON lines as they fire. Bad lines are reported on stderr
            with their line number and skipped.
            """
        )

        @Argument(help: "The monitor's base directory (created if missing), or its monitor/ folder.")
        var directory: String

        @Option(help: "Seconds between metric snapshots and alert checks.")
        var interval: Double = 60

        @Option(help: "Alert cooldown per category, in seconds (0 repeats alerts every tick, as the reference).")
        var cooldown: Double = 900

        @Flag(help: "Do not run the background loop (no snapshots or performance alerts).")
        var noLoop = false

        func validate() throws {
            guard interval.isFinite, interval > 0 else { throw ValidationError("--interval must be positive.") }
            guard cooldown.isFinite, cooldown >= 0 else { throw ValidationError("--cooldown must not be negative.") }
        }

        func run() async throws {
            let url = URL(fileURLWithPath: directory)
            let monitorURL = url.lastPathComponent == "monitor" ? url : url.appendingPathComponent("monitor")
            var configuration = MonitorConfiguration()
            configuration.loopInterval = .milliseconds(Int64(interval * 1000))
            configuration.alertCooldown = .milliseconds(Int64(cooldown * 1000))
            let outcome = Result { () throws(MonitorError) in
                try PredictionMonitor(directory: MonitorDirectory(monitorURL: monitorURL), configuration: configuration,
                                      alertHandler: { alert in writeLine(JSONWriter.string(alert.jsonValue)) })
            }
            guard case .success(let monitor) = outcome else {
                if case .failure(let error) = outcome { throw fail(error.description) }
                return
            }
            if let skipped = monitor.loadReport.skippedSummary { printError("notebooks: \(skipped)") }
            for name in monitor.repairedTornLines { printError("notebooks: repaired a torn last line in \(name)") }
            if !noLoop { monitor.start() }

            var lineNumber = 0, predictions = 0, errors = 0, rejected = 0
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
                }
            }
            await monitor.stop()
            printError("notebooks: recorded \(predictions) predictions and \(errors) errors; skipped \(rejected) bad lines")
        }
    }
}
