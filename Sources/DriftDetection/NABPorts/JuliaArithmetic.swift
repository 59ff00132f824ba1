/// Julia 1.7's floating-point reductions, in the order Julia evaluates them,
/// for the ports of Julia detectors (``ARTimeDetector``). Sums of doubles
/// depend on their order in the last bits; these keep Julia's.
enum JuliaArithmetic {
    /// `norm(x, 1)` of a `Vector{Float64}` or `Matrix{Float64}`. Below 32
    /// elements LinearAlgebra sums the absolute values from the first
    /// (`generic_norm1`); from 32 on it calls BLAS `asum`, OpenBLAS 0.3.13's
    /// `dasum` (Julia 1.7's) on Haswell and later Intel cores: below 256
    /// elements, blocks of 8 into four 2-lane accumulators (elements `8b + 2k`
    /// and `8b + 2k + 1` into accumulator `k`), combined as
    /// `((a₀ + a₁) + a₂) + a₃`, the two lanes added, then the tail from the
    /// first. (Exact below 256 elements; beyond, OpenBLAS's order depends on
    /// the array's alignment.)
    @inlinable
    static func absoluteSum(_ x: ArraySlice<Double>) -> Double {
        let n = x.count
        guard n >= 32 else {
            var sum = 0.0
            for v in x { sum += abs(v) }
            return sum
        }
        let base = x.startIndex
        let blocked = n & ~7
        var a0 = (0.0, 0.0), a1 = (0.0, 0.0), a2 = (0.0, 0.0), a3 = (0.0, 0.0)
        var i = 0
        while i < blocked {
            a0.0 += abs(x[base + i]); a0.1 += abs(x[base + i + 1])
            a1.0 += abs(x[base + i + 2]); a1.1 += abs(x[base + i + 3])
            a2.0 += abs(x[base + i + 4]); a2.1 += abs(x[base + i + 5])
            a3.0 += abs(x[base + i + 6]); a3.1 += abs(x[base + i + 7])
            i += 8
        }
        let lane0 = ((a0.0 + a1.0) + a2.0) + a3.0
        let lane1 = ((a0.1 + a1.1) + a2.1) + a3.1
        var sum = 0.0 + (lane0 + lane1)
        while i < n { sum += abs(x[base + i]); i += 1 }
        return sum
    }

    /// `sum(x)` of a `Vector{Float64}`: from the first element in order for
    /// fewer than 16 elements (`Base._mapreduce`); from 16 on
    /// `Base.mapreduce_impl`, pairwise above 1,024 elements and below it
    /// `x₁ + x₂` followed by a `@simd` loop over the rest, taken here in order.
    /// (LLVM may reassociate that loop: on AVX2, 4 lanes × 4 accumulators from
    /// 18 elements on. That order was tried and changes no ARTime score on
    /// NAB's 58 files, so the plain order is kept.)
    @inlinable
    static func sum(_ x: ArraySlice<Double>) -> Double {
        guard let first = x.first else { return 0 }
        if x.count == 1 { return first }
        return pairwise(x, x.startIndex, x.endIndex - 1)
    }

    @inlinable
    static func pairwise(_ x: ArraySlice<Double>, _ first: Int, _ last: Int) -> Double {
        if last - first < 1_024 {
            var s = x[first] + x[first + 1]
            var i = first + 2
            while i <= last { s += x[i]; i += 1 }
            return s
        }
        let middle = (first + last) >> 1
        return pairwise(x, first, middle) + pairwise(x, middle + 1, last)
    }

    /// `Statistics.mean(x)`: `sum(x) / length(x)`.
    @inlinable
    static func mean(_ x: ArraySlice<Double>) -> Double {
        sum(x) / Double(x.count)
    }

    /// `norm(x)` (2-norm) of a short `Vector{Float64}` (`generic_norm2`, fewer
    /// than 32 elements): 0 when every element is 0, else the square root of
    /// the squares summed in order (the scaled branch for overflow or
    /// underflow of the largest square as Julia's).
    @inlinable
    static func norm2(_ x: ArraySlice<Double>) -> Double {
        var largest = 0.0
        for v in x { largest = Swift.max(largest, abs(v)) }
        if largest == 0 || largest.isInfinite { return largest }
        if (Double(x.count) * largest * largest).isFinite, largest * largest != 0 {
            var s = 0.0
            for v in x { s += v * v }
            return s.squareRoot()
        }
        var s = 0.0
        for v in x { let r = v / largest; s += r * r }
        return largest * s.squareRoot()
    }
}
