import Benchmark
import MonitorNumerics
import MonitorNumerics

/// Each kernel alone, in its numpy-exact form, its BLAS form and a plain loop,
/// over a 1,000,000-element column.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(2), maxIterations: 200,
                                           thresholds: noisyMachineTolerances)
    let count = 1_000_000
    var rng = SplitMix64(seed: 1)
    let column = (0..<count).map { _ in rng.nextUnitDouble() }
    let codes = (0..<count).map { _ in UInt32(rng.next() % 7) }
    var scratch = [Double](repeating: 0, count: count)

    Benchmark("sum/pairwise (numpy order)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(column.withUnsafeBufferPointer { PairwiseSummation.sum($0) }) }
    }
    Benchmark("sum/BLAS ddot") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(column.withUnsafeBufferPointer { BLASKernels.sum($0) }) }
    }
    Benchmark("sum/plain loop") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(column.reduce(0, +)) }
    }
    Benchmark("std/two-pass pairwise (numpy-exact)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(column.withUnsafeBufferPointer { Moments.populationStandardDeviation($0) })
        }
    }
    Benchmark("std/BLAS dcopy+daxpy+ddot") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(column.withUnsafeBufferPointer { x in
                scratch.withUnsafeMutableBufferPointer { BLASKernels.populationVariance(x, scratch: $0) }
            })
        }
    }
    Benchmark("percentiles/multi-select p50,p90,p95,p99") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(column.withUnsafeBufferPointer { Quantiles.linear($0, percentiles: [50, 90, 95, 99]) })
        }
    }
    Benchmark("percentiles/full sort") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(column.sorted()[count / 2]) }
    }
    Benchmark("buckets/branch-free counts") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(column.withUnsafeBufferPointer { ConfidenceBuckets(counting: $0) }) }
    }
    Benchmark("labels/histogram") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(codes.withUnsafeBufferPointer { LabelHistogram(counting: $0, codeCount: 7) })
        }
    }
    Benchmark("block sums/BLAS dgemv (1,000 blocks)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(column.withUnsafeBufferPointer { BLASKernels.blockSums($0, blockLength: 1_000) })
        }
    }
    Benchmark("block sums/plain loop (1,000 blocks)") { benchmark in
        for _ in benchmark.scaledIterations {
            var sums = [Double](repeating: 0, count: 1_000)
            for (i, x) in column.enumerated() { sums[i / 1_000] += x }
            blackHole(sums)
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
