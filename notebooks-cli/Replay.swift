import ArgumentParser
import Foundation
import Monitoring

extension Notebooks {
    /// `notebooks replay`: a recorded or simulated directory through a live monitor.
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Feed a monitor directory's events through a live monitor on a simulated clock.",
            discussion: """
            Prints the metrics at each loop tick (every --every of simulated time) and every alert as it \
            would have fired, so that you see what the monitor's alerting does with that traffic. \
            --cooldown 0 reproduces the reference's alert repetition.
            """
        )

        @Argument(help: "The base directory (or its monitor/ folder) to replay.")
        var directory: String

        @Option(help: "Simulated seconds per real second, 0.001 to 1e9; 0 (the default) replays as fast as possible.")
        var speed: Double = 0

        @Option(help: "Loop interval: 90s, 15m, 6h, 2d or plain seconds; 1s to 1d.", transform: TimeSpan.argument)
        var interval: TimeSpan = .seconds(60)

        @Option(help: "Print a metrics row every this much simulated time, e.g. 10m, 1s to 3650d (alerts are always printed).",
                transform: TimeSpan.argument)
        var every: TimeSpan = .minutes(10)

        @Option(help: "Alert cooldown per category, e.g. 15m, at most 30d; 0 repeats alerts every tick as the reference.",
                transform: TimeSpan.argument)
        var cooldown: TimeSpan = .minutes(15)

        @Option(help: "Output format: table (for a person) or json (one JSON object a line: each printed snapshot, each alert).")
        var format: OutputFormat = .table

        @Option(help: "The most predictions held in the live window (1 to 100000000); a warning on stderr says when it cuts the 5-minute window.")
        var capacity: Int = 10_000

        @OptionGroup var drift: DriftOptions

        func validate() throws {
            try drift.validate()
            try OptionRange.check("capacity", capacity, in: 1...100_000_000)
            if speed != 0 { try OptionRange.check("speed", speed, in: 0.001...1e9) }
            try OptionRange.check("interval", interval, in: .oneSecond ... .oneDay)
            try OptionRange.check("every", every, in: .oneSecond ... .tenYears)
            try OptionRange.check("cooldown", cooldown, in: .zero ... .thirtyDays)
        }

        func run() async throws {
            let events = try loadEvents(directory)
            guard let first = events.first else { throw fail("no events to replay in \(directory)") }

            let tickEvery = interval.microseconds
            let printEvery = max(tickEvery, every.microseconds)
            var configuration = MonitorConfiguration()
            configuration.alertCooldown = cooldown.duration
            configuration.capacity = capacity
            configuration.logger = StderrLogHandler.logger()
            configuration.driftDetector = try drift.factory()
            let clock = ManualMonitorClock(start: first.timestamp)
            let monitor = PredictionMonitor(inMemoryWith: configuration, clock: clock)
            let printer = ReplayPrinter(format: format, timeWidth: interval.microseconds % 1_000_000 == 0 ? 19 : 26)
            printer.header()

            // Ticks on whole multiples of the interval (10:01:00, not 10:00:00.410126), the first after the first event.
            let aligned = first.timestamp.microseconds - LocalTimestamp.floorDivision(first.timestamp.microseconds, tickEvery).remainder
            var nextTick = LocalTimestamp(microseconds: aligned).adding(microseconds: tickEvery)
            var nextPrint = nextTick
            // Progress on a terminal for a run of more than a second; erased before each line printed to the same terminal.
            var progress = TerminalProgress("replay", delay: 1)
            let sharesTerminal = isatty(STDOUT_FILENO) == 1
            func tick(at time: LocalTimestamp) async {
                if speed > 0 { try? await Task.sleep(for: .microseconds(Double(tickEvery) / speed)) }
                clock.set(time)
                let result = monitor.tick()
                let due = time >= nextPrint
                if due { nextPrint = time.adding(microseconds: printEvery) }
                if sharesTerminal, due || !result.alerts.isEmpty { progress.clear() }
                printer.tick(result, printMetrics: due)
            }
            var rejected = 0
            for (index, event) in events.enumerated() {
                if index & 4095 == 0 { progress.update(Double(index) / Double(events.count), detail: " \(index)/\(events.count) events") }
                while nextTick <= event.timestamp {
                    await tick(at: nextTick)
                    nextTick = nextTick.adding(microseconds: tickEvery)
                }
                clock.set(event.timestamp)
                switch event {
                case .prediction(let record):
                    do { try monitor.recordPrediction(record) } catch { rejected += 1 }
                case .error(_, let type, let message):
                    if let alert = monitor.recordErrorReturningAlert(type: type, message: message) {
                        if sharesTerminal { progress.clear() }
                        printer.alert(alert)
                    }
                }
            }
            await tick(at: nextTick)
            progress.clear()
            printer.footer(events: events.count, totals: monitor.totals)
            if rejected > 0 { printError("notebooks: \(rejected) recorded predictions failed validation and were not replayed") }
        }
    }
}

