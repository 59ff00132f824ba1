/// Order statistics of a column by a counting pass over a monotone map from
/// doubles to buckets, then selection inside the few buckets that hold the
/// wanted ranks (a one-level radix select).
///
/// The map is the double's order-preserving integer key (sign bit flipped
/// for positives, every bit for negatives; `-0` taken as `+0`), minus the
/// column's smallest key, shifted right so that the column's key span fits
/// ``bucketCount`` buckets. On the exponent-and-mantissa key, buckets are
/// about equally wide on a log scale within each sign, so skewed positive
/// data such as response times spread over many buckets: at 10,000 values a
/// wanted bucket typically holds a few dozen.
///
/// Since the map is monotone (`x < y` implies `bucket(x) ≤ bucket(y)`), every
/// value of a lower bucket is below every value of a higher one; the order
/// statistic of rank `r` is the `(r − below)`-th smallest value inside the
/// bucket where the running count passes `r`. The values of the wanted
/// buckets are gathered (in one branch-free pass) and multi-selected with
/// their ranks translated; equal values, infinities and signed zeros need no
/// special case, and a bucket that holds most of the column (an outlier
/// stretching the span) only makes the final selection larger, never wrong.
enum BucketSelection {
    /// Buckets of the counting pass: 2^11, two tables of 8 KiB.
    static let bucketBits = 11
    static let bucketCount = 1 << bucketBits
    /// Values in the strided sample that sets the buckets' range.
    static let sampleSize = 64

    /// The order-preserving unsigned key of a double (not NaN): `a < b`
    /// exactly when `key(a) < key(b)`, except that `-0` and `+0` share a key
    /// (`-0` is not below zero, so it takes the positive form, the sign bit
    /// set, which is `+0`'s key).
    @inline(__always)
    static func key(_ x: Double) -> UInt64 {
        // Negative: every bit flipped; otherwise the sign bit set.
        (x.bitPattern | (1 << 63)) ^ UInt64(bitPattern: -Int64(MultiSelection.bit(x < 0)))
    }

    /// ``key(_:)`` lane by lane.
    @inline(__always)
    static func keys(_ x: SIMD4<Double>) -> SIMD4<UInt64> {
        let negative = unsafeBitCast(x .< SIMD4(repeating: 0), to: SIMD4<UInt64>.self)
        return (unsafeBitCast(x, to: SIMD4<UInt64>.self) | SIMD4(repeating: 1 << 63)) ^ negative
    }

    /// The order statistics of `values` at `ranks`, or `nil` when the
    /// column holds a NaN.
    ///
    /// The buckets span a strided sample's range; values outside it are
    /// clamped into the first or last bucket (clamping is monotone too), so
    /// no pass is spent on the column's extrema.
    ///
    /// - Parameters:
    ///   - values: The column; not empty.
    ///   - ranks: Sorted, unique, each in `0..<values.count`.
    /// - Returns: The value a full sort would put at each rank, in the order of `ranks`.
    /// - Complexity: O(n) in two streaming passes (the second over the
    ///   2-byte bucket numbers the first wrote), plus a selection over the
    ///   wanted buckets' values; memory from the reused scratch buffer.
    static func orderStatistics(_ values: UnsafeBufferPointer<Double>, ranks: [Int]) -> [Double]? {
        let n = values.count
        guard let base = values.baseAddress, n > 0, !ranks.isEmpty else { return [] }
        // The sample's range (NaNs skipped here; the counting pass finds them).
        let stride = max(1, n / sampleSize)
        var minimum = Double.infinity, maximum = -Double.infinity
        var k = 0
        while k < n {
            let x = base[k]
            if x < minimum { minimum = x }
            if x > maximum { maximum = x }
            k &+= stride
        }
        if minimum > maximum { minimum = 0; maximum = 0 }  // an all-NaN sample
        return orderStatistics(base, n, ranks: ranks, minimum: minimum, maximum: maximum, exact: false)
    }

