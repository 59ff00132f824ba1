import ArgumentParser
import MonitorServer

extension Notebooks {
    /// `notebooks prometheus-rules`: the fleet's alerting rules.
    struct PrometheusRulesCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prometheus-rules",
            abstract: "Print a Prometheus rules file for a fleet of `notebooks serve` replicas.",
            discussion: """
            The reference's thresholds (average confidence < 0.6, processing time over 5 s and 10 s as the fleet's \
            p95, error rate over 5% and 10%), drift alarms from driftlab_drift_score, and a replica-down rule, \
            each aggregated over every replica. Check it with `promtool check rules FILE`.
            """
        )

        @Option(help: "The range of rate() in each rule (a Prometheus duration).")
        var window = "5m"

        @Option(name: .customLong("for"), help: "Replace every rule's `for:` (a Prometheus duration; for tests).")
        var forDuration: String?

        @Option(help: "The rule group's evaluation interval (default: Prometheus's global one).")
        var evaluationInterval: String?

        @Option(help: "The scrape job of the replicas, for the replica-down rule.")
        var job = "driftlab"

        func validate() throws {
            for (name, value) in [("--window", window), ("--for", forDuration), ("--evaluation-interval", evaluationInterval)] {
                if let value, !Self.isDuration(value) {
                    throw ValidationError("\(name) '\(value)' is not a Prometheus duration (e.g. 30s, 5m, 1h).")
                }
            }
            guard !job.isEmpty, !job.contains("\""), !job.contains("\\"), !job.contains("\n") else {
                throw ValidationError("--job must be a plain job name.")
            }
        }

        /// A Prometheus duration: one or more `<number><unit>` with units ms, s, m, h, d, w, y.
        static func isDuration(_ text: String) -> Bool {
            text.wholeMatch(of: /([0-9]+(ms|s|m|h|d|w|y))+/) != nil
        }

        func run() throws {
            var rules = PrometheusRules()
            rules.window = window
            rules.forOverride = forDuration
            rules.evaluationInterval = evaluationInterval
            rules.job = job
            print(rules.render(), terminator: "")
        }
    }
}
