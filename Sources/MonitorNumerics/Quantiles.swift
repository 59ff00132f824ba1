import Synchronization

/// Percentiles with numpy's default `method='linear'` (Hyndman & Fan type 7).
///
/// Several percentiles come from one call by multi-selection: a quickselect
/// that recurses only into the partitions holding a wanted rank, so the work
/// is expected O(n) whatever the number of percentiles, with no full sort.
public enum Quantiles {
    /// Percentiles of `values`, exactly as `np.percentile(values, p)` returns
    /// each of them.
    ///
    /// - Parameters:
    ///   - values: The data; reordered in place (use a scratch copy).
    ///   - percentiles: Each in `0...100`.
    /// - Returns: One value per percentile, in the order asked; all `nan` when
    ///   the data hold a `nan`, as numpy.
    /// - Complexity: Expected O(n + k log k) for k percentiles; O(n log n) in
    ///   the worst case, through a depth limit that falls back to sorting.
    public static func linear(
        _ values: UnsafeMutableBufferPointer<Double>, percentiles: [Double]
    ) -> [Double] {
        let plans = InterpolationPlan.plans(percentiles, count: values.count)
        if values.contains(where: \.isNaN) {
            return percentiles.map { _ in .nan }
        }
        MultiSelection.select(values, ranks: InterpolationPlan.ranks(of: plans))
        return plans.map { $0.interpolate(lower: values[$0.lowerRank], upper: values[$0.upperRank]) }
    }

    /// Percentiles of an immutable column.
    ///
    /// Columns under ``bucketThreshold`` values are copied and
    /// multi-selected. Longer ones are not copied: one counting pass maps
    /// each value to a bucket by a monotone map (``Path/buckets``), and
    /// selection runs on the few values of the buckets that hold the wanted
    /// ranks. The result is the same either way: these are order statistics.
    ///
    /// - Parameters:
    ///   - values: The data.
    ///   - percentiles: Each in `0...100`.
    /// - Complexity: O(n): two streaming passes (values, then their 2-byte
    ///   bucket numbers) and a selection over the wanted buckets for long
    ///   columns; an O(n) copy and selection otherwise.
    public static func linear(_ values: UnsafeBufferPointer<Double>, percentiles: [Double]) -> [Double] {
        linear(values, percentiles: percentiles, path: .automatic)
    }

    /// How ``linear(_:percentiles:path:)`` finds the order statistics.
    public enum Path: Sendable {
        /// Buckets from ``bucketThreshold`` values, a copy below.
        case automatic
        /// A copy into the reused scratch buffer, multi-selected.
        case copy
        /// Sample brackets (falling back to a copy if a bracket misses): a
        /// strided sample brackets each wanted rank, one pass counts the
        /// values below each bracket and gathers those inside it (Floyd &
        /// Rivest's idea). No longer chosen automatically: the bucket path
        /// is faster at every size measured (`notebooks bench percentiles`).
        case bracketed
        /// A counting pass over a monotone map to buckets, then selection
        /// inside the buckets holding the wanted ranks (no copy of the column).
        case buckets
    }

    /// ``linear(_:percentiles:)`` along a chosen path (to measure the
    /// crossover that sets ``bucketThreshold``); every path gives the same
    /// result.
    public static func linear(_ values: UnsafeBufferPointer<Double>, percentiles: [Double], path: Path) -> [Double] {
        let n = values.count
        let chosen: Path = switch path {
        case .automatic: n >= bucketThreshold ? .buckets : .copy
        case .bracketed: n >= 16 ? .bracketed : .copy
        case .buckets, .copy: path
        }
        if chosen == .bracketed, let result = bracketed(values, percentiles: percentiles) { return result }
        if chosen == .buckets {
            let plans = InterpolationPlan.plans(percentiles, count: n)
            let ranks = InterpolationPlan.ranks(of: plans)
            guard let statistics = BucketSelection.orderStatistics(values, ranks: ranks) else {
                return percentiles.map { _ in .nan }
            }
            return interpolate(plans, ranks: ranks, statistics)
        }
        return ScratchPool.withScratch(count: n) { scratch in
            _ = scratch.initialize(from: values)
            return linear(scratch, percentiles: percentiles)
        }
    }

