import Foundation

/// NAB's "windowed Gaussian" baseline (`nab/detectors/gaussian/windowedGaussian_detector.py`):
/// the anomaly score of a value is `1 − Q(|x − μ| / σ)`, with the mean and
/// population standard deviation of a window of the last `windowSize`
/// values, slid forward in steps of `stepSize`. An alarm when the score
/// exceeds `threshold` (NAB optimises the threshold per profile).
public struct WindowedGaussian: StreamingDetector {
    public var windowSize: Int
    public var stepSize: Int
    public var threshold: Double
    private var window: [Double] = []
    private var stepBuffer: [Double] = []
    private var mean = 0.0
    private var std = 1.0

    public var name: String { "windowed-gaussian" }

    /// NAB's defaults: a window of 6,400 values and steps of 100.
    public init(windowSize: Int = 6_400, stepSize: Int = 100, threshold: Double = 0.99999) {
        self.windowSize = windowSize
        self.stepSize = stepSize
        self.threshold = threshold
    }

    public mutating func reset() {
        window.removeAll(); stepBuffer.removeAll(); mean = 0; std = 1
    }

    /// - Complexity: O(1) amortised (O(window) every `stepSize` inputs).
    public mutating func update(_ x: Double) -> Detection {
        var score = 0.0
        if !window.isEmpty { score = 1 - tailProbability(x) }
        if window.count < windowSize {
            window.append(x)
            refit()
        } else {
            stepBuffer.append(x)
            if stepBuffer.count == stepSize {
                window.removeFirst(stepSize)
                window.append(contentsOf: stepBuffer)
                stepBuffer.removeAll()
                refit()
            }
        }
        return Detection(score: score, alarm: score > threshold)
    }

    private mutating func refit() {
        let n = Double(window.count)
        mean = window.reduce(0, +) / n
        std = (window.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        if std == 0 { std = 0.000001 }
    }

    /// The Q-function: the probability of a sample farther from the mean.
    private func tailProbability(_ x: Double) -> Double {
        let z = abs(x - mean) / std
        return 0.5 * erfc(z / 2.0.squareRoot())
    }
}

/// The EWMA control chart (Roberts 1959; Montgomery §9.2) with exact
/// time-varying limits: `zₜ = λxₜ + (1 − λ)zₜ₋₁`, an alarm when
/// `|zₜ − μ₀| > L σ₀ sqrt(λ/(2 − λ) (1 − (1 − λ)^{2t}))`, μ₀ and σ₀
/// estimated from a warm-up. Montgomery's `λ = 0.1`, `L = 2.7` give an
/// in-control average run length of about 500.
public struct EWMAChart: StreamingDetector {
    public var lambda: Double
    public var width: Double
    public var warmup: Int
    private var baseline = RunningMoments()
    private var z = 0.0
    private var steps = 0

    public var name: String { "ewma" }

    public init(lambda: Double = 0.1, width: Double = 2.7, warmup: Int = 30) {
        self.lambda = lambda
        self.width = width
        self.warmup = warmup
    }

    public mutating func reset() {
        baseline = RunningMoments(); z = 0; steps = 0
    }

    /// - Complexity: O(1).
    public mutating func update(_ x: Double) -> Detection {
        if baseline.count < warmup {
            baseline.add(x)
            z = baseline.mean
            return .quiet
        }
        steps += 1
        z = lambda * x + (1 - lambda) * z
        let sigma = max(baseline.standardDeviation, 1e-12)
        let limit = width * sigma * (lambda / (2 - lambda) * (1 - pow(1 - lambda, 2 * Double(steps)))).squareRoot()
        let score = abs(z - baseline.mean) / limit
        if score > 1 {
            reset()
            return Detection(score: score, alarm: true)
        }
        return Detection(score: score, alarm: false)
    }
}

/// The z-score chart over a sliding window: an alarm when a value lies more
/// than `threshold` standard deviations from the mean of the previous
/// `windowSize` values.
public struct ZScoreChart: StreamingDetector {
    public var windowSize: Int
    public var threshold: Double
    private var window: [Double] = []

    public var name: String { "zscore" }

    public init(windowSize: Int = 60, threshold: Double = 4) {
        self.windowSize = windowSize
        self.threshold = threshold
    }

    public mutating func reset() { window.removeAll() }

    /// - Complexity: O(window).
    public mutating func update(_ x: Double) -> Detection {
        defer {
            window.append(x)
            if window.count > windowSize { window.removeFirst() }
        }
        guard window.count >= max(2, windowSize / 2) else { return .quiet }
        let n = Double(window.count)
        let mean = window.reduce(0, +) / n
        let std = max((window.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot(), 1e-12)
        let score = abs(x - mean) / std / threshold
        return Detection(score: score, alarm: score > 1)
    }
}