    /// The order statistics of `values` at `ranks`, when the column's
    /// smallest and largest values are known (a pass the caller makes
    /// anyway, such as the mean's, found them) and it holds no NaN: the
    /// counting pass then needs no clamping and no NaN check, about 40%
    /// fewer instructions a value.
    ///
    /// - Parameters:
    ///   - values: The column; not empty.
    ///   - ranks: Sorted, unique, each in `0..<values.count`.
    ///   - range: The column's smallest and largest values (a signed zero
    ///     either way).
    /// - Precondition: No value is NaN or outside `range`. A column that
    ///   breaks it gets wrong order statistics, never an access outside the
    ///   buffers (bucket numbers are masked).
    /// - Complexity: As ``orderStatistics(_:ranks:)``.
    static func orderStatistics(_ values: UnsafeBufferPointer<Double>, ranks: [Int], range: ClosedRange<Double>) -> [Double] {
        guard let base = values.baseAddress, values.count > 0, !ranks.isEmpty else { return [] }
        return orderStatistics(base, values.count, ranks: ranks, minimum: range.lowerBound, maximum: range.upperBound, exact: true)!
    }

    /// The counting pass, the rank walk, the gathering and the selection,
    /// over buckets spanning `minimum...maximum`.
    ///
    /// - Parameter exact: Whether every value lies in `minimum...maximum`
    ///   and none is NaN (no clamping, no NaN check).
    @inline(__always)
    private static func orderStatistics(
        _ base: UnsafePointer<Double>, _ n: Int, ranks: [Int], minimum: Double, maximum: Double, exact: Bool
    ) -> [Double]? {
        let low = key(minimum)
        let span = key(maximum) &- low
        let shift = UInt64(max(0, UInt64.bitWidth - span.leadingZeroBitCount - bucketBits))
        let used = Int(truncatingIfNeeded: span >> shift) + 1
        // Scratch: the bucket of each value (UInt16, four to a double).
        let idSlots = (n + 3) / 4
        return ScratchPool.withScratch(count: idSlots) { scratch in
            let raw = UnsafeMutableRawPointer(scratch.baseAddress!)
            let ids = raw.bindMemory(to: UInt16.self, capacity: 4 * idSlots)
            defer { raw.bindMemory(to: Double.self, capacity: scratch.count) }
            // Two count tables, then the totals of runs of 16 buckets.
            return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 2 * bucketCount + bucketCount / 16) { table in
                let counts = table.baseAddress!
                // Counting: two interleaved tables, so that runs of one bucket
                // do not make every increment wait for the previous one.
                counts.initialize(repeating: 0, count: 2 * bucketCount)
                let second = counts + bucketCount
                // Non-negative columns (response times) skip the sign's
                // handling: their bit patterns are already in order.
                let hasNaN: Bool
                switch (exact, minimum >= 0) {
                case (true, true):
                    countInRange(base, n, ids: ids, counts: counts, second: second, low: (minimum + 0.0).bitPattern, shift: shift, signed: false)
                    hasNaN = false
                case (true, false):
                    countInRange(base, n, ids: ids, counts: counts, second: second, low: low, shift: shift, signed: true)
                    hasNaN = false
                case (false, true):
                    hasNaN = count(base, n, ids: ids, counts: counts, second: second, minimum: minimum + 0.0,
                                   maximum: maximum, low: (minimum + 0.0).bitPattern, shift: shift, signed: false)
                case (false, false):
                    hasNaN = count(base, n, ids: ids, counts: counts, second: second, minimum: minimum,
                                   maximum: maximum, low: low, shift: shift, signed: true)
                }
                if hasNaN { return nil }
                // The bucket of each rank, and the values below it; `wanted`
                // reuses the second table's bytes.
                var localRanks = [Int]()
                localRanks.reserveCapacity(ranks.count)
                var below = 0, gathered = 0, bucket = 0, lastWanted = -1
                // No bucket number is 0xFFFF: unused slots match nothing.
                var wantedBuckets: (Int, Int, Int, Int, Int, Int, Int, Int) = (0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF)
                var wantedCount = 0
                // The exact path merges (and below clears the flags of) every
                // bucket: a range narrower than the column, a broken
                // precondition, puts values in buckets past `used`, and their
                // counts and flags must still agree with their bucket numbers.
                let merged = exact ? bucketCount : used
                // The two tables merged, and the total of each full run of
                // 16 buckets, so that the walk to each rank skips whole runs
                // (about 130 steps instead of up to 2,048 dependent ones).
                let fullRuns = merged / 16
                let runTotals = counts + 2 * bucketCount
                for run in 0..<fullRuns {
                    var total: UInt32 = 0
                    for b in (run &* 16)..<(run &* 16 &+ 16) {
                        counts[b] &+= second[b]
                        total &+= counts[b]
                    }
                    runTotals[run] = total
                }
                for b in (fullRuns &* 16)..<merged { counts[b] &+= second[b] }
                for rank in ranks {
                    while true {
                        if bucket & 15 == 0, bucket >> 4 < fullRuns, rank >= below + Int(runTotals[bucket >> 4]) {
                            below += Int(runTotals[bucket >> 4])
                            bucket += 16
                        } else if rank >= below + Int(counts[bucket]) {
                            below += Int(counts[bucket])
                            bucket += 1
                        } else {
                            break
                        }
                    }
                    if bucket != lastWanted {
                        // The values gathered from the wanted buckets before
                        // this one precede it in the gathered order.
                        if lastWanted >= 0 { gathered += Int(counts[lastWanted]) }
                        lastWanted = bucket
                        if wantedCount < 8 {
                            withUnsafeMutableBytes(of: &wantedBuckets) { $0.storeBytes(of: bucket, toByteOffset: wantedCount * 8, as: Int.self) }
                        }
                        wantedCount += 1
                    }
                    localRanks.append(rank - below + gathered)
                }
                gathered += Int(counts[lastWanted])
                let wanted = UnsafeMutableRawPointer(second).bindMemory(to: UInt8.self, capacity: merged)
                wanted.initialize(repeating: 0, count: merged)
                if wantedCount <= 8 {
                    withUnsafeBytes(of: wantedBuckets) { buckets in
                        for k in 0..<wantedCount { wanted[buckets.load(fromByteOffset: k * 8, as: Int.self)] = 1 }
                    }
                } else {
                    // More than eight wanted buckets: mark them again from the ranks.
                    var below = 0, bucket = 0
                    for rank in ranks {
                        while rank >= below + Int(counts[bucket]) { below += Int(counts[bucket]); bucket += 1 }
                        wanted[bucket] = 1
                    }
                }
                let destination = UnsafeMutablePointer<Double>.allocate(capacity: gathered + 1)
                defer { destination.deallocate() }
                // Gathering: eight bucket numbers at a time are compared with
                // the (at most eight) wanted ones, and only a group holding
                // one of them is copied, branch-free: every value is written
                // at the cursor, which advances for the wanted buckets only
                // (one spare slot at the end).
                var cursor = 0
                var j = 0
                if wantedCount <= 8 {
                    let w = withUnsafeBytes(of: wantedBuckets) { buckets in
                        SIMD8<Int>((0..<8).map { buckets.load(fromByteOffset: $0 * 8, as: Int.self) })
                    }
                    let w0 = SIMD8<UInt16>(repeating: UInt16(truncatingIfNeeded: w[0])), w1 = SIMD8<UInt16>(repeating: UInt16(truncatingIfNeeded: w[1]))
                    let w2 = SIMD8<UInt16>(repeating: UInt16(truncatingIfNeeded: w[2])), w3 = SIMD8<UInt16>(repeating: UInt16(truncatingIfNeeded: w[3]))
                    let w4 = SIMD8<UInt16>(repeating: UInt16(truncatingIfNeeded: w[4])), w5 = SIMD8<UInt16>(repeating: UInt16(truncatingIfNeeded: w[5]))
                    let w6 = SIMD8<UInt16>(repeating: UInt16(truncatingIfNeeded: w[6])), w7 = SIMD8<UInt16>(repeating: UInt16(truncatingIfNeeded: w[7]))
                    // Usually four wanted buckets (p50, p90, p95, p99) or
                    // fewer: then four comparisons a group, not eight.
                    if wantedCount <= 4 {
                        gatherGroups(ids, base, n, into: destination, wanted: wanted, j: &j, cursor: &cursor) { group in
                            ((group .== w0) .| (group .== w1)) .| ((group .== w2) .| (group .== w3))
                        }
                    } else {
                        gatherGroups(ids, base, n, into: destination, wanted: wanted, j: &j, cursor: &cursor) { group in
                            ((group .== w0) .| (group .== w1)) .| ((group .== w2) .| (group .== w3))
                                .| ((group .== w4) .| (group .== w5)) .| ((group .== w6) .| (group .== w7))
                        }
                    }
                }
                while j < n {
                    destination[cursor] = base[j]
                    cursor &+= Int(truncatingIfNeeded: wanted[Int(truncatingIfNeeded: ids[j])])
                    j &+= 1
                }
                let selected = UnsafeMutableBufferPointer(start: destination, count: gathered)
                MultiSelection.select(selected, ranks: localRanks)
                return localRanks.map { selected[$0] }
            }
        }
    }

    /// The counting pass: each value clamped into `[minimum, maximum]`, keyed, its bucket written to `ids` and counted in
    /// `counts` (even positions) or `second` (odd ones), each table
    /// ``bucketCount`` long (a NaN's bucket, masked, lands anywhere in it).
    ///
    /// - Parameter signed: `false` when `minimum` is `+0` or above, so that
    ///   every clamped value is non-negative and its bit pattern is its key
    ///   (`low` then is `minimum`'s bit pattern).
    /// - Returns: Whether a NaN was seen.
    @inline(__always)
    private static func count(
        _ base: UnsafePointer<Double>, _ n: Int, ids: UnsafeMutablePointer<UInt16>,
        counts: UnsafeMutablePointer<UInt32>, second: UnsafeMutablePointer<UInt32>,
        minimum: Double, maximum: Double, low: UInt64, shift: UInt64, signed: Bool
    ) -> Bool {
        let lowLanes = SIMD4<UInt64>(repeating: low), mask = SIMD4<UInt64>(repeating: UInt64(bucketCount - 1))
        let minimumLanes = SIMD4<Double>(repeating: minimum), maximumLanes = SIMD4<Double>(repeating: maximum)
        let source = UnsafeRawPointer(base)
        var nan = SIMDMask<SIMD4<Int64>>()
        var i = 0
        while i &+ 4 <= n {
            var x = source.loadUnaligned(fromByteOffset: i &* 8, as: SIMD4<Double>.self)
            nan .|= x .!= x
            // `minimum > x ? minimum : x` and `maximum < x ? maximum : x`
            // (MAXPD and MINPD). A NaN stays NaN, and its bucket, masked,
            // stays inside the table; its counts are never read.
            x.replace(with: minimumLanes, where: x .< minimumLanes)
            x.replace(with: maximumLanes, where: x .> maximumLanes)
            let keyed = signed ? keys(x) : unsafeBitCast(x, to: SIMD4<UInt64>.self)
            let b = ((keyed &- lowLanes) &>> shift) & mask
            let b0 = Int(truncatingIfNeeded: b[0]), b1 = Int(truncatingIfNeeded: b[1])
            let b2 = Int(truncatingIfNeeded: b[2]), b3 = Int(truncatingIfNeeded: b[3])
            ids[i] = UInt16(truncatingIfNeeded: b0)
            ids[i &+ 1] = UInt16(truncatingIfNeeded: b1)
            ids[i &+ 2] = UInt16(truncatingIfNeeded: b2)
            ids[i &+ 3] = UInt16(truncatingIfNeeded: b3)
            counts[b0] &+= 1
            second[b1] &+= 1
            counts[b2] &+= 1
            second[b3] &+= 1
            i &+= 4
        }
        var hasNaN = any(nan)
        while i < n {
            let x = base[i]
            hasNaN = hasNaN || x.isNaN
            let atLeast = x < minimum ? minimum : x
            let clamped = atLeast > maximum ? maximum : atLeast
            let b = Int(truncatingIfNeeded: (((signed ? key(clamped) : clamped.bitPattern) &- low) >> shift) & UInt64(bucketCount - 1))
            ids[i] = UInt16(truncatingIfNeeded: b)
            counts[b] &+= 1
            i &+= 1
        }
        return hasNaN
    }

    /// The gathering loop over groups of eight bucket numbers: a group in
    /// which `hits` finds a wanted bucket is copied branch-free (every value
    /// written at the cursor, which advances for the wanted ones only).
    @inline(__always)
    private static func gatherGroups(
        _ ids: UnsafeMutablePointer<UInt16>, _ base: UnsafePointer<Double>, _ n: Int,
        into destination: UnsafeMutablePointer<Double>, wanted: UnsafeMutablePointer<UInt8>,
        j: inout Int, cursor: inout Int, hits: (SIMD8<UInt16>) -> SIMDMask<SIMD8<Int16>>
    ) {
        let idBytes = UnsafeRawPointer(ids)
        var (j0, c0) = (j, cursor)
        while j0 &+ 8 <= n {
            if any(hits(idBytes.loadUnaligned(fromByteOffset: j0 &* 2, as: SIMD8<UInt16>.self))) {
                for k in j0..<(j0 &+ 8) {
                    destination[c0] = base[k]
                    c0 &+= Int(truncatingIfNeeded: wanted[Int(truncatingIfNeeded: ids[k])])
                }
            }
            j0 &+= 8
        }
        (j, cursor) = (j0, c0)
    }

    /// The counting pass over a column known to lie in the buckets' range
    /// with no NaN: no clamping. In the non-negative case (`signed` false)
    /// the only value with its sign bit set is `-0`, which the magnitude
    /// mask turns into `+0`.
    @inline(__always)
    private static func countInRange(
        _ base: UnsafePointer<Double>, _ n: Int, ids: UnsafeMutablePointer<UInt16>,
        counts: UnsafeMutablePointer<UInt32>, second: UnsafeMutablePointer<UInt32>,
        low: UInt64, shift: UInt64, signed: Bool
    ) {
        let lowLanes = SIMD2<UInt64>(repeating: low), shiftLanes = SIMD2<UInt64>(repeating: shift)
        let mask = SIMD2<UInt64>(repeating: UInt64(bucketCount - 1)), magnitude = SIMD4<UInt64>(repeating: ~(1 << 63))
        let source = UnsafeRawPointer(base)
        let idBytes = UnsafeMutableRawPointer(ids)
        var i = 0
        while i &+ 4 <= n {
            let k = signed ? keys(source.loadUnaligned(fromByteOffset: i &* 8, as: SIMD4<Double>.self))
                : source.loadUnaligned(fromByteOffset: i &* 8, as: SIMD4<UInt64>.self) & magnitude
            let (k0, k1) = (k.lowHalf, k.highHalf)
            let b = SIMD4<UInt16>(truncatingIfNeeded: SIMD4(lowHalf: ((k0 &- lowLanes) &>> shiftLanes) & mask,
                                                           highHalf: ((k1 &- lowLanes) &>> shiftLanes) & mask))
            idBytes.storeBytes(of: b, toByteOffset: i &* 2, as: SIMD4<UInt16>.self)
            // The four numbers from one general register.
            let packed = unsafeBitCast(b, to: UInt64.self)
            counts[Int(truncatingIfNeeded: packed & 0xFFFF)] &+= 1
            second[Int(truncatingIfNeeded: (packed &>> 16) & 0xFFFF)] &+= 1
            counts[Int(truncatingIfNeeded: (packed &>> 32) & 0xFFFF)] &+= 1
            second[Int(truncatingIfNeeded: packed &>> 48)] &+= 1
            i &+= 4
        }
        while i < n {
            let x = base[i]
            let k = signed ? key(x) : x.bitPattern & ~(1 << 63)
            let b = Int(truncatingIfNeeded: ((k &- low) >> shift) & UInt64(bucketCount - 1))
            ids[i] = UInt16(truncatingIfNeeded: b)
            counts[b] &+= 1
            i &+= 1
        }
    }
}