    /// ``linear(_:percentiles:)`` of a column whose smallest and largest
    /// values are known (found during another pass, such as the mean's:
    /// ``ColumnRange``) and which holds no NaN, so that the counting pass
    /// needs no clamping. Columns under ``bucketThreshold`` values are copied
    /// and selected as before.
    ///
    /// - Precondition: No value is NaN or outside `range`.
    /// - Complexity: As ``linear(_:percentiles:)``.
    package static func linear(_ values: UnsafeBufferPointer<Double>, percentiles: [Double], range: ClosedRange<Double>) -> [Double] {
        let n = values.count
        guard n >= bucketThreshold else { return linear(values, percentiles: percentiles, path: .copy) }
        let plans = InterpolationPlan.plans(percentiles, count: n)
        let ranks = InterpolationPlan.ranks(of: plans)
        return interpolate(plans, ranks: ranks, BucketSelection.orderStatistics(values, ranks: ranks, range: range))
    }

    /// Each plan's percentile from the order statistics at `ranks`.
    private static func interpolate(_ plans: [InterpolationPlan], ranks: [Int], _ statistics: [Double]) -> [Double] {
        plans.map { plan in
            plan.interpolate(lower: statistics[ranks.firstIndex(of: plan.lowerRank)!],
                             upper: statistics[ranks.firstIndex(of: plan.upperRank)!])
        }
    }

    /// Columns at least this long take the counting path (``Path/buckets``);
    /// shorter ones are copied and selected. The measured crossover
    /// (`notebooks bench percentiles`).
    public static let bucketThreshold = 512

    static func bracketed(_ values: UnsafeBufferPointer<Double>, percentiles: [Double]) -> [Double]? {
        let n = values.count
        let plans = InterpolationPlan.plans(percentiles, count: n)
        let ranks = InterpolationPlan.ranks(of: plans)
        // A strided sample (deterministic, and as good as random for the
        // bracket unless the data are periodic with the stride, which the
        // fallback then catches).
        let sampleSize = min(n / 4, max(10_000, Int(Double(n).squareRoot() * 16)))
        let stride = n / sampleSize
        var sample = (0..<sampleSize).map { values[$0 * stride] }
        if sample.contains(where: \.isNaN) { return percentiles.map { _ in .nan } }
        // Brackets of ±(4σ + 2) sample positions around each rank. Only the
        // sample's order statistics at the bracket ends are needed: they
        // are multi-selected, not sorted for.
        let bracketIndices: [(low: Int, high: Int)] = ranks.map { rank in
            let q = Double(rank) / Double(max(1, n - 1))
            let center = q * Double(sampleSize - 1)
            let margin = 4 * (Double(sampleSize) * q * (1 - q)).squareRoot() + 2
            return (Int((center - margin).rounded(.down)), Int((center + margin).rounded(.up)))
        }
        let positions = Array(Set(bracketIndices.flatMap { [$0.low, $0.high] }.filter { $0 > 0 && $0 < sampleSize - 1 })).sorted()
        sample.withUnsafeMutableBufferPointer { MultiSelection.select($0, ranks: positions) }
        // Merged when they overlap.
        var brackets: [(low: Double, high: Double, ranks: [Int])] = []
        for (rank, indices) in zip(ranks, bracketIndices) {
            let low = indices.low <= 0 ? -Double.infinity : sample[indices.low]
            let high = indices.high >= sampleSize - 1 ? Double.infinity : sample[indices.high]
            if let last = brackets.last, low <= last.high {
                brackets[brackets.count - 1].high = max(last.high, high)
                brackets[brackets.count - 1].ranks.append(rank)
            } else {
                brackets.append((low, high, [rank]))
            }
        }
        // One pass: the values inside each bracket, and how many fall in each
        // gap between brackets. Each value's region is found without
        // branches: r = #(lows ≤ x) + #(highs < x) is even in gap r/2 and
        // odd inside bracket (r − 1)/2.
        // Room for the expected bracket contents with a wide margin (the
        // sample's share inside each bracket, duplicates included); a
        // bracket that overflows it sends the column down the exact path.
        // (A two-pass form — vectorised counts below each bracket, then a
        // branch-free gather — was no faster at 100,000 values and about
        // 10% slower at 10,000,000, where the extra pass over memory costs.)
        var sampleInside = 0
        for x in sample {
            for bracket in brackets { sampleInside &+= (bracket.low <= x && x <= bracket.high) ? 1 : 0 }
        }
        let expectedInside = Double(sampleInside) / Double(sampleSize)
        let capacity = Int(expectedInside * Double(n) * 2) + 4_096
        // Reused across calls and not zeroed: only the gathered prefix is read.
        return ScratchPool.withScratch(count: capacity) { out in
            gatherAndSelect(values, percentiles: percentiles, plans: plans, brackets: brackets, into: out)
        }
    }

