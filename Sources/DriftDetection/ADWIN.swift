import Foundation

/// ADWIN, the adaptive windowing change detector (Bifet & Gavaldà, "Learning
/// from Time-Changing Data with Adaptive Windowing", SDM 2007), in its
/// ADWIN2 form: the window is kept as an exponential histogram of buckets
/// (at most `maxBuckets` per size 2ⁱ), and every `clock` inputs every
/// bucket boundary is tested as a cut W = W₀·W₁. When
/// `|μ̂₀ − μ̂₁| > ε_cut`, with
/// `ε_cut = sqrt(2/m · σ²_W · δ′) + 2/(3m) · δ′`, `δ′ = ln(2 ln|W| / δ)`,
/// `1/m = 1/(n₀ − ℓ + 1) + 1/(n₁ − ℓ + 1)` (ℓ the minimum sub-window
/// length), the oldest bucket is dropped and the test repeats. Its guarantee:
/// false alarms with probability at most δ; a change of the mean is
/// detected with high probability once the window holds enough data after it.
///
/// Defaults are River's `drift.ADWIN`: `delta=0.002, clock=32,
/// max_buckets=5, min_window_length=5, grace_period=10`.
public struct ADWIN: StreamingDetector {
    public var delta: Double
    public var clock: Int
    public var maxBuckets: Int
    public var minWindowLength: Int
    public var gracePeriod: Int

    /// rows[i] holds buckets of 2ⁱ inputs, oldest first: (sum, sum of squared deviations).
    private var rows: [[(total: Double, m2: Double)]] = [[]]
    public private(set) var width = 0
    private var total = 0.0
    private var m2 = 0.0
    private var tick = 0
    private var lastScore = 0.0

    public var name: String { "adwin" }

    public init(delta: Double = 0.002, clock: Int = 32, maxBuckets: Int = 5, minWindowLength: Int = 5, gracePeriod: Int = 10) {
        self.delta = delta
        self.clock = clock
        self.maxBuckets = maxBuckets
        self.minWindowLength = minWindowLength
        self.gracePeriod = gracePeriod
    }

    /// The mean of the current window.
    public var mean: Double { width > 0 ? total / Double(width) : 0 }

    public mutating func reset() {
        rows = [[]]
        width = 0; total = 0; m2 = 0; tick = 0; lastScore = 0
    }

    /// - Complexity: O(log W) amortised; O(log² W) on the inputs that test cuts.
    public mutating func update(_ x: Double) -> Detection {
        insert(x)
        tick += 1
        guard tick % clock == 0, width > gracePeriod else { return Detection(score: lastScore, alarm: false) }
        var detected = false
        lastScore = 0
        while let cutScore = strongestCut(), cutScore.exceeds {
            detected = true
            lastScore = max(lastScore, cutScore.ratio)
            dropOldestBucket()
        }
        if !detected { lastScore = strongestCut()?.ratio ?? 0 }
        return Detection(score: lastScore, alarm: detected)
    }

    private mutating func insert(_ x: Double) {
        width += 1
        if width > 1 {
            let previousMean = total / Double(width - 1)
            m2 += Double(width - 1) * (x - previousMean) * (x - previousMean) / Double(width)
        }
        total += x
        rows[0].append((x, 0))
        var row = 0
        while rows[row].count > maxBuckets {
            let size = Double(1 << row)
            let a = rows[row][0], b = rows[row][1]
            let difference = a.total / size - b.total / size
            let merged = (a.total + b.total, a.m2 + b.m2 + size * size * difference * difference / (2 * size))
            rows[row].removeFirst(2)
            if row + 1 == rows.count { rows.append([]) }
            rows[row + 1].append(merged)
            row += 1
        }
    }

    /// Tests every cut between buckets (oldest first) and returns the one
    /// with the largest `|Δμ| / ε_cut`, and whether any cut exceeds ε.
    private func strongestCut() -> (ratio: Double, exceeds: Bool)? {
        guard width > 1 else { return nil }
        let variance = m2 / Double(width)
        let deltaPrime = log(2 * log(Double(width)) / delta)
        var n0 = 0.0, u0 = 0.0
        var best = 0.0
        var exceeds = false
        let minLength = Double(minWindowLength)
        var remaining = rows.reduce(0) { $0 + $1.count }
        for row in stride(from: rows.count - 1, through: 0, by: -1) {
            let size = Double(1 << row)
            for bucket in rows[row] {
                remaining -= 1
                if remaining == 0 { break }  // W₁ must not be empty
                n0 += size
                u0 += bucket.total
                let n1 = Double(width) - n0
                guard n0 >= minLength, n1 >= minLength else { continue }
                let deltaMean = u0 / n0 - (total - u0) / n1
                let mReciprocal = 1 / (n0 - minLength + 1) + 1 / (n1 - minLength + 1)
                let epsilon = (2 * mReciprocal * variance * deltaPrime).squareRoot() + 2.0 / 3.0 * deltaPrime * mReciprocal
                let ratio = epsilon > 0 ? abs(deltaMean) / epsilon : 0
                best = max(best, ratio)
                if abs(deltaMean) > epsilon { exceeds = true }
            }
        }
        return (best, exceeds)
    }

    private mutating func dropOldestBucket() {
        guard let row = rows.indices.last(where: { !rows[$0].isEmpty }) else { return }
        let bucket = rows[row].removeFirst()
        let n = Double(1 << row)
        width -= 1 << row
        total -= bucket.total
        if width > 0 {
            let bucketMean = bucket.total / n
            let restMean = total / Double(width)
            m2 -= bucket.m2 + n * Double(width) * (bucketMean - restMean) * (bucketMean - restMean) / (n + Double(width))
            m2 = max(0, m2)
        } else {
            m2 = 0
        }
        while rows.count > 1, rows[rows.count - 1].isEmpty { rows.removeLast() }
    }
}
