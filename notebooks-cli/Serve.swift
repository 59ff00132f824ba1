import ArgumentParser
import Foundation
import Logging
import Monitoring
import MonitorServer

extension Notebooks {
    /// `notebooks serve`: a live monitor fed over HTTP and scraped by Prometheus.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve a live monitor over HTTP: predictions and errors in, metrics, alerts and Prometheus series out.",
            discussion: """
            Endpoints:
              POST /v1/predictions   one JSON object or JSON lines, the fields of `notebooks record`
                                     → {"recorded": N, "rejected": [{"line": n, "reason": "…"}]} (400 if all rejected)
              POST /v1/errors        {"error_type": …, "error_message": …, "context": {…}} objects or lines
              POST /v1/flush         returns once the logs are written and fsynced
              GET  /v1/metrics       what `notebooks analyze` prints (?hours=H)
              GET  /v1/alerts        the alerts raised since start (?since=ISO-8601 local time)
              GET  /metrics          Prometheus text exposition
              GET  /healthz
            SIGTERM and SIGINT stop accepting requests, finish those in flight, then flush and fsync the logs.
            """
        )

        @Argument(help: "The monitor's base directory (created if missing), or its monitor/ folder.")
        var directory: String

        @Option(help: "HOST:PORT to listen on (port 0 picks a free one, printed on stderr).")
        var listen = "127.0.0.1:9464"

        @Option(help: "Seconds between metric snapshots and alert checks.")
        var interval: Double = 60

        @Option(help: "Alert cooldown per category, in seconds (0 repeats alerts every tick, as the reference).")
        var cooldown: Double = 900

        @Option(help: "The largest request body accepted, in bytes (larger ones get 413).")
        var maxBodyBytes = 16 * 1024 * 1024

        @Flag(help: "Do not run the background loop (no snapshots, performance alerts or timed flushes).")
        var noLoop = false

        @Option(help: "The most predictions held in the window (1 to 100000000); a warning on stderr says when it cuts the 5-minute window or the restart.")
        var capacity: Int = 10_000

        func validate() throws {
            guard MonitorServerConfiguration.parseListen(listen) != nil else {
                throw ValidationError("--listen '\(listen)' is not HOST:PORT with a port in 0...65535.")
            }
            guard interval.isFinite, interval > 0 else { throw ValidationError("--interval must be positive.") }
            guard cooldown.isFinite, cooldown >= 0 else { throw ValidationError("--cooldown must not be negative.") }
            guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive.") }
            try OptionRange.check("capacity", capacity, in: 1...100_000_000)
        }

        func run() async throws {
            let url = URL(fileURLWithPath: directory)
            let monitorURL = url.lastPathComponent == "monitor" ? url : url.appendingPathComponent("monitor")
            var monitorConfiguration = MonitorConfiguration()
            monitorConfiguration.loopInterval = .milliseconds(Int64(interval * 1000))
            monitorConfiguration.alertCooldown = .milliseconds(Int64(cooldown * 1000))
            monitorConfiguration.capacity = capacity
            // Write failures, a degraded start and a window cut by the capacity, one stderr line each.
            monitorConfiguration.logger = StderrLogHandler.logger()
            var configuration = MonitorServerConfiguration()
            (configuration.host, configuration.port) = MonitorServerConfiguration.parseListen(listen)!
            configuration.maxBodyBytes = maxBodyBytes
            configuration.runsLoop = !noLoop
            let outcome = Result { () throws(MonitorError) in
                try MonitorServer(directory: MonitorDirectory(monitorURL: monitorURL),
                                  monitorConfiguration: monitorConfiguration, configuration: configuration)
            }
            guard case .success(let server) = outcome else {
                if case .failure(let error) = outcome { throw fail(error.description) }
                return
            }
            if let skipped = server.monitor.loadReport.skippedSummary { printError("notebooks: \(skipped)") }
            for name in server.monitor.repairedTornLines { printError("notebooks: repaired a torn last line in \(name)") }
            var logger = Logger(label: "notebooks.serve")
            logger.logLevel = .warning
            let host = configuration.host
            do {
                try await server.run(logger: logger) { port in
                    printError("notebooks: serving \(monitorURL.path) on http://\(host.contains(":") ? "[\(host)]" : host):\(port)")
                }
            } catch {
                throw fail("serve: \(error)")
            }
            let totals = server.monitor.totals
            printError("notebooks: stopped; \(totals.predictions) predictions and \(totals.errors) errors flushed to disk")
        }
    }
}