    private static func gatherAndSelect(
        _ values: UnsafeBufferPointer<Double>, percentiles: [Double], plans: [InterpolationPlan],
        brackets: [(low: Double, high: Double, ranks: [Int])], into out: UnsafeMutableBufferPointer<Double>
    ) -> [Double]? {
        let lows = brackets.map(\.low), highs = brackets.map(\.high)
        let bracketCount = brackets.count
        var regionCounts = [Int](repeating: 0, count: 2 * bracketCount + 1)
        let capacity = out.count
        var gatheredRegion = [UInt8](unsafeUninitializedCapacity: capacity) { _, count in count = capacity }
        var gatheredCount = 0
        var sawNaN = false
        let overflow: Bool = gatheredRegion.withUnsafeMutableBufferPointer { outRegion in
            regionCounts.withUnsafeMutableBufferPointer { counts in
                lows.withUnsafeBufferPointer { lows in
                    highs.withUnsafeBufferPointer { highs in
                        for x in values {
                            var region = 0
                            for b in 0..<bracketCount {
                                region &+= MultiSelection.bit(lows[b] <= x) &+ MultiSelection.bit(highs[b] < x)
                            }
                            counts[region] &+= 1
                            if region & 1 == 1 {
                                if gatheredCount == out.count { return true }
                                out[gatheredCount] = x
                                outRegion[gatheredCount] = UInt8(truncatingIfNeeded: region >> 1)
                                gatheredCount &+= 1
                            }
                            if x.isNaN { sawNaN = true }
                        }
                        return false
                    }
                }
            }
        }
        if sawNaN { return percentiles.map { _ in .nan } }
        if overflow { return nil }
        var inside = [[Double]](repeating: [], count: bracketCount)
        for b in 0..<bracketCount { inside[b].reserveCapacity(regionCounts[2 * b + 1]) }
        for i in 0..<gatheredCount { inside[Int(gatheredRegion[i])].append(out[i]) }
        var between = (0...bracketCount).map { regionCounts[2 * $0] }
        // Values below the first bracket: gap 0.
        var running = between[0]
        between[0] = 0
        var orderStatistic: [Int: Double] = [:]
        for b in brackets.indices {
            if b > 0 { running += between[b] }
            let localRanks = brackets[b].ranks.map { $0 - running }
            guard localRanks.allSatisfy({ $0 >= 0 && $0 < inside[b].count }) else { return nil }
            inside[b].withUnsafeMutableBufferPointer { buffer in
                MultiSelection.select(buffer, ranks: localRanks)
                for (rank, local) in zip(brackets[b].ranks, localRanks) { orderStatistic[rank] = buffer[local] }
            }
            running += inside[b].count
        }
        return plans.map { $0.interpolate(lower: orderStatistic[$0.lowerRank]!, upper: orderStatistic[$0.upperRank]!) }
    }

    /// Where numpy reads a percentile: the two neighbouring order statistics
    /// and the weight between them.
    @usableFromInline
    internal struct InterpolationPlan {
        @usableFromInline let lowerRank: Int
        @usableFromInline let upperRank: Int
        @usableFromInline let gamma: Double

        @usableFromInline
        init(percentile: Double, count: Int) {
            // numpy: q = p / 100; virtual index = (n - 1) * q.
            let q = percentile / 100
            let virtualIndex = Double(count - 1) * q
            if virtualIndex >= Double(count - 1) {
                // numpy reads the last element and, having set the previous
                // index to -1, computes gamma against -1.
                lowerRank = count - 1
                upperRank = count - 1
                gamma = virtualIndex - -1.0
            } else {
                let floorIndex = virtualIndex.rounded(.down)
                lowerRank = Int(floorIndex)
                upperRank = lowerRank + 1
                gamma = virtualIndex - floorIndex
            }
        }

