/// The smallest and largest value of a column, found block by block as a
/// ``PairwiseBlockVisitor`` so that the mean's pass finds them too (the
/// percentiles' counting pass then needs no clamping:
/// ``Quantiles/linear(_:percentiles:range:)``).
///
/// Exact for a column without NaN. A NaN makes the running values wrong
/// (MINPD and MAXPD return their second operand when either is NaN), so a
/// column that may hold one needs another check, such as its sum being NaN.
@usableFromInline
package struct ColumnRange: PairwiseBlockVisitor {
    /// Eight lanes: four independent MINPD and MAXPD chains, since each
    /// waits for the previous one.
    @usableFromInline var low = SIMD8<Double>(repeating: .infinity)
    @usableFromInline var high = SIMD8<Double>(repeating: -.infinity)

    @inlinable
    package init() {}

    /// The range of the values visited so far, or `nil` before any (or
    /// when every one was NaN).
    @inlinable
    package var range: ClosedRange<Double>? {
        var minimum = Double.infinity, maximum = -Double.infinity
        for lane in 0..<8 {
            if low[lane] < minimum { minimum = low[lane] }
            if high[lane] > maximum { maximum = high[lane] }
        }
        return minimum <= maximum ? minimum...maximum : nil
    }

    /// Takes the values of `block` into the range.
    ///
    /// - Complexity: O(n), two vector comparisons per two values.
    @inlinable
    package mutating func visit(_ block: UnsafeBufferPointer<Double>) {
        guard let base = block.baseAddress else { return }
        let raw = UnsafeRawPointer(base)
        var (l, h) = (low, high)
        var i = 0
        while i &+ 8 <= block.count {
            let x = raw.loadUnaligned(fromByteOffset: i &* 8, as: SIMD8<Double>.self)
            // `l < x ? l : x`: MINPD with `l` as the destination, so no
            // register moves (`x < l ? x : l` takes two a step).
            l.replace(with: x, where: .!(l .< x))
            h.replace(with: x, where: .!(h .> x))
            i &+= 8
        }
        while i < block.count {
            let x = SIMD8<Double>(repeating: base[i])
            l.replace(with: x, where: .!(l .< x))
            h.replace(with: x, where: .!(h .> x))
            i &+= 1
        }
        (low, high) = (l, h)
    }
}

/// Two visitors shown the same blocks, in order.
@usableFromInline
package struct VisitorPair<First: PairwiseBlockVisitor, Second: PairwiseBlockVisitor>: PairwiseBlockVisitor {
    @usableFromInline package var first: First
    @usableFromInline package var second: Second

    @inlinable
    package init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
    }

    @inlinable
    package mutating func visit(_ block: UnsafeBufferPointer<Double>) {
        first.visit(block)
        second.visit(block)
    }
}
