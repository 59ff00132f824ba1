import ArgumentParser
import DriftDetection
import Foundation
import Logging
import Monitoring
import MonitorNumerics
import TrafficSimulator

extension Notebooks {
    /// `notebooks bench`: times the hot paths on generated data.
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time DriftLab's hot paths on seeded synthetic data.",
            discussion: """
            aggregation: current_metrics over a window of N records (all inside the last 5 minutes); column_kernels says \
            whether the AVX2 kernels ran (set DRIFTLAB_AVX2=0 to time the portable code).
            ingest: recording N predictions through PredictionMonitor, with its durable log (or --in-memory), with the online drift detector and without it, alternating.
            load: reading a predictions.json of N lines, as `analyze` does.
            simulate: generating N predictions of the compound scenario, to memory (--in-memory) or to a log.
            json-object: parsing one JSON object of N keys (an error context in alerts.json), as the loader does.
            percentiles: the four response-time percentiles of N values by each path (copy and select, sample
            brackets, buckets), alternating; the crossover sets Quantiles.bucketThreshold.
            """
        )

        enum Workload: String, ExpressibleByArgument, CaseIterable {
            case aggregation
            case ingest
            case load
            case simulate
            case jsonObject = "json-object"
            case percentiles
        }

        @Argument(help: "What to time: aggregation or load.")
        var workload: Workload

        @Option(help: "Records in the window or lines in the log, 1 to 20000000.")
        var records: Int = 10_000

        @Option(name: .customLong("repeat"), help: "Timed repetitions, 1 to 10000; the median and minimum are reported.")
        var repetitions: Int = 20

        @Option(help: "Seed of the synthetic data.")
        var seed: UInt64 = 42

        @Option(help: "Time aggregation over this monitor directory's window instead of synthetic data.")
        var from: String?

        @Option(help: "The clock reading for --from (naive local ISO-8601).")
        var now: String?

        @Flag(help: "ingest: record without logs.")
        var inMemory = false

        @Option(help: "ingest: record these events (JSON lines as `notebooks record` reads) instead of synthetic ones.")
        var events: String?

        @OptionGroup var output: OutputOptions

        func validate() throws {
            try OptionRange.check("records", records, in: 1...20_000_000)
            try OptionRange.check("repeat", repetitions, in: 1...10_000)
            if from != nil, workload != .aggregation { throw ValidationError("--from applies to aggregation only.") }
            if inMemory, workload != .ingest, workload != .simulate { throw ValidationError("--in-memory applies to ingest and simulate.") }
            if events != nil, workload != .ingest { throw ValidationError("--events applies to ingest only.") }
            if let now, LocalTimestamp(isoformat: now) == nil { throw ValidationError("--now '\(now)' is not a timestamp.") }
        }

        func run() async throws {
            let now = LocalTimestamp(isoformat: self.now ?? "2026-11-29T12:00:00")!
            let samples: [Double]
            var records = self.records
            var extra: [(String, JSONValue)] = []
            switch workload {
            case .aggregation:
                var state = SyntheticTraffic(seed: seed).state(records: from == nil ? records : 1, endingAt: now)
                if let from {
                    let outcome = Result { () throws(MonitorError) in
                        try MonitorLoader(capacity: records).load(MonitorDirectory.resolve(from), now: now).0
                    }
                    guard case .success(let loaded) = outcome else {
                        if case .failure(let error) = outcome { throw fail(error.description) }
                        return
                    }
                    state = loaded
                    records = state.columns.withRecords(after: now.microseconds - MonitorState.currentWindow) { $0.count }
                }
                samples = try time(repetitions) { _ = state.currentMetrics(at: now) }
            case .ingest:
                let batch = try eventsToRecord()
                records = batch.count
                // With the online drift detector and without it, alternating, so that both see the same machine.
                func ingest(detector: DriftDetectorFactory?) throws {
                    let base = FileManager.default.temporaryDirectory.appendingPathComponent("driftlab-ingest-\(UUID().uuidString)")
                    defer { try? FileManager.default.removeItem(at: base) }
                    var configuration = MonitorConfiguration()
                    configuration.capacity = max(records, 1)
                    configuration.driftDetector = detector
                    configuration.logger = Logger(label: "notebooks.bench") { _ in SwiftLogNoOpLogHandler() }
                    let monitor = inMemory
                        ? PredictionMonitor(inMemoryWith: configuration)
                        : try PredictionMonitor(baseDirectory: base, configuration: configuration)
                    for event in batch {
                        try monitor.recordPrediction(prediction: event.label, confidence: event.confidence,
                                                     processingTime: event.processingTime, text: event.text)
                    }
                    monitor.tick()
                    try monitor.flush()
                }
                var with: [Double] = [], without: [Double] = []
                for _ in 0..<repetitions {
                    with += try time(1) { try ingest(detector: .recommended) }
                    without += try time(1) { try ingest(detector: nil) }
                }
                samples = with
                let sortedWithout = without.sorted()
                let medianWithout = sortedWithout[sortedWithout.count / 2]
                extra = [("without_detection_records_per_second", .double(Double(records) / medianWithout)),
                         ("detection_overhead", .double(samples.sorted()[samples.count / 2] / medianWithout - 1))]
            case .simulate:
                // A rate that yields about N predictions over the scenario's six hours.
                let rate = Double(records) / (6 * 3600) / 0.995
                let generator = TrafficGenerator(scenario: Scenario.named("compound")!, seed: seed,
                                                 start: LocalTimestamp(isoformat: SimulationDefaults.start)!,
                                                 ratePerSecond: rate)
                var produced = 0
                samples = try time(repetitions) {
                    if inMemory {
                        var copy = generator
                        produced = 0
                        while let event = copy.next() { if case .prediction = event { produced += 1 } }
                    } else {
                        let base = FileManager.default.temporaryDirectory.appendingPathComponent("driftlab-sim-\(UUID().uuidString)")
                        defer { try? FileManager.default.removeItem(at: base) }
                        produced = try SimulationWriter(baseURL: base).write(generator).predictions
                    }
                }
                records = produced
            case .jsonObject:
                var line = "{"
                for i in 0..<records { line += (i == 0 ? "\"key" : ", \"key") + "\(i)\": \(i)" }
                line += "}"
                samples = try time(repetitions) {
                    guard case .object(let object) = try JSONParser.parse(line), object.count == records else {
                        throw fail("the generated object did not parse to \(records) members")
                    }
                }
            case .percentiles:
                try timePercentiles(records: records)
                return
            case .load:
                let directory = try SyntheticTraffic(seed: seed).writeLog(records: records, endingAt: now)
                defer { try? FileManager.default.removeItem(at: directory.monitorURL.deletingLastPathComponent()) }
                let loader = MonitorLoader(capacity: records)
                samples = try time(repetitions) { _ = try loader.load(directory, now: now) }
            }
            let sorted = samples.sorted()
            let median = sorted[sorted.count / 2]
            var bandwidth: [(String, JSONValue)] = extra
            if workload == .aggregation {
                let b = MemoryBandwidth.measure(records: records)
                bandwidth = [("memory_read_gbps", .double(b.readGBps)), ("one_pass_mean_gbps", .double(b.meanGBps)),
                             ("one_pass_counts_gbps", .double(b.countsGBps)),
                             ("one_pass_fraction", .double(min(b.meanGBps, b.countsGBps) / b.readGBps)),
                             ("one_pass_column_records", .int(b.columnRecords)), ("last_level_cache_bytes", .int(b.cacheBytes)),
                             ("column_kernels", .string(ColumnPass.usesAVX2 ? "avx2" : "portable"))]
            }
            let result: JSONValue = .object(JSONObject([
                ("workload", .string(workload.rawValue)),
                ("records", .int(records)),
                ("repeat", .int(repetitions)),
                ("median_seconds", .double(median)),
                ("min_seconds", .double(sorted[0])),
                ("records_per_second", .double(Double(records) / median)),
                ("bytes_per_record", .int(PredictionColumnsLayout.bytesPerRecord)),
            ] + bandwidth))
            switch output.format {
            case .json: print(JSONWriter.string(result))
            case .table:
                var header = ["workload", "records", "repeat", "median", "min", "records/s"]
                var row = [workload.rawValue, Figure.grouped(String(records)), String(repetitions), BenchTable.duration(median),
                           BenchTable.duration(sorted[0]), Figure.rounded(Double(records) / median)]
                if extra.count == 2 {
                    header += ["records/s without detection", "detection overhead"]
                    row += [Figure.rounded(extra[0].1.doubleValue ?? 0), String(format: "%.1f%%", (extra[1].1.doubleValue ?? 0) * 100)]
                }
                print(TextTable.render(header: header, rows: [row]))
            }
        }

        /// Both percentile paths on the same column, alternating rounds.
        private func timePercentiles(records: Int) throws {
            var generator = SyntheticTraffic(seed: seed)
            let now = LocalTimestamp(isoformat: "2026-11-29T12:00:00")!
            let column = (0..<records).map { generator.next(index: $0, of: records, endingAt: now).3 }
            let percentiles = Percentiles.ranks
            var copy: [Double] = [], bracketed: [Double] = [], buckets: [Double] = []
            var agree = true
            try column.withUnsafeBufferPointer { values in
                let expected = Quantiles.linear(values, percentiles: percentiles, path: .copy)
                for _ in 0..<repetitions {
                    copy += try time(1) { _ = Quantiles.linear(values, percentiles: percentiles, path: .copy) }
                    bracketed += try time(1) {
                        agree = agree && Quantiles.linear(values, percentiles: percentiles, path: .bracketed) == expected
                    }
                    buckets += try time(1) {
                        agree = agree && Quantiles.linear(values, percentiles: percentiles, path: .buckets) == expected
                    }
                }
            }
            let median = { (samples: [Double]) in samples.sorted()[samples.count / 2] }
            let result: JSONValue = .object(JSONObject([
                ("workload", .string(workload.rawValue)), ("records", .int(records)), ("repeat", .int(repetitions)),
                ("copy_median_seconds", .double(median(copy))), ("bracketed_median_seconds", .double(median(bracketed))),
                ("buckets_median_seconds", .double(median(buckets))),
                ("paths_agree", .bool(agree)),
                ("bucket_threshold", .int(Quantiles.bucketThreshold)),
            ]))
            switch output.format {
            case .json: print(JSONWriter.string(result))
            case .table:
                print(TextTable.render(header: ["workload", "values", "repeat", "copy and select", "sample brackets", "buckets", "paths agree"],
                                       rows: [[workload.rawValue, Figure.grouped(String(records)), String(repetitions),
                                               BenchTable.duration(median(copy)), BenchTable.duration(median(bracketed)),
                                               BenchTable.duration(median(buckets)), agree ? "yes" : "NO"]]))
                print("(medians of \(repetitions) runs, the three paths alternating)")
            }
        }

        private func eventsToRecord() throws -> [IngestEvent] {
            guard let events else {
                var generator = SyntheticTraffic(seed: seed)
                let now = LocalTimestamp.now()
                return (0..<records).map { i in
                    let (_, label, confidence, time) = generator.next(index: i, of: records, endingAt: now)
                    return IngestEvent(label: label, confidence: confidence, processingTime: time,
                                       text: "synthetic request text number \(i) for the benchmark")
                }
            }
            guard let text = try? String(contentsOfFile: events, encoding: .utf8) else {
                throw fail("cannot read \(events)")
            }
            return text.split(separator: "\n").compactMap { line in
                guard case .object(let e)? = try? JSONParser.parse(String(line)),
                      let label = e["prediction"]?.stringValue, let c = e["confidence"]?.doubleValue,
                      let t = e["processing_time"]?.doubleValue else { return nil }
                return IngestEvent(label: label, confidence: c, processingTime: t, text: e["text"]?.stringValue ?? "")
            }
        }

        private func time(_ count: Int, _ body: () throws -> Void) rethrows -> [Double] {
            try body()  // warm-up
            return try (0..<count).map { _ in
                let start = DispatchTime.now().uptimeNanoseconds
                try body()
                return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            }
        }
    }
}