        /// One plan per percentile of `count` values, in the order asked.
        ///
        /// - Precondition: `count > 0` and every percentile in `0...100`.
        static func plans(_ percentiles: [Double], count: Int) -> [InterpolationPlan] {
            precondition(count > 0, "percentile of an empty column")
            precondition(percentiles.allSatisfy { (0...100).contains($0) }, "percentiles must be in 0...100")
            return percentiles.map { InterpolationPlan(percentile: $0, count: count) }
        }

        /// The ranks the plans read, sorted and unique.
        static func ranks(of plans: [InterpolationPlan]) -> [Int] {
            var ranks = [Int]()
            ranks.reserveCapacity(2 * plans.count)
            for plan in plans { ranks.append(plan.lowerRank); ranks.append(plan.upperRank) }
            ranks.sort()
            var unique = [Int]()
            unique.reserveCapacity(ranks.count)
            for rank in ranks where unique.last != rank { unique.append(rank) }
            return unique
        }

        /// numpy's `_lerp`, including its switch to interpolating from the
        /// upper neighbour when `gamma >= 0.5`.
        @usableFromInline
        func interpolate(lower a: Double, upper b: Double) -> Double {
            let difference = b - a
            return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma
        }
    }
}

/// Quickselect (branch-free Lomuto partition, randomised median-of-three
/// pivots) for several ranks at once.
@usableFromInline
internal enum MultiSelection {
    /// Ranges this short are insertion-sorted.
    static let smallRange = 24

    /// Reorders `values` so that each of `ranks` (sorted, unique) holds the
    /// element a full sort would put there.
    ///
    /// Each recursion path has its own depth budget (2 log2 n partitions),
    /// so that the branches of a multi-rank search do not share one: a path
    /// that exhausts its budget sorts only its own sub-range.
    ///
    /// The values must hold no NaN (the callers answer NaN before selecting).
    static func select(_ values: UnsafeMutableBufferPointer<Double>, ranks: [Int]) {
        guard !ranks.isEmpty else { return }
        let depthBudget = 2 * (Int.bitWidth - values.count.leadingZeroBitCount)
        var rng = SelectionPivotGenerator(seed: UInt64(truncatingIfNeeded: values.count) &* 0x9E37_79B9_7F4A_7C15)
        ranks.withUnsafeBufferPointer { ranks in
            select(values, lo: 0, hi: values.count, ranks: ranks, depthBudget: depthBudget, rng: &rng)
        }
    }

    private static func select(
        _ v: UnsafeMutableBufferPointer<Double>, lo: Int, hi: Int, ranks: UnsafeBufferPointer<Int>,
        depthBudget: Int, rng: inout SelectionPivotGenerator
    ) {
        var lo = lo, hi = hi, ranks = ranks, depthBudget = depthBudget
        while !ranks.isEmpty {
            if hi - lo <= smallRange {
                insertionSort(v, lo: lo, hi: hi)
                return
            }
            if depthBudget <= 0 {
                var range = UnsafeMutableBufferPointer(rebasing: v[lo..<hi])
                range.sort()
                return
            }
            depthBudget -= 1
            let pivot = medianOfThree(v[lo + Int(rng.next() % UInt64(hi - lo))],
                                      v[lo + (hi - lo) / 2],
                                      v[lo + Int(rng.next() % UInt64(hi - lo))])
            // [lo, split) < pivot <= [split, hi); the pivot is in the range,
            // so split < hi.
            let split = partition(v, lo: lo, hi: hi) { $0 < pivot }
            if split == lo {
                // Nothing is below the pivot (the minimum, perhaps repeated):
                // [lo, equalEnd) == pivot settles the ranks there, and the
                // search goes on above them, so runs of duplicates cannot
                // stall it.
                let equalEnd = partition(v, lo: lo, hi: hi) { $0 <= pivot }
                var settled = 0
                while settled < ranks.count && ranks[settled] < equalEnd { settled += 1 }
                ranks = UnsafeBufferPointer(rebasing: ranks[settled...])
                lo = equalEnd
                continue
            }
            // Ranks below the split go left, the others right.
            var belowCount = 0
            while belowCount < ranks.count && ranks[belowCount] < split { belowCount += 1 }
            let below = UnsafeBufferPointer(rebasing: ranks[..<belowCount])
            let above = UnsafeBufferPointer(rebasing: ranks[belowCount...])
            if !below.isEmpty && !above.isEmpty {
                select(v, lo: lo, hi: split, ranks: below, depthBudget: depthBudget, rng: &rng)
                lo = split; ranks = above
            } else if !below.isEmpty {
                hi = split; ranks = below
            } else {
                lo = split; ranks = above
            }
        }
    }

