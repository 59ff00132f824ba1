import Testing
@testable import MonitorNumerics

/// Columns that reach every branch of a pass: NaN of both signs and with a
/// payload, signed zeros, infinities, subnormals, negative values, and
/// lengths around the vector width (4), the group of eight and the leaf
/// block (128).
func passColumns() -> [(String, [Double])] {
    var rng = SplitMix64(seed: 314)
    var columns: [(String, [Double])] = []
    for n in [0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 63, 64, 127, 128, 129, 255, 256, 1_000, 10_003, 100_001] {
        columns.append(("uniform \(n)", (0..<n).map { _ in rng.nextUnitDouble() }))
        columns.append(("confidence-like \(n)", (0..<n).map { _ in (rng.nextUnitDouble() * 1e6).rounded() / 1e6 }))
        columns.append(("on the thresholds \(n)", (0..<n).map { _ in [0.5, 0.6, 0.7, 0.8, 0.9, 5.0, 0.7.nextUp, 0.7.nextDown][Int(rng.next() % 8)] }))
        columns.append(("signed \(n)", (0..<n).map { _ in (rng.nextUnitDouble() - 0.5) * 20 }))
        columns.append(("specials \(n)", (0..<n).map { _ in
            [0.0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
             .greatestFiniteMagnitude, rng.nextUnitDouble() * 10][Int(rng.next() % 8)] }))
        if n > 0 {
            for nan in [Double.nan, -Double.nan, Double(nan: 7, signaling: false)] {
                var values = (0..<n).map { _ in rng.nextUnitDouble() * 10 }
                values[Int(rng.next() % UInt64(n))] = nan
                columns.append(("nan \(nan.sign) \(n)", values))
            }
        }
    }
    return columns
}

@Suite("ColumnPass")
struct ColumnPassTests {
    static let passes: [ColumnPass] = [
        ColumnPass(),
        ColumnPass(thresholds: [0.5]),
        ColumnPass(thresholds: [0.5, 0.7, 0.8, 0.9, 0.6]),
        ColumnPass(thresholds: [0.5, 0.7, 0.8, 0.9]),
        ColumnPass(thresholds: [-1, 0, 0.25, 1, 2, 5, .infinity, -.infinity]),
        ColumnPass(above: 5.0),
        ColumnPass(above: 5.0, findsRange: true),
        ColumnPass(findsRange: true),
        ColumnPass(thresholds: [0.5, 0.7, 0.8], above: 0.9, findsRange: true),
        ColumnPass(thresholds: [.nan, 0.5], above: .nan),
    ]

    @Test("the portable pass: numpy's sum to the bit, exact counts, the exact range of a column without NaN")
    func portableMatchesDefinitions() {
        for (name, values) in passColumns() {
            values.withUnsafeBufferPointer { column in
                for pass in Self.passes {
                    let result = pass.runPortable(column)
                    #expect(result.sum.bitPattern == PairwiseSummation.sum(column).bitPattern, "\(name)")
                    #expect(result.below == pass.thresholds.map { t in values.filter { $0 < t }.count }, "\(name) \(pass.thresholds)")
                    #expect(result.above == (pass.aboveThreshold.map { t in values.filter { $0 > t }.count } ?? 0), "\(name)")
                    if pass.findsRange, !values.isEmpty, !result.sum.isNaN {
                        #expect(result.range == values.min()!...values.max()!, "\(name)")
                    } else {
                        #expect(result.range == nil, "\(name)")
                    }
                }
            }
        }
    }

    @Test("the AVX2 kernel gives the portable pass's bits on every column", .enabled(if: ColumnPass.usesAVX2, "needs a CPU with AVX2"))
    func avx2MatchesPortable() {
        for (name, values) in passColumns() {
            values.withUnsafeBufferPointer { column in
                for pass in Self.passes {
                    let portable = pass.runPortable(column), avx2 = pass.runAVX2(column)
                    #expect(avx2.sum.bitPattern == portable.sum.bitPattern, "\(name): \(avx2.sum) against \(portable.sum)")
                    #expect(avx2.below == portable.below, "\(name) \(pass.thresholds)")
                    #expect(avx2.above == portable.above, "\(name)")
                    // -0 and +0 are both the minimum of a column holding both.
                    #expect(avx2.range == portable.range, "\(name)")
                }
            }
        }
    }

