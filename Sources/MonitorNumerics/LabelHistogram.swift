import CColumnKernels

/// Counts of dictionary-encoded labels, in order of first appearance.
///
/// This is the reference's `prediction_distribution`: a Python dict filled in
/// record order, so its keys come in first-appearance order and `max` breaks
/// ties in favour of the label seen first.
public struct LabelHistogram: Sendable, Equatable {
    /// `(code, count)` pairs in order of first appearance.
    public private(set) var entries: [(code: UInt32, count: Int)]

    public static func == (lhs: LabelHistogram, rhs: LabelHistogram) -> Bool {
        lhs.entries.elementsEqual(rhs.entries) { $0.code == $1.code && $0.count == $1.count }
    }

    /// Counts a column of label codes.
    ///
    /// Up to eight distinct codes (a classifier's labels) are counted by
    /// comparing four codes at a time with each code, in vector lanes, with
    /// no store per record; more codes by four interleaved count tables (one
    /// table made each increment of a repeated code wait for the previous
    /// one). The first-appearance order comes from a scan of the column's
    /// start that stops once every counted code has been seen.
    ///
    /// - Parameters:
    ///   - codes: The column of codes, in record order.
    ///   - codeCount: One more than the largest code that may occur.
    /// - Complexity: O(n + codeCount), one pass; a dense count table, no hashing.
    public init(counting codes: UnsafeBufferPointer<UInt32>, codeCount: Int) {
        var counts = [Int](repeating: 0, count: codeCount)
        guard let base = codes.baseAddress, !codes.isEmpty else {
            entries = []
            return
        }
        counts.withUnsafeMutableBufferPointer { table in
            if codeCount <= 8, ColumnPass.usesAVX2 {
                Self.countFewAVX2(base, codes.count, into: table)
            } else if codeCount <= 8 {
                Self.countFew(base, codes.count, into: table)
            } else {
                Self.countMany(base, codes.count, into: table)
            }
        }
        let distinct = counts.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        var seen = [Bool](repeating: false, count: codeCount)
        var order: [(code: UInt32, count: Int)] = []
        order.reserveCapacity(distinct)
        for code in codes where !seen[Int(code)] {
            seen[Int(code)] = true
            order.append((code, counts[Int(code)]))
            if order.count == distinct { break }
        }
        entries = order
    }

    /// Counts codes below eight in vector lanes: each group of four codes is
    /// compared with every code (32-bit lanes, summed into the table every
    /// 2^28 groups, before a lane can overflow).
    package static func countFew(_ base: UnsafePointer<UInt32>, _ n: Int, into table: UnsafeMutableBufferPointer<Int>) {
        let raw = UnsafeRawPointer(base)
        let codeCount = table.count
        let k0 = SIMD4<Int32>(repeating: 0), k1 = SIMD4<Int32>(repeating: 1), k2 = SIMD4<Int32>(repeating: 2)
        let k3 = SIMD4<Int32>(repeating: 3), k4 = SIMD4<Int32>(repeating: 4), k5 = SIMD4<Int32>(repeating: 5)
        let k6 = SIMD4<Int32>(repeating: 6), k7 = SIMD4<Int32>(repeating: 7)
        var i = 0
        while i &+ 4 <= n {
            let end = min(n - (n - i) % 4, i &+ 4 &* (1 << 28))
            var a0 = SIMD4<Int32>.zero, a1 = SIMD4<Int32>.zero, a2 = SIMD4<Int32>.zero, a3 = SIMD4<Int32>.zero
            var a4 = SIMD4<Int32>.zero, a5 = SIMD4<Int32>.zero, a6 = SIMD4<Int32>.zero, a7 = SIMD4<Int32>.zero
            if codeCount <= 4 {
                while i < end {
                    let c = raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD4<Int32>.self)
                    // A true lane is all ones, −1 as an integer.
                    a0 &-= unsafeBitCast(c .== k0, to: SIMD4<Int32>.self)
                    a1 &-= unsafeBitCast(c .== k1, to: SIMD4<Int32>.self)
                    a2 &-= unsafeBitCast(c .== k2, to: SIMD4<Int32>.self)
                    a3 &-= unsafeBitCast(c .== k3, to: SIMD4<Int32>.self)
                    i &+= 4
                }
            } else {
                while i < end {
                    let c = raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD4<Int32>.self)
                    a0 &-= unsafeBitCast(c .== k0, to: SIMD4<Int32>.self)
                    a1 &-= unsafeBitCast(c .== k1, to: SIMD4<Int32>.self)
                    a2 &-= unsafeBitCast(c .== k2, to: SIMD4<Int32>.self)
                    a3 &-= unsafeBitCast(c .== k3, to: SIMD4<Int32>.self)
                    a4 &-= unsafeBitCast(c .== k4, to: SIMD4<Int32>.self)
                    a5 &-= unsafeBitCast(c .== k5, to: SIMD4<Int32>.self)
                    a6 &-= unsafeBitCast(c .== k6, to: SIMD4<Int32>.self)
                    a7 &-= unsafeBitCast(c .== k7, to: SIMD4<Int32>.self)
                    i &+= 4
                }
            }
            let sums = [a0, a1, a2, a3, a4, a5, a6, a7]
            for code in 0..<codeCount {
                table[code] &+= Int(sums[code][0]) &+ Int(sums[code][1]) &+ Int(sums[code][2]) &+ Int(sums[code][3])
            }
        }
        while i < n {
            table[Int(base[i])] &+= 1
            i &+= 1
        }
    }

    /// ``countFew(_:_:into:)`` by the AVX2 kernel, eight codes a vector
    /// (only where ``ColumnPass/usesAVX2`` holds).
    package static func countFewAVX2(_ base: UnsafePointer<UInt32>, _ n: Int, into table: UnsafeMutableBufferPointer<Int>) {
        var counts: (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &counts) { slots in
            driftlab_count_codes_avx2(base, Int64(n), Int32(table.count), slots.baseAddress!.assumingMemoryBound(to: Int64.self))
            for code in 0..<table.count { table[code] &+= Int(slots.load(fromByteOffset: code * 8, as: Int64.self)) }
        }
    }

    /// Counts codes into four interleaved tables, then adds them up.
    private static func countMany(_ base: UnsafePointer<UInt32>, _ n: Int, into table: UnsafeMutableBufferPointer<Int>) {
        let codeCount = table.count
        var spare = [Int](repeating: 0, count: 3 * codeCount)
        spare.withUnsafeMutableBufferPointer { spare in
            let t0 = table.baseAddress!, t1 = spare.baseAddress!, t2 = t1 + codeCount, t3 = t2 + codeCount
            var i = 0
            while i &+ 4 <= n {
                t0[Int(base[i])] &+= 1
                t1[Int(base[i &+ 1])] &+= 1
                t2[Int(base[i &+ 2])] &+= 1
                t3[Int(base[i &+ 3])] &+= 1
                i &+= 4
            }
            while i < n {
                t0[Int(base[i])] &+= 1
                i &+= 1
            }
            for code in 0..<codeCount { t0[code] &+= t1[code] &+ t2[code] &+ t3[code] }
        }
    }

    /// The number of labels counted.
    public var total: Int { entries.reduce(0) { $0 + $1.count } }

    /// The most frequent label, the first seen among equals (Python's
    /// `max(dist, key=dist.get)`), or `nil` when empty.
    public var dominant: (code: UInt32, count: Int)? {
        var best: (code: UInt32, count: Int)?
        for entry in entries where entry.count > (best?.count ?? 0) { best = entry }
        return best
    }
}
