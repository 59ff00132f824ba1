/// The Page–Hinkley test (Page 1954; Hinkley 1971) for a change in the mean,
/// two-sided, as River's `drift.PageHinkley`.
///
/// With the running mean x̄ₜ, it keeps `Uₜ = α Uₜ₋₁ + (xₜ − x̄ₜ − δ)` and
/// `Lₜ = α Lₜ₋₁ + (xₜ − x̄ₜ + δ)` and alarms when `Uₜ − min U > λ` (an
/// increase) or `max L − Lₜ > λ` (a decrease), after `minInstances` inputs.
/// After an alarm the test starts afresh.
public struct PageHinkley: StreamingDetector {
    /// River's defaults: `min_instances=30, delta=0.005, threshold=50, alpha=1-0.0001`.
    public var minInstances = 30
    public var delta = 0.005
    public var threshold = 50.0
    public var alpha = 1 - 0.0001

    private var count = 0
    private var mean = 0.0
    private var sumIncrease = 0.0
    private var sumDecrease = 0.0
    private var minIncrease = Double.infinity
    private var maxDecrease = -Double.infinity
    private var alarmed = false

    public var name: String { "page-hinkley" }

    public init(minInstances: Int = 30, delta: Double = 0.005, threshold: Double = 50, alpha: Double = 1 - 0.0001) {
        self.minInstances = minInstances
        self.delta = delta
        self.threshold = threshold
        self.alpha = alpha
    }

    public mutating func reset() {
        count = 0; mean = 0; sumIncrease = 0; sumDecrease = 0
        minIncrease = .infinity; maxDecrease = -.infinity; alarmed = false
    }

    /// - Complexity: O(1).
    public mutating func update(_ x: Double) -> Detection {
        if alarmed { reset() }
        count += 1
        mean += (x - mean) / Double(count)
        let deviation = x - mean
        sumIncrease = alpha * sumIncrease + deviation - delta
        sumDecrease = alpha * sumDecrease + deviation + delta
        minIncrease = min(minIncrease, sumIncrease)
        maxDecrease = max(maxDecrease, sumDecrease)
        let statistic = max(sumIncrease - minIncrease, maxDecrease - sumDecrease)
        guard count >= minInstances else { return Detection(score: statistic / threshold, alarm: false) }
        alarmed = statistic > threshold
        return Detection(score: statistic / threshold, alarm: alarmed)
    }
}
