/// The two-sided tabular CUSUM (Page 1954; Montgomery, *Introduction to
/// Statistical Quality Control*, §9.1), in units of the in-control standard
/// deviation estimated from a warm-up.
///
/// `S⁺ₜ = max(0, S⁺ₜ₋₁ + zₜ − k)`, `S⁻ₜ = max(0, S⁻ₜ₋₁ − zₜ − k)` with
/// `zₜ = (xₜ − μ₀)/σ₀`; an alarm when either exceeds `h`. Montgomery's
/// recommended `k = 0.5`, `h = 5` detect a one-σ shift with an in-control
/// average run length of about 465. After an alarm the sums restart and the
/// in-control level is re-estimated.
public struct CUSUM: StreamingDetector {
    public var warmup: Int
    public var k: Double
    public var h: Double

    private var baseline = RunningMoments()
    private var upper = 0.0
    private var lower = 0.0

    public var name: String { "cusum" }

    public init(warmup: Int = 30, k: Double = 0.5, h: Double = 5) {
        self.warmup = warmup
        self.k = k
        self.h = h
    }

    public mutating func reset() {
        baseline = RunningMoments()
        upper = 0
        lower = 0
    }

    /// - Complexity: O(1).
    public mutating func update(_ x: Double) -> Detection {
        if baseline.count < warmup {
            baseline.add(x)
            return .quiet
        }
        let sigma = max(baseline.standardDeviation, 1e-12)
        let z = (x - baseline.mean) / sigma
        upper = max(0, upper + z - k)
        lower = max(0, lower - z - k)
        let statistic = max(upper, lower)
        if statistic > h {
            reset()
            return Detection(score: statistic / h, alarm: true)
        }
        return Detection(score: statistic / h, alarm: false)
    }
}

/// Welford's running mean and variance.
package struct RunningMoments: Sendable, Equatable {
    package private(set) var count = 0
    package private(set) var mean = 0.0
    private var sumOfSquares = 0.0

    package init() {}

    package mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        sumOfSquares += delta * (x - mean)
    }

    /// The population variance.
    package var variance: Double { count > 0 ? sumOfSquares / Double(count) : 0 }
    package var standardDeviation: Double { variance.squareRoot() }
}
