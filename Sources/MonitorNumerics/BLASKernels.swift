import CBLAS

/// Column kernels in their BLAS form, over OpenBLAS.
///
/// These compute the same quantities as ``Moments`` through level-1 and
/// level-2 BLAS. They differ from numpy in the last bits (BLAS sums in its own
/// unrolled order) and exist for throughput, and so that benchmarks can show
/// where BLAS pays and where a plain fused loop is as fast.
public enum BLASKernels {
    @usableFromInline internal static let maxChunk = Int(Int32.max)

    /// The sum of a column, `ddot(x, 1)` with a stride-0 vector of ones.
    ///
    /// - Parameter values: The column.
    /// - Complexity: O(n), one pass, no allocation.
    @inlinable
    public static func sum(_ values: UnsafeBufferPointer<Double>) -> Double {
        guard let base = values.baseAddress else { return 0 }
        var one = 1.0
        var total = 0.0
        var offset = 0
        while offset < values.count {
            let n = min(maxChunk, values.count - offset)
            total += cblas_ddot(Int32(n), base + offset, 1, &one, 0)
            offset += n
        }
        return total
    }

    /// The sum of squares, `ddot(x, x)`.
    ///
    /// - Parameter values: The column.
    /// - Complexity: O(n), one pass, no allocation.
    @inlinable
    public static func sumOfSquares(_ values: UnsafeBufferPointer<Double>) -> Double {
        guard let base = values.baseAddress else { return 0 }
        var total = 0.0
        var offset = 0
        while offset < values.count {
            let n = min(maxChunk, values.count - offset)
            total += cblas_ddot(Int32(n), base + offset, 1, base + offset, 1)
            offset += n
        }
        return total
    }

    /// The mean, `ddot(x, 1) / n`.
    ///
    /// - Parameter values: The column.
    /// - Complexity: O(n), one pass.
    @inlinable
    public static func mean(_ values: UnsafeBufferPointer<Double>) -> Double {
        sum(values) / Double(values.count)
    }

    /// The population variance by the stable two-pass formula: the mean, then
    /// `daxpy` shifts a copy of the column by it and `ddot` sums the squares.
    ///
    /// - Parameters:
    ///   - values: The column.
    ///   - scratch: Room for `values.count` elements, overwritten.
    /// - Complexity: O(n), three passes over the data plus a copy.
    @inlinable
    public static func populationVariance(
        _ values: UnsafeBufferPointer<Double>, scratch: UnsafeMutableBufferPointer<Double>
    ) -> Double {
        precondition(scratch.count >= values.count, "scratch smaller than the column")
        guard let base = values.baseAddress, let out = scratch.baseAddress else { return .nan }
        let m = mean(values)
        var negativeMean = -m
        var offset = 0
        while offset < values.count {
            let n = Int32(min(maxChunk, values.count - offset))
            cblas_dcopy(n, base + offset, 1, out + offset, 1)
            cblas_daxpy(n, 1.0, &negativeMean, 0, out + offset, 1)
            offset += Int(n)
        }
        return sumOfSquares(UnsafeBufferPointer(rebasing: scratch[..<values.count])) / Double(values.count)
    }

    /// The population variance by the one-pass formula `E[x²] − E[x]²`.
    ///
    /// Two `ddot` calls and no copy, but it loses every significant digit when
    /// the mean dwarfs the spread (a column of `1e9 + noise`). Kept for the
    /// benchmarks; the library computes variances with the two-pass forms.
    ///
    /// - Parameter values: The column.
    /// - Complexity: O(n), two passes.
    @inlinable
    public static func naivePopulationVariance(_ values: UnsafeBufferPointer<Double>) -> Double {
        let n = Double(values.count)
        let m = sum(values) / n
        return sumOfSquares(values) / n - m * m
    }

    /// The sums of consecutive equal-length blocks of a column, all at once:
    /// the column is viewed as a row-major `blocks × blockLength` matrix and
    /// multiplied by a vector of ones (`dgemv`).
    ///
    /// This is how per-minute or per-hour totals of a regularly sampled series
    /// cost a single pass. A trailing partial block is summed on its own.
    ///
    /// - Parameters:
    ///   - values: The column.
    ///   - blockLength: Elements per block; positive.
    /// - Returns: One sum per block, `ceil(n / blockLength)` of them.
    /// - Complexity: O(n), one pass.
    public static func blockSums(_ values: UnsafeBufferPointer<Double>, blockLength: Int) -> [Double] {
        precondition(blockLength > 0, "blockLength must be positive")
        guard let base = values.baseAddress, !values.isEmpty else { return [] }
        let fullBlocks = values.count / blockLength
        let remainder = values.count % blockLength
        var sums = [Double](repeating: 0, count: fullBlocks + (remainder > 0 ? 1 : 0))
        if fullBlocks > 0 {
            precondition(fullBlocks <= maxChunk && blockLength <= maxChunk, "matrix too large for 32-bit BLAS")
            let ones = [Double](repeating: 1, count: blockLength)
            sums.withUnsafeMutableBufferPointer { out in
                cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(fullBlocks), Int32(blockLength),
                            1.0, base, Int32(blockLength), ones, 1, 0.0, out.baseAddress, 1)
            }
        }
        if remainder > 0 {
            sums[fullBlocks] = sum(UnsafeBufferPointer(rebasing: values[(fullBlocks * blockLength)...]))
        }
        return sums
    }
}
