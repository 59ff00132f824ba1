import MonitorNumerics
import Testing
@testable import MonitorNumerics

/// numpy's linear percentile by a full sort, written out plainly.
func sortedPercentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    let n = sorted.count
    let virtualIndex = Double(n - 1) * (p / 100)
    if virtualIndex >= Double(n - 1) {
        let gamma = virtualIndex + 1
        let diff = sorted[n - 1] - sorted[n - 1]
        return gamma >= 0.5 ? sorted[n - 1] - diff * (1 - gamma) : sorted[n - 1] + diff * gamma
    }
    let lower = Int(virtualIndex.rounded(.down))
    let gamma = virtualIndex - virtualIndex.rounded(.down)
    let (a, b) = (sorted[lower], sorted[lower + 1])
    return gamma >= 0.5 ? b - (b - a) * (1 - gamma) : a + (b - a) * gamma
}

@Suite("Quantiles")
struct QuantilesTests {
    static let percentiles: [Double] = [0, 1, 25, 50, 90, 95, 99, 99.9, 100]

    @Test("multi-selection equals the sort-based definition", arguments: [1, 2, 3, 10, 25, 26, 100, 1_000, 10_007])
    func matchesSort(count: Int) {
        let values = randomColumn(count, seed: UInt64(count) &+ 99, scale: 10)
        let result = values.withUnsafeBufferPointer { Quantiles.linear($0, percentiles: Self.percentiles) }
        #expect(result == Self.percentiles.map { sortedPercentile(values, $0) })
    }

    @Test("heavy duplicates and sorted input stay exact")
    func duplicatesAndSortedInput() {
        var rng = SplitMix64(seed: 4)
        let few = (0..<20_000).map { _ in Double(rng.next() % 5) }
        let ascending = (0..<5_000).map(Double.init)
        for values in [few, ascending, ascending.reversed()] {
            let result = values.withUnsafeBufferPointer { Quantiles.linear($0, percentiles: Self.percentiles) }
            #expect(result == Self.percentiles.map { sortedPercentile(values, $0) })
        }
    }

    @Test("large columns: sample brackets give the same order statistics as a sort", arguments: [
        "uniform", "few values", "ascending", "periodic", "heavy tail",
    ])
    func bracketedSelection(kind: String) {
        let n = 400_000
        var rng = SplitMix64(seed: 77)
        let values: [Double] = (0..<n).map { i in
            switch kind {
            case "uniform": return rng.nextUnitDouble()
            case "few values": return Double(rng.next() % 3)
            case "ascending": return Double(i)
            case "periodic": return Double(i % 40)  // periodic with the sampling stride
            default: return 1 / (rng.nextUnitDouble() + 1e-9)
            }
        }
        let result = values.withUnsafeBufferPointer { Quantiles.linear($0, percentiles: Self.percentiles, path: .bracketed) }
        #expect(result == Self.percentiles.map { sortedPercentile(values, $0) }, "\(kind)")
    }

    @Test("the percentile of a constant column is the constant")
    func constantColumn() {
        let values = [Double](repeating: 3.25, count: 777)
        let result = values.withUnsafeBufferPointer { Quantiles.linear($0, percentiles: Self.percentiles) }
        #expect(result.allSatisfy { $0 == 3.25 })
    }

    @Test("known values: numpy.percentile([1, 2, 3, 4], [50, 90, 95, 99])")
    func knownValues() {
        // np.percentile([1,2,3,4], [50,90,95,99]) == [2.5, 3.7, 3.85, 3.97]
        let result = [4.0, 1, 3, 2].withUnsafeBufferPointer { Quantiles.linear($0, percentiles: [50, 90, 95, 99]) }
        #expect(result == [2.5, 3.7, 3.8499999999999996, 3.9699999999999998])
    }