    /// Moves the elements of `[lo, hi)` that satisfy `isLeft` to the front
    /// and returns where the others start, without a branch on the data:
    /// every element is swapped with the boundary and the boundary advances
    /// by the comparison's 0 or 1 (Lomuto's scheme, branch-free). A branch
    /// per element, as in Hoare's scheme, mispredicts about every other
    /// element on unordered data, which made a 100,000-value selection cost
    /// about 15 ns per value.
    ///
    /// - Complexity: O(hi − lo), two loads and two stores per element.
    @inline(__always)
    static func partition(_ v: UnsafeMutableBufferPointer<Double>, lo: Int, hi: Int,
                          _ isLeft: (Double) -> Bool) -> Int {
        guard let base = v.baseAddress else { return lo }
        var boundary = lo
        for i in lo..<hi {
            let x = base[i]
            base[i] = base[boundary]
            base[boundary] = x
            boundary &+= bit(isLeft(x))
        }
        return boundary
    }

    /// 1 for `true`, 0 for `false`, as data: a `? 1 : 0` became a select
    /// that LLVM turned back into a branch inside the partition loop (the
    /// boundary is carried from one element to the next).
    @inline(__always)
    static func bit(_ condition: Bool) -> Int {
        Int(truncatingIfNeeded: unsafeBitCast(condition, to: UInt8.self))
    }

    @inline(__always)
    private static func insertionSort(_ v: UnsafeMutableBufferPointer<Double>, lo: Int, hi: Int) {
        guard hi - lo > 1 else { return }
        for i in (lo + 1)..<hi {
            let x = v[i]
            var j = i
            while j > lo && v[j - 1] > x {
                v[j] = v[j - 1]
                j -= 1
            }
            v[j] = x
        }
    }

    private static func medianOfThree(_ a: Double, _ b: Double, _ c: Double) -> Double {
        max(min(a, b), min(max(a, b), c))
    }
}

/// A tiny xorshift generator for pivot choice: random pivots defeat crafted
/// inputs, a fixed seed keeps runs reproducible.
internal struct SelectionPivotGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed | 1 }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

/// One reusable scratch buffer of doubles for the percentile paths, so that
/// a window's copy does not map and zero fresh pages at every query. A call
/// takes the buffer (or allocates one if another thread holds it) and puts
/// the larger back. What stays cached between queries is at most
/// ``retainedLimit`` doubles (8 MiB): the bucket path needs 2 bytes per
/// record (its bucket numbers), so windows up to about 4M records; larger
/// buffers are freed after use, so windows of tens of millions of records
/// keep nothing extra.
enum ScratchPool {
    /// The largest buffer kept between calls, in doubles.
    static let retainedLimit = 1 << 20

    private struct Buffer: @unchecked Sendable {
        var base: UnsafeMutablePointer<Double>
        var capacity: Int
    }

    private static let cached = Mutex<Buffer?>(nil)

    /// Calls `body` with `count` uninitialised doubles (treated as
    /// initialised trivially: `Double` has no lifetime to manage).
    static func withScratch<R>(count: Int, _ body: (UnsafeMutableBufferPointer<Double>) -> R) -> R {
        var buffer = cached.withLock { slot -> Buffer? in
            defer { slot = nil }
            return slot
        }
        if buffer == nil || buffer!.capacity < count {
            if let old = buffer { old.base.deallocate() }
            let capacity = max(count, 1)
            buffer = Buffer(base: .allocate(capacity: capacity), capacity: capacity)
        }
        let result = body(UnsafeMutableBufferPointer(start: buffer!.base, count: count))
        let returned = buffer!
        guard returned.capacity <= retainedLimit else {
            returned.base.deallocate()
            return result
        }
        cached.withLock { slot in
            if let held = slot, held.capacity >= returned.capacity {
                returned.base.deallocate()
            } else {
                if let held = slot { held.base.deallocate() }
                slot = returned
            }
        }
        return result
    }
}