    @Test("the range from the mean's pass lets the bucket path skip clamping, with the same percentiles")
    func exactRangePercentiles() {
        let percentiles: [Double] = [0, 0.1, 1, 25, 50, 90, 95, 99, 99.9, 100]
        var checked = 0
        for (name, values) in passColumns() + [("outliers", (0..<5_000).map { i in i % 97 == 13 ? 1e300 : 1 + Double(i % 13) })] {
            let range = values.withUnsafeBufferPointer { ColumnPass(findsRange: true).run($0).range }
            guard let range else { continue }
            let expected = percentiles.map { sortedPercentile(values, $0) }
            let result = values.withUnsafeBufferPointer { Quantiles.linear($0, percentiles: percentiles, range: range) }
            let same = zip(result, expected).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
            #expect(same, "\(name): \(result) against \(expected)")
            checked += 1
        }
        #expect(checked > 60)
    }

    @Test("label codes: the AVX2 kernel counts as the portable lanes do", .enabled(if: ColumnPass.usesAVX2, "needs a CPU with AVX2"))
    func labelKernelMatches() {
        var rng = SplitMix64(seed: 8)
        for codeCount in 1...8 {
            for n in [0, 1, 7, 8, 9, 31, 1_000, 10_003] {
                let codes = (0..<n).map { _ in UInt32(rng.next() % UInt64(codeCount)) }
                var portable = [Int](repeating: 0, count: codeCount), avx2 = portable
                codes.withUnsafeBufferPointer { column in
                    guard let base = column.baseAddress else { return }
                    portable.withUnsafeMutableBufferPointer { LabelHistogram.countFew(base, n, into: $0) }
                    avx2.withUnsafeMutableBufferPointer { LabelHistogram.countFewAVX2(base, n, into: $0) }
                }
                #expect(avx2 == portable, "\(codeCount) codes, n \(n)")
                #expect(portable == (0..<codeCount).map { c in codes.filter { $0 == c }.count })
            }
        }
    }
}

/// Second-reading tests: every length up to past two leaf blocks, columns
/// whose sums depend on the order of the additions, and the exact-range
/// percentiles on the edge columns the general paths are tested with.
@Suite("ColumnPass, adversarial columns")
struct ColumnPassAdversarialTests {
    /// Columns of every length 0...300 (every leaf size and tail, and the
    /// first splits at 129...300) whose sums change with the order of the
    /// additions: 1e16 with values below its ulp, cancelling huge values,
    /// and special values.
    static func orderSensitiveColumns() -> [(String, [Double])] {
        var rng = SplitMix64(seed: 1_414)
        var columns: [(String, [Double])] = []
        for n in 0...300 {
            columns.append(("1e16 and small \(n)", (0..<n).map { _ in
                rng.next() % 9 == 0 ? (rng.next() % 2 == 0 ? 1e16 : -1e16) : 1 + rng.nextUnitDouble() }))
            columns.append(("cancelling \(n)", (0..<n).map { _ in
                [1e308, -1e308, 1e292, 3.0, -0.0, .leastNonzeroMagnitude, 2.2250738585072014e-308][Int(rng.next() % 7)] }))
            columns.append(("specials \(n)", (0..<n).map { _ in
                [0.0, -0.0, .infinity, -.infinity, .nan, -.nan, Double(nan: 0x1234, signaling: false),
                 .greatestFiniteMagnitude, 0.5, 0.6, 5.0][Int(rng.next() % 64 % 11)] }))
        }
        return columns
    }

    static let passes: [ColumnPass] = [
        ColumnPass(),
        ColumnPass(thresholds: [0.5, 0.7, 0.8, 0.9, 0.6], above: 5.0, findsRange: true),
        ColumnPass(thresholds: [-0.0, 0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, 1e16, -1e16], above: -.infinity),
        ColumnPass(thresholds: [1], above: .infinity, findsRange: true),
        ColumnPass(above: -0.0, findsRange: true),
    ]