    @Test("property: every path equals a full sort over random sizes, percentiles and data", arguments: [1, 2, 3])
    func randomSizesAndRanks(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for round in 0..<300 {
            let n = round % 10 == 0 ? 1 + Int(rng.next() % 60_000) : 1 + Int(rng.next() % 2_000)
            let kind = rng.next() % 4
            let values: [Double] = (0..<n).map { i in
                switch kind {
                case 0: return rng.nextUnitDouble()
                case 1: return Double(rng.next() % 7)  // heavy duplicates
                case 2: return Double(i) * (rng.next() % 2 == 0 ? 1 : -1)  // sawtooth
                default: return 1 / (rng.nextUnitDouble() + 1e-9)  // heavy tail
                }
            }
            var percentiles = (0..<Int(1 + rng.next() % 9)).map { _ in Double(rng.next() % 10_001) / 100 }
            if rng.next() % 3 == 0 { percentiles += [0, 100] }
            let expected = percentiles.map { sortedPercentile(values, $0) }
            values.withUnsafeBufferPointer { buffer in
                for path in [Quantiles.Path.automatic, .copy, .bracketed, .buckets] {
                    let result = Quantiles.linear(buffer, percentiles: percentiles, path: path)
                    #expect(result == expected, "n \(n), kind \(kind), \(path), \(percentiles)")
                }
            }
        }
    }

    @Test("nan anywhere makes every percentile nan")
    func nanPropagates() {
        let result = [1.0, .nan, 3].withUnsafeBufferPointer { Quantiles.linear($0, percentiles: [50, 99]) }
        #expect(result.allSatisfy { $0.isNaN })
    }

    static let allPaths: [Quantiles.Path] = [.automatic, .copy, .bracketed, .buckets]

    @Test("every path: nan at any position, in the vector body and the tail, sign or payload", arguments: [1, 3, 4, 7, 9, 600, 10_003])
    func nanAtEveryPosition(count: Int) {
        var rng = SplitMix64(seed: UInt64(count))
        let base = (0..<count).map { _ in rng.nextUnitDouble() * 4 - 1 }
        let positions = Set([0, count / 2, count - 1, max(0, count - 2), Int(rng.next() % UInt64(count))])
        for position in positions {
            for nan in [Double.nan, -Double.nan, Double(nan: 7, signaling: false)] {
                var values = base
                values[position] = nan
                for path in Self.allPaths {
                    let result = values.withUnsafeBufferPointer { Quantiles.linear($0, percentiles: [0, 50, 99, 100], path: path) }
                    let allNaN = result.allSatisfy { $0.isNaN }
                    #expect(allNaN, "n \(count), nan at \(position), \(path)")
                }
            }
        }
    }

