import Benchmark
import MonitorNumerics
import Monitoring
import MonitorNumerics

/// The aggregation hot path: `currentMetrics` (mean, percentiles, buckets,
/// label histogram, anomaly score) over windows of 10,000 to 10,000,000 records.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .peakMemoryResident],
                                           maxDuration: .seconds(3), maxIterations: 1_000,
                                           thresholds: noisyMachineTolerances)
    let now = LocalTimestamp(isoformat: "2026-11-29T12:00:00")!

    func window(_ count: Int) -> MonitorState {
        var rng = SplitMix64(seed: 42)
        var state = MonitorState(capacity: count)
        let labels = ["positive", "negative", "neutral", "mixed"]
        let span = 5 * LocalTimestamp.microsecondsPerMinute - 1
        for i in 0..<count {
            state.append(timestamp: now.adding(microseconds: -span + Int64(i) * span / Int64(count)),
                         prediction: labels[Int(rng.next() % 4)], confidence: rng.nextUnitDouble(),
                         processingTime: rng.nextUnitDouble() * 2, modelVersion: "v1", textLength: 40, wordCount: 7)
        }
        return state
    }

    for count in [10_000, 1_000_000, 10_000_000] {
        Benchmark("currentMetrics/\(count)",
                  configuration: .init(scalingFactor: .one, maxIterations: count >= 10_000_000 ? 20 : 1_000)) { benchmark, state in
            var state = state
            for _ in benchmark.scaledIterations { blackHole(state.currentMetrics(at: now)) }
        } setup: {
            window(count)
        }
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
