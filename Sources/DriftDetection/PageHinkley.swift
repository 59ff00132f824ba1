/// The Page–Hinkley test (Page 1954; Hinkley 1971) for a change in the mean,
/// step for step as River's `drift.PageHinkley` (0.26), with the same
/// floating-point operations:
///
/// - the running mean `x̄ₜ += (1/n)·(xₜ − x̄ₜ₋₁)` (River's `stats.Mean`);
/// - `Uₜ = α Uₜ₋₁ + (xₜ − x̄ₜ) − δ`, `Lₜ = α Lₜ₋₁ + (xₜ − x̄ₜ) + δ`, with
///   `min U` starting at +∞ and `max L` at −1 (River's initial values);
/// - once `n ≥ minInstances`, a drift when `Uₜ − min U > λ` (an increase,
///   mode `up`), `max L − Lₜ > λ` (a decrease, mode `down`) or either
///   (mode `both`, the default);
/// - the input after a drift starts afresh.
///
/// The score is the tested statistic over λ.
public struct PageHinkley: StreamingDetector {
    /// Which changes of the mean are tested.
    public enum Mode: String, Sendable, CaseIterable {
        case up, down, both
    }

    /// River's defaults: `min_instances=30, delta=0.005, threshold=50, alpha=1-0.0001, mode="both"`.
    public var minInstances = 30
    public var delta = 0.005
    public var threshold = 50.0
    public var alpha = 1 - 0.0001
    public var mode = Mode.both

    private var count = 0.0
    private var mean = 0.0
    private var sumIncrease = 0.0
    private var sumDecrease = 0.0
    private var minIncrease = Double.infinity
    private var maxDecrease = -1.0
    private var alarmed = false

    public var name: String { "page-hinkley" }

    public init(minInstances: Int = 30, delta: Double = 0.005, threshold: Double = 50, alpha: Double = 1 - 0.0001,
                mode: Mode = .both) {
        self.minInstances = minInstances
        self.delta = delta
        self.threshold = threshold
        self.alpha = alpha
        self.mode = mode
    }

    public mutating func reset() {
        count = 0; mean = 0; sumIncrease = 0; sumDecrease = 0
        minIncrease = .infinity; maxDecrease = -1; alarmed = false
    }

    /// - Complexity: O(1).
    public mutating func update(_ x: Double) -> Detection {
        if alarmed { reset() }
        count += 1.0
        mean += (1.0 / count) * (x - mean)
        let deviation = x - mean
        sumIncrease = alpha * sumIncrease + deviation - delta
        sumDecrease = alpha * sumDecrease + deviation + delta
        if sumIncrease < minIncrease { minIncrease = sumIncrease }
        if sumDecrease > maxDecrease { maxDecrease = sumDecrease }
        let increase = sumIncrease - minIncrease
        let decrease = maxDecrease - sumDecrease
        let statistic: Double
        switch mode {
        case .up: statistic = increase
        case .down: statistic = decrease
        case .both: statistic = max(increase, decrease)
        }
        guard count >= Double(minInstances) else { return Detection(score: statistic / threshold, alarm: false) }
        switch mode {
        case .up: alarmed = increase > threshold
        case .down: alarmed = decrease > threshold
        case .both: alarmed = increase > threshold || decrease > threshold
        }
        return Detection(score: statistic / threshold, alarm: alarmed)
    }
}