/// The machine's memory read bandwidth, and what the one-pass kernels reach
/// streaming from memory. Both run on columns at least four times the
/// last-level cache (and at least 256 MiB for the probe), so that the cache
/// flatters neither: on an 8 MB column, which the 32 MB cache here holds, the
/// kernels "reached" 1.45–3.3× the memory bandwidth.
enum MemoryBandwidth {
    /// The last-level cache's size from sysfs (`index3`, else the highest
    /// index), or 32 MiB when it cannot be read.
    static func lastLevelCacheBytes() -> Int {
        let base = "/sys/devices/system/cpu/cpu0/cache"
        for index in [3, 2, 1] {
            guard let text = try? String(contentsOfFile: "\(base)/index\(index)/size", encoding: .utf8) else { continue }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            var digits = trimmed
            var shift = 0
            if let last = trimmed.last, let unitShift = ["K": 10, "M": 20, "G": 30][String(last)] {
                shift = unitShift
                digits = String(trimmed.dropLast())
            }
            guard let number = Int(digits) else { continue }
            return number << shift
        }
        return 32 << 20
    }

    static func measure(records: Int) -> (readGBps: Double, meanGBps: Double, countsGBps: Double, columnRecords: Int, cacheBytes: Int) {
        func best(_ repetitions: Int, _ body: () -> Void) -> Double {
            (0..<repetitions).map { _ in
                let start = DispatchTime.now().uptimeNanoseconds
                body()
                return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            }.min()!
        }
        let cacheBytes = lastLevelCacheBytes()
        let big = [Double](repeating: 0.5, count: max(32 << 20, cacheBytes / 2))  // ≥ 256 MiB, ≥ 4× the cache
        var sink = SIMD8<Double>.zero
        let readSeconds = best(5) {
            big.withUnsafeBytes { raw in
                var a = SIMD8<Double>.zero, b = SIMD8<Double>.zero
                var offset = 0
                while offset + 128 <= raw.count {
                    a += raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self)
                    b += raw.loadUnaligned(fromByteOffset: offset + 64, as: SIMD8<Double>.self)
                    offset += 128
                }
                sink += a + b
            }
        }
        let column = (0..<max(records, cacheBytes / 2)).map { Double($0 & 1023) / 1024 }  // ≥ 4× the cache
        var scalar = 0.0
        let meanSeconds = best(5) { scalar += column.withUnsafeBufferPointer { Moments.mean($0) } }
        let countsSeconds = best(5) {
            scalar += Double(column.withUnsafeBufferPointer { ThresholdCounts.countBelow($0, thresholds: [0.5, 0.6, 0.7, 0.8, 0.9]) }[0])
        }
        if sink.sum() == -1 || scalar == -1 { print("") }  // keeps the loops alive
        let gb = { (bytes: Int, seconds: Double) in Double(bytes) / seconds / 1e9 }
        return (gb(big.count * 8, readSeconds), gb(column.count * 8, meanSeconds), gb(column.count * 8, countsSeconds),
                column.count, cacheBytes)
    }
}

