import MonitorNumerics
import Testing
@testable import MonitorNumerics

func randomColumn(_ count: Int, seed: UInt64, scale: Double = 1, offset: Double = 0) -> [Double] {
    var rng = SplitMix64(seed: seed)
    return (0..<count).map { _ in offset + scale * rng.nextUnitDouble() }
}

func isClose(_ a: Double, _ b: Double, relative: Double = 1e-12) -> Bool {
    a == b || abs(a - b) <= relative * max(abs(a), abs(b))
}

@Suite("Moments")
struct MomentsTests {
    @Test("pairwise summation matches a straightforward transcription of numpy's algorithm",
          arguments: [0, 1, 7, 8, 9, 127, 128, 129, 1000, 8193, 100_003])
    func pairwiseOrder(count: Int) {
        func numpyPairwise(_ a: ArraySlice<Double>) -> Double {
            let n = a.count
            if n < 8 { return a.reduce(0.0, +) }
            if n <= 128 {
                var r = Array(a.prefix(8))
                var i = 8
                while i < n - n % 8 {
                    for j in 0..<8 { r[j] += a[a.startIndex + i + j] }
                    i += 8
                }
                var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
                while i < n { res += a[a.startIndex + i]; i += 1 }
                return res
            }
            var half = n / 2
            half -= half % 8
            return numpyPairwise(a.prefix(half)) + numpyPairwise(a.dropFirst(half))
        }
        let values = randomColumn(count, seed: UInt64(count), scale: 1e3, offset: 1e9)
        let sum = values.withUnsafeBufferPointer { PairwiseSummation.sum($0) }
        #expect(sum.bitPattern == (0.0 + numpyPairwise(values[...])).bitPattern)
    }

    @Test("one record: mean is the value, std is zero, extrema are the value")
    func oneRecord() {
        [0.73].withUnsafeBufferPointer { x in
            #expect(Moments.mean(x) == 0.73)
            #expect(Moments.populationStandardDeviation(x) == 0)
            #expect(Moments.extrema(x) == (0.73, 0.73))
        }
    }

    @Test("an empty column has a nan mean, as numpy")
    func emptyMean() {
        [Double]().withUnsafeBufferPointer { #expect(Moments.mean($0).isNaN) }
    }

    @Test("1e9 + noise keeps its standard deviation to 1e-9 relative")
    func hugeOffset() {
        let values = randomColumn(100_000, seed: 3, offset: 1e9)
        let deviations = values.map { $0 - 1e9 }  // exact: Sterbenz
        let std = values.withUnsafeBufferPointer { Moments.populationStandardDeviation($0) }
        let exact = deviations.withUnsafeBufferPointer { Moments.populationStandardDeviation($0) }
        #expect(isClose(std, exact, relative: 1e-9))
        var scratch = [Double](repeating: 0, count: values.count)
        let blasVariance = values.withUnsafeBufferPointer { x in
            scratch.withUnsafeMutableBufferPointer { BLASKernels.populationVariance(x, scratch: $0) }
        }
        #expect(isClose(blasVariance.squareRoot(), exact, relative: 1e-9))
    }

    @Test("statistics do not depend on record order")
    func permutationInvariance() {
        var rng = SplitMix64(seed: 11)
        for trial in 0..<20 {
            let values = randomColumn(1 + trial * 97, seed: UInt64(trial))
            let shuffled = values.shuffled(using: &rng)
            values.withUnsafeBufferPointer { a in
                shuffled.withUnsafeBufferPointer { b in
                    #expect(isClose(Moments.mean(a), Moments.mean(b)))
                    #expect(isClose(Moments.populationStandardDeviation(a), Moments.populationStandardDeviation(b), relative: 1e-10))
                    #expect(Moments.extrema(a) == Moments.extrema(b))
                    #expect(ConfidenceBuckets(counting: a) == ConfidenceBuckets(counting: b))
                    #expect(Quantiles.linear(a, percentiles: [50, 90, 95, 99]) == Quantiles.linear(b, percentiles: [50, 90, 95, 99]))
                }
            }
        }
    }

    @Test("the same data twice has the same mean and std")
    func duplicatedData() {
        let values = randomColumn(5_001, seed: 5)
        let twice = values + values
        values.withUnsafeBufferPointer { a in
            twice.withUnsafeBufferPointer { b in
                #expect(isClose(Moments.mean(a), Moments.mean(b)))
                #expect(isClose(Moments.populationStandardDeviation(a), Moments.populationStandardDeviation(b), relative: 1e-10))
            }
        }
    }

    @Test("shifting the data shifts the mean and keeps the std")
    func shiftedData() {
        let values = randomColumn(4_096, seed: 9)
        let shifted = values.map { $0 + 1024 }  // exact: same binade spacing as 1024
        values.withUnsafeBufferPointer { a in
            shifted.withUnsafeBufferPointer { b in
                #expect(isClose(Moments.mean(a) + 1024, Moments.mean(b)))
                #expect(isClose(Moments.populationStandardDeviation(a), Moments.populationStandardDeviation(b), relative: 1e-9))
            }
        }
    }

    @Test("nan propagates to the extrema, as np.min and np.max")
    func nanExtrema() {
        [0.2, .nan, 0.9].withUnsafeBufferPointer { x in
            let (low, high) = Moments.extrema(x)
            #expect(low.isNaN && high.isNaN)
        }
    }
}

@Suite("BLAS kernels")
struct BLASKernelTests {
    @Test("BLAS sum and mean agree with the pairwise sum", arguments: [1, 5, 64, 1000, 65_537])
    func sumAgrees(count: Int) {
        let values = randomColumn(count, seed: 17)
        values.withUnsafeBufferPointer { x in
            #expect(isClose(BLASKernels.sum(x), PairwiseSummation.sum(x)))
            #expect(isClose(BLASKernels.mean(x), Moments.mean(x)))
            #expect(isClose(BLASKernels.sumOfSquares(x), PairwiseSummation.sum(x, SquaredDeviationSummand(center: 0))))
        }
    }

    @Test("the one-pass formula loses the variance of 1e9 + noise; the two-pass forms keep it")
    func naiveVarianceIsUnstable() {
        let values = randomColumn(10_000, seed: 21, offset: 1e9)
        values.withUnsafeBufferPointer { x in
            let good = Moments.populationVariance(x)
            #expect(!isClose(BLASKernels.naivePopulationVariance(x), good, relative: 1e-3))
        }
    }

    @Test("block sums through dgemv equal per-block sums, with a partial last block")
    func blockSums() {
        let values = randomColumn(1_003, seed: 23)
        let sums = values.withUnsafeBufferPointer { BLASKernels.blockSums($0, blockLength: 60) }
        #expect(sums.count == 17)
        for (i, s) in sums.enumerated() {
            let block = values[(i * 60)..<min(values.count, (i + 1) * 60)]
            #expect(isClose(s, block.reduce(0, +), relative: 1e-13))
        }
    }
}