    @Test("every length 0...300: the portable pass equals the definitions, sum to the bit")
    func portableEveryLength() {
        for (name, values) in Self.orderSensitiveColumns() {
            values.withUnsafeBufferPointer { column in
                let sum = PairwiseSummation.sum(column)
                for pass in Self.passes {
                    let result = pass.runPortable(column)
                    #expect(result.sum.bitPattern == sum.bitPattern, "\(name): \(result.sum) against \(sum)")
                    #expect(result.below == pass.thresholds.map { t in values.filter { $0 < t }.count }, "\(name)")
                    #expect(result.above == (pass.aboveThreshold.map { t in values.filter { $0 > t }.count } ?? 0), "\(name)")
                    if pass.findsRange, !values.isEmpty, !sum.isNaN {
                        #expect(result.range == values.min()!...values.max()!, "\(name)")
                    } else {
                        #expect(result.range == nil, "\(name)")
                    }
                }
            }
        }
    }

    @Test("every length 0...300: the AVX2 kernel gives the portable pass's bits (a NaN sum: some NaN)",
          .enabled(if: ColumnPass.usesAVX2, "needs a CPU with AVX2"))
    func avx2EveryLength() {
        for (name, values) in Self.orderSensitiveColumns() {
            values.withUnsafeBufferPointer { column in
                for pass in Self.passes {
                    let portable = pass.runPortable(column), avx2 = pass.runAVX2(column)
                    // A column with several NaNs (or a NaN and inf − inf) sums
                    // to one of them, which depends on the operands' order in
                    // each vector instruction: numpy's own NaN differs from
                    // both, so only NaN-ness is compared there.
                    #expect(avx2.sum.bitPattern == portable.sum.bitPattern || (avx2.sum.isNaN && portable.sum.isNaN),
                            "\(name): \(avx2.sum) against \(portable.sum)")
                    #expect(avx2.below == portable.below && avx2.above == portable.above, "\(name)")
                    #expect(avx2.range == portable.range, "\(name)")
                }
            }
        }
    }

    /// Columns past the counting threshold whose exact range is awkward for
    /// the bucket keys.
    static func rangeEdgeColumns() -> [(String, [Double])] {
        var rng = SplitMix64(seed: 77)
        let gfm = Double.greatestFiniteMagnitude, tiny = Double.leastNonzeroMagnitude
        var columns: [(String, [Double])] = []
        for n in [512, 515, 1_029] {
            columns.append(("signed zeros \(n)", (0..<n).map { _ in rng.next() % 2 == 0 ? 0.0 : -0.0 }))
            columns.append(("-0 and positives \(n)", (0..<n).map { i in i % 5 == 0 ? -0.0 : rng.nextUnitDouble() }))
            columns.append(("+0 and negatives \(n)", (0..<n).map { i in i % 5 == 0 ? 0.0 : -rng.nextUnitDouble() }))
            columns.append(("all negative \(n)", (0..<n).map { _ in -1 - rng.nextUnitDouble() * 1e6 }))
            columns.append(("mixed signs \(n)", (0..<n).map { _ in (rng.nextUnitDouble() - 0.5) * 1e3 }))
            columns.append(("±greatest finite \(n)", (0..<n).map { i in i == 3 ? gfm : i == 500 ? -gfm : rng.nextUnitDouble() }))
            columns.append(("constant \(n)", [Double](repeating: -7.25, count: n)))
            columns.append(("two values \(n)", (0..<n).map { _ in rng.next() % 2 == 0 ? 1.0 : 1.0.nextUp }))
            columns.append(("+inf \(n)", (0..<n).map { i in i % 11 == 2 ? .infinity : rng.nextUnitDouble() }))
            columns.append(("-inf \(n)", (0..<n).map { i in i % 11 == 2 ? -.infinity : -rng.nextUnitDouble() }))
            columns.append(("all +inf \(n)", [Double](repeating: .infinity, count: n)))
            columns.append(("subnormals \(n)", (0..<n).map { _ in tiny * Double(rng.next() % 40) * (rng.next() % 2 == 0 ? 1 : -1) }))
            columns.append(("sum overflows to +inf \(n)", (0..<n).map { i in i % 3 == 0 ? gfm / 2 : rng.nextUnitDouble() }))
            columns.append(("sum overflows to -inf \(n)", (0..<n).map { i in i % 3 == 0 ? -gfm / 2 : -rng.nextUnitDouble() }))
        }
        return columns
    }

    @Test("exact-range percentiles equal a full sort on edge columns, with the pass's range or any wider one")
    func exactRangeEdgeColumns() {
        let percentiles: [Double] = [0, 0.1, 1, 25, 50, 90, 95, 99, 99.9, 100]
        for (name, values) in Self.rangeEdgeColumns() {
            let expected = percentiles.map { sortedPercentile(values, $0) }
            let found = values.withUnsafeBufferPointer { ColumnPass(findsRange: true).run($0).range }
            #expect(found == values.min()!...values.max()!, "\(name)")
            // The pass's range, the other zero's, and wider ones (the
            // precondition is only that every value lies inside).
            var ranges = [values.min()!...values.max()!, -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude,
                          -Double.infinity...Double.infinity, (values.min()! - 1)...values.max()!]
            if values.min()! == 0 { ranges.append((-values.min()!)...values.max()!) }
            if values.max()! == 0 { ranges.append(values.min()!...(-values.max()!)) }
            for range in ranges where range.contains(values.min()!) && range.contains(values.max()!) {
                let result = values.withUnsafeBufferPointer { Quantiles.linear($0, percentiles: percentiles, range: range) }
                let same = zip(result, expected).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
                #expect(same, "\(name), range \(range): \(result) against \(expected)")
            }
        }
    }

    @Test("infinities of both signs: no range from the pass, but the exact path with -inf...inf still equals a sort")
    func bothInfinities() {
        var rng = SplitMix64(seed: 5)
        let values = (0..<2_000).map { i in i % 13 == 1 ? Double.infinity : i % 17 == 2 ? -.infinity : rng.nextUnitDouble() }
        let pass = values.withUnsafeBufferPointer { ColumnPass(findsRange: true).run($0) }
        #expect(pass.sum.isNaN && pass.range == nil)
        let percentiles: [Double] = [0, 5, 50, 90, 95, 99, 100]
        let result = values.withUnsafeBufferPointer { Quantiles.linear($0, percentiles: percentiles, range: -.infinity ... .infinity) }
        let expected = percentiles.map { sortedPercentile(values, $0) }
        #expect(zip(result, expected).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(result) against \(expected)")
    }
}