/// One prediction to record in the ingest benchmark.
struct IngestEvent {
    var label: String
    var confidence: Double
    var processingTime: Double
    var text: String
}

/// The storage of one record in ``PredictionColumns``.
enum PredictionColumnsLayout {
    static let bytesPerRecord = MemoryLayout<Int64>.size + 2 * MemoryLayout<Double>.size
        + 2 * MemoryLayout<UInt32>.size + 2 * MemoryLayout<Int32>.size
}

/// Seeded synthetic predictions for the benchmarks: four labels, Beta-like
/// confidences, log-normal-like processing times, spread over five minutes.
struct SyntheticTraffic {
    var rng: SplitMix64
    static let labels = ["positive", "negative", "neutral", "mixed"]

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func next(index: Int, of count: Int, endingAt now: LocalTimestamp)
        -> (LocalTimestamp, String, Double, Double) {
        let span = 5 * LocalTimestamp.microsecondsPerMinute - 1
        let t = now.adding(microseconds: -span + Int64(index) * span / Int64(max(1, count)))
        let label = Self.labels[Int(rng.next() % 4)]
        let confidence = 1 - pow(rng.nextUnitDouble(), 3) * 0.9
        let time = exp(-1 + 0.8 * (rng.nextUnitDouble() + rng.nextUnitDouble() - 1) * 2.45)
        return (t, label, (confidence * 1e6).rounded() / 1e6, (time * 1e6).rounded() / 1e6)
    }