    @Test("every path equals a full sort on edge columns: ties, signed zeros, infinities, outliers, subnormals, tiny and huge")
    func edgeColumns() {
        var rng = SplitMix64(seed: 2026)
        let tiny = Double.leastNonzeroMagnitude
        var columns: [(String, [Double])] = []
        for n in [1, 2, 3, 5, 8, 17, 511, 512, 513, 10_000] {
            columns.append(("signed zeros \(n)", (0..<n).map { _ in rng.next() % 2 == 0 ? 0.0 : -0.0 }))
            columns.append(("zeros and ±1 \(n)", (0..<n).map { _ in [-0.0, 0.0, 1, -1][Int(rng.next() % 4)] }))
            columns.append(("ties \(n)", (0..<n).map { _ in Double(rng.next() % 3) * 0.1 }))
            columns.append(("constant \(n)", [Double](repeating: -2.5, count: n)))
            columns.append(("infinities \(n)", (0..<n).map { _ in
                [Double.infinity, -.infinity, rng.nextUnitDouble(), -rng.nextUnitDouble()][Int(rng.next() % 4)] }))
            columns.append(("all +inf \(n)", [Double](repeating: .infinity, count: n)))
            columns.append(("all -inf \(n)", [Double](repeating: -.infinity, count: n)))
            columns.append(("subnormals \(n)", (0..<n).map { _ in tiny * Double(rng.next() % 50) * (rng.next() % 2 == 0 ? 1 : -1) }))
            columns.append(("negative \(n)", (0..<n).map { _ in -1 / (rng.nextUnitDouble() + 1e-9) }))
            columns.append(("mixed magnitudes \(n)", (0..<n).map { _ in
                (rng.nextUnitDouble() - 0.5) * Double(sign: .plus, exponent: Int(rng.next() % 2000) - 1000, significand: 1) }))
            // Outliers outside any strided sample's range: a few huge values
            // and a few tiny ones at positions the stride skips.
            columns.append(("outliers \(n)", (0..<n).map { i in
                i % 97 == 13 ? 1e300 : i % 89 == 11 ? -1e300 : 1 + rng.nextUnitDouble() }))
            columns.append(("greatest finite \(n)", (0..<n).map { _ in
                [Double.greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0][Int(rng.next() % 3)] }))
        }
        let percentiles: [Double] = [0, 0.1, 1, 25, 50, 90, 95, 99, 99.9, 100]
        for (name, values) in columns {
            let expected = percentiles.map { sortedPercentile(values, $0) }
            for path in Self.allPaths {
                let result = values.withUnsafeBufferPointer { Quantiles.linear($0, percentiles: percentiles, path: path) }
                // `==` takes -0 and +0 as equal (either is an order statistic
                // of equal values); NaN results (inf − inf) must match as NaN.
                let same = zip(result, expected).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
                #expect(same, "\(name), \(path): \(result) against \(expected)")
            }
        }
    }

    @Test("the bucket path on large columns equals a full sort", arguments: ["uniform", "few values", "heavy tail", "skewed", "negative and positive"])
    func bucketsLarge(kind: String) {
        let n = 400_003
        var rng = SplitMix64(seed: 99)
        let values: [Double] = (0..<n).map { i in
            switch kind {
            case "uniform": return rng.nextUnitDouble()
            case "few values": return Double(rng.next() % 3)
            case "heavy tail": return 1 / (rng.nextUnitDouble() + 1e-12)
            case "skewed": let u = rng.nextUnitDouble(); return u * u * u * u * 10 + 1e-3
            default: return (rng.nextUnitDouble() - 0.5) * Double(i % 1000)
            }
        }
        let result = values.withUnsafeBufferPointer { Quantiles.linear($0, percentiles: Self.percentiles, path: .buckets) }
        #expect(result == Self.percentiles.map { sortedPercentile(values, $0) }, "\(kind)")
    }
}

@Suite("Buckets, thresholds, labels and the anomaly score")
struct CountingKernelTests {
    @Test("bucket edges are strict '<' as the reference")
    func bucketEdges() {
        let edges = [0.0, 0.5, 0.7, 0.8, 0.9, 1.0, 0.49999999999999994, .nan]
        let buckets = edges.withUnsafeBufferPointer { ConfidenceBuckets(counting: $0) }
        #expect(buckets == ConfidenceBuckets(veryLow: 2, low: 1, medium: 1, high: 1, veryHigh: 3))
    }

    @Test("buckets of two halves merge to the buckets of the whole")
    func mergeEqualsWhole() {
        let values = randomColumn(3_333, seed: 31)
        values.withUnsafeBufferPointer { all in
            let left = UnsafeBufferPointer(rebasing: all[..<1_000])
            let right = UnsafeBufferPointer(rebasing: all[1_000...])
            #expect(ConfidenceBuckets(counting: left) + ConfidenceBuckets(counting: right) == ConfidenceBuckets(counting: all))
            #expect(ThresholdCounts.countBelow(left, 0.6) + ThresholdCounts.countBelow(right, 0.6) == ThresholdCounts.countBelow(all, 0.6))
        }
    }

