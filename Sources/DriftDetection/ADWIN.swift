import Foundation

/// ADWIN, the adaptive windowing change detector (Bifet & Gavaldà, "Learning
/// from Time-Changing Data with Adaptive Windowing", SDM 2007), in its
/// ADWIN2 form, step for step as River's `drift.ADWIN` (0.26, whose
/// `AdaptiveWindowing` is a line-by-line port of its earlier `adwin_c.pyx`),
/// with the same floating-point operations in the same order:
///
/// - The window is an exponential histogram: row `i` holds up to
///   `maxBuckets` buckets of 2ⁱ inputs (sum and sum of squared deviations),
///   oldest first; when a row reaches `maxBuckets + 1` its two oldest
///   buckets merge into one of row `i + 1`.
/// - Every `clock` inputs, once the window holds more than `gracePeriod`,
///   the cuts W = W₀·W₁ are tested from the oldest bucket on (the cut
///   before the newest bucket excepted): with `n₀, n₁ ≥ minWindowLength`, a
///   cut holds when `|μ̂₀ − μ̂₁| > ε`,
///   `ε = sqrt(2·(1/m)·(σ²_W)·δ′) + 2/3·δ′·(1/m)`, `δ′ = ln(2 ln|W| / δ)`,
///   `1/m = 1/(n₀ − ℓ + 1) + 1/(n₁ − ℓ + 1)` (ℓ = `minWindowLength`,
///   σ²_W = the window's sum of squared deviations over its width). On the
///   first cut that holds, the oldest bucket is dropped and the scan starts
///   again; the input reports a drift if any cut held.
/// - The input after a drift starts afresh: River's `ADWIN.update` resets
///   the whole detector (window, clock) when `drift_detected` is set.
///
/// The score (DriftLab's) is the largest `|μ̂₀ − μ̂₁| / ε` over the cuts
/// tested at the last check.
///
/// Defaults are River's: `delta=0.002, clock=32, max_buckets=5,
/// min_window_length=5, grace_period=10`.
public struct ADWIN: StreamingDetector {
    public var delta: Double
    public var clock: Int
    public var maxBuckets: Int
    public var minWindowLength: Int
    public var gracePeriod: Int

    /// rows[i]: buckets of 2ⁱ inputs, oldest first.
    private var totals: [[Double]] = [[]]
    private var variances: [[Double]] = [[]]
    private var widthValue = 0.0
    private var total = 0.0
    private var variance = 0.0
    private var tick = 0
    private var lastScore = 0.0
    private var detected = false

    public var name: String { "adwin" }

    /// - Precondition: `clock ≥ 1`, `maxBuckets ≥ 1`.
    public init(delta: Double = 0.002, clock: Int = 32, maxBuckets: Int = 5, minWindowLength: Int = 5, gracePeriod: Int = 10) {
        precondition(clock >= 1 && maxBuckets >= 1, "clock and max_buckets must be at least 1")
        self.delta = delta
        self.clock = clock
        self.maxBuckets = maxBuckets
        self.minWindowLength = minWindowLength
        self.gracePeriod = gracePeriod
    }

    /// The number of inputs in the window.
    public var width: Int { Int(widthValue) }
    /// The mean of the current window (River's `estimation`).
    public var mean: Double { widthValue > 0 ? total / widthValue : 0 }

    public mutating func reset() {
        totals = [[]]
        variances = [[]]
        widthValue = 0; total = 0; variance = 0; tick = 0; lastScore = 0; detected = false
    }

    /// - Complexity: O(log W) amortised; O(log² W) on the inputs that test cuts.
    public mutating func update(_ x: Double) -> Detection {
        if detected { reset() }
        insert(x)
        detected = detectChange()
        return Detection(score: lastScore, alarm: detected)
    }

    private mutating func insert(_ value: Double) {
        totals[0].append(value)
        variances[0].append(0)
        widthValue += 1.0
        var incrementalVariance = 0.0
        if widthValue > 1.0 {
            let deltaV = value - total / (widthValue - 1.0)
            incrementalVariance = (widthValue - 1.0) * deltaV * deltaV / widthValue
        }
        variance += incrementalVariance
        total += value
        compress()
    }

    private mutating func compress() {
        var row = 0
        while totals[row].count == maxBuckets + 1 {
            let n1 = Double(UInt64(1) << row)
            let t0 = totals[row][0], t1 = totals[row][1]
            let v0 = variances[row][0], v1 = variances[row][1]
            let mu1 = t0 / n1
            let mu2 = t1 / n1
            let total12 = t0 + t1
            let temp = n1 * 0.5 * (mu1 - mu2) * (mu1 - mu2)
            let v12 = v0 + v1 + temp
            if row + 1 >= totals.count {
                totals.append([])
                variances.append([])
            }
            totals[row + 1].append(total12)
            variances[row + 1].append(v12)
            totals[row].removeFirst(2)
            variances[row].removeFirst(2)
            guard totals[row + 1].count > maxBuckets else { break }
            row += 1
        }
    }

    private mutating func deleteOldest() {
        let last = totals.count - 1
        let n = Double(UInt64(1) << last)
        let u = totals[last][0], v = variances[last][0]
        let mu = u / n
        widthValue -= n
        total -= u
        let muWindow = total / widthValue
        let increment = v + n * widthValue * (mu - muWindow) * (mu - muWindow) / (n + widthValue)
        variance -= increment
        totals[last].removeFirst()
        variances[last].removeFirst()
        if totals[last].isEmpty {
            totals.removeLast()
            variances.removeLast()
            if totals.isEmpty { totals = [[]]; variances = [[]] }
        }
    }

    private mutating func detectChange() -> Bool {
        var changeDetected = false
        tick += 1
        guard tick % clock == 0, widthValue > Double(gracePeriod) else { return false }
        lastScore = 0
        let minLength = Double(minWindowLength)
        var reduceWidth = true
        while reduceWidth {
            reduceWidth = false
            var n0 = 0.0, n1 = widthValue, u0 = 0.0, u1 = total
            scan: for row in stride(from: totals.count - 1, through: 0, by: -1) {
                let bucketSize = Double(UInt64(1) << row)
                let count = totals[row].count
                for k in 0..<count {
                    n0 += bucketSize
                    n1 -= bucketSize
                    let value = totals[row][k]
                    u0 += value
                    u1 -= value
                    if row == 0 && k == count - 1 { break scan }
                    let deltaMean = (u0 / n0) - (u1 / n1)
                    guard n1 >= minLength, n0 >= minLength else { continue }
                    let deltaPrime = log(2.0 * log(widthValue) / delta)
                    let mReciprocal = 1.0 / (n0 - minLength + 1.0) + 1.0 / (n1 - minLength + 1.0)
                    let epsilon = (2.0 * mReciprocal * (variance / widthValue) * deltaPrime).squareRoot()
                        + 2.0 / 3.0 * deltaPrime * mReciprocal
                    if epsilon > 0 { lastScore = max(lastScore, abs(deltaMean) / epsilon) }
                    if abs(deltaMean) > epsilon {
                        reduceWidth = true
                        changeDetected = true
                        if widthValue > 0 {
                            deleteOldest()
                            break scan
                        }
                    }
                }
            }
        }
        return changeDetected
    }
}