    func state(records: Int, endingAt now: LocalTimestamp) -> MonitorState {
        var generator = self
        var state = MonitorState(capacity: records)
        for i in 0..<records {
            let (t, label, confidence, time) = generator.next(index: i, of: records, endingAt: now)
            state.append(timestamp: t, prediction: label, confidence: confidence, processingTime: time,
                         modelVersion: "v1", textLength: 42, wordCount: 7)
        }
        return state
    }

    func writeLog(records: Int, endingAt now: LocalTimestamp) throws -> MonitorDirectory {
        var generator = self
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("driftlab-bench-\(UUID().uuidString)")
        let directory = MonitorDirectory(monitorURL: base.appendingPathComponent("monitor"))
        try FileManager.default.createDirectory(at: directory.monitorURL, withIntermediateDirectories: true)
        var text = ""
        text.reserveCapacity(records * 260)
        for i in 0..<records {
            let (t, label, confidence, time) = generator.next(index: i, of: records, endingAt: now)
            let record = PredictionRecord(timestamp: t, textHash: String(generator.rng.next(), radix: 16),
                                          prediction: label, confidence: confidence, processingTime: time,
                                          modelVersion: "v1", textLength: 42, wordCount: 7)
            JSONWriter.write(record.jsonValue, into: &text)
            text += "\n"
        }
        try Data(text.utf8).write(to: directory.predictionsURL)
        return directory
    }
}

/// Figures of `bench --format table`.
enum BenchTable {
    /// A duration in seconds as a person reads it: 3 significant digits in µs, ms or s (0.423963468 → "424 ms").
    static func duration(_ seconds: Double) -> String {
        switch abs(seconds) {
        case ..<1e-3: return Figure.rounded(seconds * 1e6) + " µs"
        case ..<1: return Figure.rounded(seconds * 1e3) + " ms"
        default: return Figure.rounded(seconds) + " s"
        }
    }
}