    @Test("thresholds are strict")
    func strictThresholds() {
        [0.6, 0.59, 5.0, 5.01].withUnsafeBufferPointer { x in
            #expect(ThresholdCounts.countBelow(x, 0.6) == 1)
            #expect(ThresholdCounts.countAbove(x, 5.0) == 1)
        }
    }

    @Test("label histogram keeps first-appearance order and breaks ties by it")
    func labelOrder() {
        let histogram = [UInt32]([2, 0, 0, 2, 1]).withUnsafeBufferPointer { LabelHistogram(counting: $0, codeCount: 3) }
        #expect(histogram.entries.map(\.code) == [2, 0, 1])
        #expect(histogram.entries.map(\.count) == [2, 2, 1])
        #expect(histogram.dominant?.code == 2)
        #expect(histogram.total == 5)
    }

    @Test("property: label counts in lanes and in tables equal a plain count, first appearance kept", arguments: [1, 3, 4, 5, 8, 9, 40])
    func labelHistogramProperty(codeCount: Int) {
        var rng = SplitMix64(seed: UInt64(codeCount))
        for n in [1, 2, 3, 4, 5, 7, 8, 9, 31, 1_000, 10_007] {
            // Skewed so that some codes are rare and appear late, some never.
            let codes = (0..<n).map { _ in UInt32(min(codeCount - 1, Int(rng.next() % UInt64(codeCount)) * Int(rng.next() % 2))) }
            var counts = [Int](repeating: 0, count: codeCount)
            var order: [UInt32] = []
            for code in codes {
                if counts[Int(code)] == 0 { order.append(code) }
                counts[Int(code)] += 1
            }
            let histogram = codes.withUnsafeBufferPointer { LabelHistogram(counting: $0, codeCount: codeCount) }
            #expect(histogram.entries.map(\.code) == order, "n \(n), \(codeCount) codes")
            #expect(histogram.entries.map(\.count) == order.map { counts[Int($0)] }, "n \(n), \(codeCount) codes")
        }
    }

    @Test("property: the mean's pass with counters riding on it equals the separate kernels", arguments: [1, 7, 8, 127, 128, 129, 1_000, 10_003])
    func fusedPasses(count: Int) {
        var rng = SplitMix64(seed: UInt64(count) &+ 5)
        let values = (0..<count).map { i in i % 50 == 3 ? Double.nan : rng.nextUnitDouble() * 7 - 1 }
        let thresholds: [[Double]] = [[0.5], [0.5, 0.7, 0.8, 0.9], [0.5, 0.7, 0.8, 0.9, 0.6], [-1, 0, 1, 2, 3, 4, 5, 6]]
        values.withUnsafeBufferPointer { column in
            let plainSum = PairwiseSummation.sum(column)
            for set in thresholds {
                var below = ThresholdCounts.BelowCounter(thresholds: set)
                let sum = PairwiseSummation.sum(column, visitingBlocks: &below)
                #expect(sum.bitPattern == plainSum.bitPattern)
                #expect(below.counts == set.map { t in values.filter { $0 < t }.count }, "\(set)")
                #expect(ThresholdCounts.countBelow(column, thresholds: set) == below.counts)
            }
            var above = ThresholdCounts.AboveCounter(threshold: 5.0)
            let mean = Moments.mean(column, visitingBlocks: &above)
            #expect(mean.bitPattern == Moments.mean(column).bitPattern)
            #expect(above.count == values.filter { $0 > 5.0 }.count)
            #expect(ThresholdCounts.countAbove(column, 5.0) == above.count)
        }
    }

