/// A per-element term summed by ``PairwiseSummation``.
///
/// The protocol lets one recursive summation routine serve both the plain sum
/// and the sum of squared deviations without a temporary array, while the
/// compiler specialises each use.
public protocol PairwiseSummand {
    /// The term for one element.
    func term(_ x: Double) -> Double
    /// The terms for eight consecutive elements, lane by lane.
    func term(_ x: SIMD8<Double>) -> SIMD8<Double>
}

/// Work done on each leaf block of a pairwise summation (at most 128
/// consecutive values, in order) while the block is in cache, so that
/// another one-pass kernel shares the summation's pass over memory.
public protocol PairwiseBlockVisitor {
    /// Called once per block, in order, with blocks that tile the column.
    mutating func visit(_ block: UnsafeBufferPointer<Double>)
}

/// The element itself.
public struct IdentitySummand: PairwiseSummand {
    @inlinable public init() {}
    @inlinable @inline(__always) public func term(_ x: Double) -> Double { x }
    @inlinable @inline(__always) public func term(_ x: SIMD8<Double>) -> SIMD8<Double> { x }
}

/// The squared deviation `(x - center)²`, evaluated as numpy's `np.std` does:
/// subtract first, then multiply the difference by itself.
public struct SquaredDeviationSummand: PairwiseSummand {
    public let center: Double
    @inlinable public init(center: Double) { self.center = center }
    @inlinable @inline(__always) public func term(_ x: Double) -> Double {
        let d = x - center
        return d * d
    }
    @inlinable @inline(__always) public func term(_ x: SIMD8<Double>) -> SIMD8<Double> {
        let d = x - SIMD8(repeating: center)
        return d * d
    }
}

/// Summation in exactly the order numpy's `np.add.reduce` uses for a contiguous
/// `float64` array, so that means and standard deviations agree with numpy to
/// the last bit.
///
/// numpy sums blocks of at most 128 elements with eight interleaved
/// accumulators and combines blocks by recursive halving (rounded down to a
/// multiple of eight). The rounding error grows as O(log n) rather than the
/// O(n) of a running sum.
public enum PairwiseSummation {
    @usableFromInline internal static let blockSize = 128

    /// The sum of `summand.term(x)` over a buffer, in numpy's order.
    ///
    /// - Parameters:
    ///   - values: The elements, in order.
    ///   - summand: The term to sum for each element.
    /// - Returns: `0.0` for an empty buffer.
    /// - Complexity: O(n), one pass, no allocation.
    @inlinable
    public static func sum<S: PairwiseSummand>(_ values: UnsafeBufferPointer<Double>, _ summand: S) -> Double {
        guard let base = values.baseAddress, values.count > 0 else { return 0.0 }
        // numpy starts the reduction from the additive identity.
        return 0.0 + recursiveSum(base, values.count, summand)
    }

    /// The sum of a buffer in numpy's order.
    ///
    /// - Parameter values: The elements, in order.
    /// - Complexity: O(n), one pass, no allocation.
    @inlinable
    public static func sum(_ values: UnsafeBufferPointer<Double>) -> Double {
        sum(values, IdentitySummand())
    }

    /// The sum of a buffer in numpy's order, with `visitor` shown each leaf
    /// block as the summation reaches it: the blocks tile the buffer in
    /// order, so a one-pass kernel (threshold counts) rides on the sum's
    /// pass over memory. The sum is the same as ``sum(_:)``.
    ///
    /// - Complexity: O(n), one pass, no allocation.
    @inlinable
    public static func sum<V: PairwiseBlockVisitor>(_ values: UnsafeBufferPointer<Double>, visitingBlocks visitor: inout V) -> Double {
        guard let base = values.baseAddress, values.count > 0 else { return 0.0 }
        return 0.0 + recursiveSum(base, values.count, &visitor)
    }

    @inlinable
    internal static func recursiveSum<V: PairwiseBlockVisitor>(
        _ base: UnsafePointer<Double>, _ count: Int, _ visitor: inout V
    ) -> Double {
        if count <= blockSize {
            visitor.visit(UnsafeBufferPointer(start: base, count: count))
            return recursiveSum(base, count, IdentitySummand())
        }
        var half = count / 2
        half -= half % 8
        return recursiveSum(base, half, &visitor) + recursiveSum(base + half, count - half, &visitor)
    }

    @inlinable
    internal static func recursiveSum<S: PairwiseSummand>(
        _ base: UnsafePointer<Double>, _ count: Int, _ summand: S
    ) -> Double {
        if count < 8 {
            var result = 0.0
            for i in 0..<count { result += summand.term(base[i]) }
            return result
        }
        if count <= blockSize {
            let raw = UnsafeRawPointer(base)
            var lanes = summand.term(raw.loadUnaligned(as: SIMD8<Double>.self))
            var i = 8
            let end = count - count % 8
            while i < end {
                lanes += summand.term(raw.loadUnaligned(fromByteOffset: i &* 8, as: SIMD8<Double>.self))
                i &+= 8
            }
            var result = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]))
                + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
            while i < count {
                result += summand.term(base[i])
                i &+= 1
            }
            return result
        }
        var half = count / 2
        half -= half % 8
        return recursiveSum(base, half, summand) + recursiveSum(base + half, count - half, summand)
    }
}