/// Prints replay ticks as table rows or JSON lines.
struct ReplayPrinter {
    var format: OutputFormat
    /// Width of the time column: 19 for ticks on whole seconds (`2026-01-05T00:01:00`), 26 with microseconds.
    var timeWidth = 19

    /// The table's columns: heading, width, right-aligned. Header and rows are laid out by the same spec.
    private var columns: [(title: String, width: Int, right: Bool)] {
        [("time", timeWidth, false), ("pred/min", 8, true), ("avg conf", 8, true), ("p50 s", 6, true), ("p95 s", 6, true),
         ("top label", 14, false), ("anomaly", 7, true), ("error rate", 10, true)]
    }

    private func line(_ cells: [String]) -> String {
        zip(cells, columns).map { cell, column in cell.padding(column.width, left: column.right) }.joined(separator: "  ")
            .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }

    func header() {
        guard format == .table else { return }
        print(line(columns.map(\.title)))
    }

    func tick(_ tick: PredictionMonitor.Tick, printMetrics: Bool) {
        let m = tick.metrics
        if printMetrics {
            switch format {
            case .json:
                guard case .object(let snapshot) = m.jsonValue else { break }
                print(JSONWriter.string(.object(JSONObject([("type", .string("snapshot"))] + snapshot.members.map { ($0.key, $0.value) }))))
            case .table:
                let p = m.responseTimePercentiles
                let total = m.predictionDistribution.values.reduce(0, +)
                let top = m.predictionDistribution.max { $0.value < $1.value }
                let topText = top.map { "\($0.key) \(Int((Double($0.value) / Double(max(total, 1)) * 100).rounded()))%" } ?? "-"
                print(line([m.timestamp.isoformat, fixed(m.predictionsPerMinute, 1), fixed(m.avgConfidence, 3), fixed(p?.p50 ?? 0, 3),
                            fixed(p?.p95 ?? 0, 3), topText.count > 14 ? String(topText.prefix(13)) + "…" : topText, fixed(m.anomalyScore, 3), fixed(m.errorRate * 100, 2) + "%"]))
            }
        }
        for alert in tick.alerts { self.alert(alert) }
    }

    func alert(_ alert: MonitorAlert) {
        switch format {
        case .json: print(JSONWriter.string(alert.eventJSON))
        case .table: print(AlertLine.text(alert))
        }
    }

    func footer(events: Int, totals: (predictions: Int, errors: Int)) {
        if format == .table { print("replayed \(events) events: \(totals.predictions) predictions, \(totals.errors) errors") }
    }

    private func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
}

/// One alert as a line for a person.
enum AlertLine {
    static func text(_ alert: MonitorAlert) -> String {
        let kind = alert.isResolution ? "RESOLVED" : alert.category == .drift ? "DRIFT" : "ALERT"
        return "  \(kind) \(alert.timestamp.isoformat) \(alert.severity.rawValue) \(alert.category.rawValue): \(alert.message)"
    }
}

extension String {
    func padding(_ width: Int, left: Bool = false) -> String {
        count >= width ? self : left ? String(repeating: " ", count: width - count) + self
            : self + String(repeating: " ", count: width - count)
    }
}