    @Test("the anomaly score is the mean of the three components")
    func anomalyScore() {
        #expect(AnomalyCounts(total: 0, lowConfidence: 0, slowResponses: 0, dominantLabelCount: 0).score == 0)
        let allOneLabel = AnomalyCounts(total: 10, lowConfidence: 0, slowResponses: 0, dominantLabelCount: 10)
        #expect(allOneLabel.score == 0.5 / 3)
        #expect(allOneLabel.hasExtremeSkew)
        // 9 of 10: not above 90%, by either of the reference's two comparisons.
        let nine = AnomalyCounts(total: 10, lowConfidence: 3, slowResponses: 1, dominantLabelCount: 9)
        #expect(!nine.hasExtremeSkew && !nine.hasManyLowConfidence && !nine.hasManySlowResponses)
        #expect(nine.score == ((0.0 + 0.3) + 0.1) / 3)
    }

    @Test("hour-of-day counts keep first-appearance order, before 1970 too")
    func hourCounts() {
        let hour: Int64 = 3_600_000_000
        let stamps: [Int64] = [5 * hour + 1, 23 * hour, 5 * hour + 7, -hour, 48 * hour + 2 * hour]
        let counts = stamps.withUnsafeBufferPointer { WindowedCounts.hourOfDayCounts($0) }
        #expect(counts.map(\.hour) == [5, 23, 2])
        #expect(counts.map(\.count) == [2, 2, 1])
    }
}

@Suite("Prediction columns")
struct PredictionColumnsTests {
    func record(_ t: Int64, _ c: Double = 0.5) -> EncodedPrediction {
        EncodedPrediction(timestamp: t, confidence: c, processingTime: 1, label: 0)
    }

    @Test("a full ring evicts the oldest and reads back in order")
    func ringOrder() {
        var columns = PredictionColumns(capacity: 4)
        for t in 1...10 { columns.append(record(Int64(t))) }
        #expect(columns.count == 4)
        #expect((0..<4).map { columns[$0].timestamp } == [7, 8, 9, 10])
        let seen = columns.withAllRecords { Array($0.timestamps) }
        #expect(seen == [7, 8, 9, 10])
    }

    @Test("windows by binary search and by filtering agree")
    func orderedAndUnordered() {
        var ordered = PredictionColumns(capacity: 100)
        var unordered = PredictionColumns(capacity: 100)
        var rng = SplitMix64(seed: 1)
        let stamps = (0..<80).map { _ in Int64(rng.next() % 1000) }
        for t in stamps.sorted() { ordered.append(record(t, Double(t))) }
        for t in stamps { unordered.append(record(t, Double(t))) }
        #expect(ordered.isTimeOrdered && !unordered.isTimeOrdered)
        for cutoff: Int64 in [-1, 0, 250, 500, 999, 1000] {
            let a = ordered.withRecords(after: cutoff) { $0.timestamps.sorted() }
            let b = unordered.withRecords(after: cutoff) { $0.timestamps.sorted() }
            #expect(a == b)
            #expect(a == stamps.filter { $0 > cutoff }.sorted())
        }
    }

    @Test("a bulk append equals appending one by one", arguments: [1, 7, 50, 64, 65, 200])
    func bulkAppend(capacity: Int) {
        var rng = SplitMix64(seed: UInt64(capacity))
        var one = PredictionColumns(capacity: capacity), bulk = PredictionColumns(capacity: capacity)
        var t: Int64 = 0
        for round in 0..<12 {
            let records = (0..<Int(rng.next() % 40)).map { i -> EncodedPrediction in
                t += round == 7 && i == 3 ? -5 : Int64(rng.next() % 3)  // one step back in time
                return EncodedPrediction(timestamp: t, confidence: rng.nextUnitDouble(), processingTime: rng.nextUnitDouble(),
                                         label: UInt32(rng.next() % 5), modelVersion: UInt32(rng.next() % 3),
                                         textLength: Int32(rng.next() % 100), wordCount: Int32(rng.next() % 20))
            }
            for record in records { one.append(record) }
            records.withUnsafeBufferPointer { bulk.append(contentsOf: $0) }
            #expect(one.count == bulk.count && one.isTimeOrdered == bulk.isTimeOrdered)
            #expect((0..<one.count).allSatisfy { one[$0] == bulk[$0] })
        }
    }
}
