import Benchmark
import MonitorNumerics
import Foundation
import Monitoring

/// Recording through `PredictionMonitor` (in memory, and with the durable
/// log), and loading a JSON-lines log.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .peakMemoryResident],
                                           maxDuration: .seconds(3), maxIterations: 100,
                                           thresholds: noisyMachineTolerances)
    let records = 100_000
    let texts = (0..<64).map { "request text number \($0) with a few more words in it" }
    let temporary = FileManager.default.temporaryDirectory

    func record(into monitor: PredictionMonitor) throws {
        var rng = SplitMix64(seed: 3)
        for i in 0..<records {
            try monitor.recordPrediction(prediction: i % 3 == 0 ? "positive" : "negative", confidence: rng.nextUnitDouble(),
                                         processingTime: rng.nextUnitDouble(), text: texts[i & 63])
        }
    }

    // One iteration handles 100,000 records: records per second = throughput × 100,000.
    Benchmark("record/in memory (100k)") { benchmark in
        for _ in benchmark.scaledIterations {
            var configuration = MonitorConfiguration()
            configuration.capacity = records
            try record(into: PredictionMonitor(inMemoryWith: configuration))
        }
    }

    Benchmark("record/durable log (100k)") { benchmark in
        for _ in benchmark.scaledIterations {
            let base = temporary.appendingPathComponent("driftlab-bench-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: base) }
            var configuration = MonitorConfiguration()
            configuration.capacity = records
            let monitor = try PredictionMonitor(baseDirectory: base, configuration: configuration)
            try record(into: monitor)
            try monitor.flush()
        }
    }

    Benchmark("load/predictions.json (100k lines)") { benchmark, directory in
        for _ in benchmark.scaledIterations {
            blackHole(try MonitorLoader(capacity: records).load(directory, now: LocalTimestamp.now()))
        }
    } setup: {
        let base = temporary.appendingPathComponent("driftlab-bench-load")
        try? FileManager.default.removeItem(at: base)
        var configuration = MonitorConfiguration()
        configuration.capacity = records
        let monitor = try PredictionMonitor(baseDirectory: base, configuration: configuration)
        try record(into: monitor)
        try monitor.flush()
        return monitor.directory
    }
}

/// The machine is shared and noisy: a regression is a median at least 35% worse
/// (memory 20%) than the stored threshold.
var noisyMachineTolerances: [BenchmarkMetric: BenchmarkThresholds] {
    [
        .wallClock: .init(relative: [.p50: 35.0]),
        .throughput: .init(relative: [.p50: 35.0]),
        .peakMemoryResident: .init(relative: [.p50: 20.0]),
    ]
}