@Suite("Exact-range order statistics, broken precondition")
struct ExactRangePreconditionTests {
    /// A range narrower than the column breaks the exact path's
    /// precondition; its documentation promises wrong order statistics but
    /// no access outside the buffers. Here the range 1...2 spans 1,025
    /// buckets (shift 42); 3.0 lands in bucket 1,536, past them, and 1.375
    /// (bucket 384) fills the second count table's entry 384, whose low
    /// byte is the gathering's "wanted" flag of bucket 1,536 unless every
    /// bucket's flag is cleared. Every order statistic must still be a value
    /// of the column (gathered from it), and nothing written past the
    /// gathering buffer.
    @Test("a range narrower than the column gives values of the column, nothing written out of bounds")
    func narrowerRange() {
        let group: [Double] = [1.0, 1.375, 1.0, 1.375, 3.0, 1.375, 1.0, 1.375]
        var columns: [[Double]] = [Array([[Double]](repeating: group, count: 100).joined())]
        // Values below the range too (their keys wrap around), and signed ones.
        var rng = SplitMix64(seed: 3)
        columns.append((0..<4_003).map { i in [1.0, 1.375, 0.25, 1.375, 3.0, 1.375, -5.0, 1.375][i % 8] + (i % 16 == 0 ? rng.nextUnitDouble() : 0) })
        columns.append((0..<4_003).map { i in [-1.0, -1.375, 0.25, -1.375, -3.0, -1.375, 7.0, -1.375][i % 8] })
        for values in columns {
            for (range, ranks) in [(1.0...2.0, [80]), (1.0...2.0, [0, 10, 79, 80, 400, values.count - 1]), (-2.0 ... -1.0, [5, 600])] {
                let statistics = values.withUnsafeBufferPointer { BucketSelection.orderStatistics($0, ranks: ranks, range: range) }
                #expect(statistics.count == ranks.count)
                #expect(statistics.allSatisfy { values.contains($0) }, "\(range) \(ranks): \(statistics)")
            }
        }
    }
}
