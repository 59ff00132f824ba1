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

        @Option(help: "Time between metric snapshots and alert checks: 90s, 15m, 6h, 2d or plain seconds; 1s to 1d.",
                transform: TimeSpan.argument)
        var interval: TimeSpan = .seconds(60)

        @Option(help: "Alert cooldown per category, e.g. 15m or plain seconds; 0 repeats alerts every tick, as the reference; at most 30d.",
                transform: TimeSpan.argument)
        var cooldown: TimeSpan = .minutes(15)

        @Flag(help: "Do not run the background loop (no snapshots or performance alerts).")
        var noLoop = false

        func validate() throws {
            try OptionRange.check("interval", interval, in: .oneSecond ... .oneDay)
            try OptionRange.check("cooldown", cooldown, in: .zero ... .thirtyDays)
        }

        func run() async throws {
            let url = URL(fileURLWithPath: directory)
            let monitorURL = url.lastPathComponent == "monitor" ? url : url.appendingPathComponent("monitor")
            var configuration = MonitorConfiguration()
            configuration.loopInterval = interval.duration
            configuration.alertCooldown = cooldown.duration
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

/// One stdin event of `notebooks record`, applied to a monitor.
enum EventLine {
    enum Outcome: Equatable {
        case prediction, error, flushed
        case rejected(String)
    }

    static func apply(_ line: String, to monitor: PredictionMonitor) -> Outcome {
        guard case .object(let event)? = try? JSONParser.parse(line) else { return .rejected("not a JSON object") }
        if event["command"]?.stringValue == "flush" {
            do { try monitor.flush() } catch { return .rejected("flush failed: \(error)") }
            return .flushed
        }
        if let type = event["error_type"]?.stringValue {
            let context: JSONObject
            if case .object(let object)? = event["context"] { context = object } else { context = JSONObject() }
            monitor.recordError(type: type, message: event["error_message"]?.stringValue ?? "", context: context)
            return .error
        }
        guard let label = event["prediction"]?.stringValue else { return .rejected("missing \"prediction\" (a string)") }
        guard case .number(let confidence)? = event["confidence"] else { return .rejected("missing \"confidence\" (a number)") }
        guard case .number(let time)? = event["processing_time"] else { return .rejected("missing \"processing_time\" (a number)") }
        do {
            try monitor.recordPrediction(prediction: label, confidence: confidence.value, processingTime: time.value,
                                         text: event["text"]?.stringValue ?? "",
                                         modelVersion: event["model_version"]?.stringValue ?? "unknown",
                                         clientID: event["client_id"]?.stringValue, userAgent: event["user_agent"]?.stringValue,
                                         sessionID: event["session_id"]?.stringValue)
        } catch {
            return .rejected(error.description)
        }
        return .prediction
    }
}
