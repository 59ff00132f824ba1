import Foundation

/// Numenta's anomaly likelihood (Ahmad et al., "Unsupervised real-time
/// anomaly detection for streaming data", Neurocomputing 2017; NuPIC's
/// `anomaly_likelihood.py`, the post-processing of NAB's HTM detector): how
/// unusual the recent raw anomaly scores are against their own history.
///
/// - The short-term mean of the raw scores (the last `averagingWindow`) is
///   compared with a Gaussian fitted to the moving averages of the last
///   `historicWindowSize` raw scores (re-fitted every `reestimationPeriod`
///   steps, the first `learningPeriod` of them skipped; the mean is floored at
///   0.03 and the variance at 0.0003, and a flat input series gives a very
///   broad distribution);
/// - the likelihood is one minus the two-sided Gaussian tail probability of
///   that mean;
/// - a tail probability in the red zone (≤ 1 − 0.99999) right after another
///   one in it is raised to the yellow zone (1 − 0.999), so a lasting anomaly
///   stands out once;
/// - for the first `learningPeriod + estimationSamples` steps the likelihood
///   is 0.5.
///
/// No value after the current one is used.
public struct AnomalyLikelihood: Sendable {
    public let learningPeriod: Int
    public let estimationSamples: Int
    public let historicWindowSize: Int
    public let reestimationPeriod: Int
    public let averagingWindow: Int

    private var iteration = 0
    /// The last `historicWindowSize` (value, raw score) pairs, a ring.
    private var historyValues: [Double] = []
    private var historyScores: [Double] = []
    private var historyStart = 0
    private var mean = 0.0
    private var standardDeviation = 0.0
    private var hasDistribution = false
    /// The moving average's window and sum.
    private var recent: [Double] = []
    private var recentStart = 0
    private var recentTotal = 0.0
    /// The last unfiltered tail probability.
    private var previousTail = 1.0

    static let redZone = 1.0 - 0.99999
    static let yellowZone = 1.0 - 0.999

    /// - Precondition: `learningPeriod ≥ 0`, `estimationSamples ≥ 0`,
    ///   `historicWindowSize ≥ estimationSamples`, `historicWindowSize > 0`,
    ///   `reestimationPeriod > 0`, `averagingWindow > 0`.
    public init(learningPeriod: Int, estimationSamples: Int, historicWindowSize: Int = 8_640,
                reestimationPeriod: Int = 100, averagingWindow: Int = 10) {
        precondition(learningPeriod >= 0 && estimationSamples >= 0 && historicWindowSize >= estimationSamples
                     && historicWindowSize > 0 && reestimationPeriod > 0 && averagingWindow > 0,
                     "AnomalyLikelihood: invalid parameters")
        self.learningPeriod = learningPeriod
        self.estimationSamples = estimationSamples
        self.historicWindowSize = historicWindowSize
        self.reestimationPeriod = reestimationPeriod
        self.averagingWindow = averagingWindow
    }

    /// NAB's HTM set-up for a file whose probationary period is `probation`
    /// rows: half of it to learn, the other half to estimate, re-fitted every
    /// 100 rows.
    public init(probation: Int) {
        let learning = probation / 2
        self.init(learningPeriod: learning, estimationSamples: max(0, probation - learning))
    }

    /// The likelihood that the current raw score marks an anomaly, in [0, 1].
    ///
    /// - Complexity: Amortised O(`historicWindowSize` / `reestimationPeriod`).
    public mutating func probability(value: Double, rawScore: Double) -> Double {
        var likelihood = 0.5
        if iteration >= learningPeriod + estimationSamples {
            if !hasDistribution || iteration % reestimationPeriod == 0 { estimate() }
            let average = pushRecent(rawScore)
            let tail = Self.tailProbability(average, mean: mean, standardDeviation: standardDeviation)
            let filtered = tail <= Self.redZone && previousTail <= Self.redZone ? Self.yellowZone : tail
            previousTail = tail
            likelihood = 1 - filtered
        }
        appendHistory(value: value, score: rawScore)
        iteration += 1
        return likelihood
    }

    /// `log(1.0000000001 − likelihood) / log(1 − 0.9999999999)`: the
    /// likelihood on a scale where four nines are 0.4 and ten nines 1.
    public static func logLikelihood(_ likelihood: Double) -> Double {
        log(1.0000000001 - likelihood) / -23.02585084720009
    }

    /// The two-sided tail probability of `x` under a Gaussian (NuPIC's
    /// `tailProbability`, with its √2 taken as 1.4142).
    static func tailProbability(_ x: Double, mean: Double, standardDeviation: Double) -> Double {
        let xp = x < mean ? 2 * mean - x : x
        let z = (xp - mean) / standardDeviation
        return 0.5 * erfc(z / 1.4142)
    }

    private mutating func pushRecent(_ score: Double) -> Double {
        if recent.count - recentStart < averagingWindow {
            recent.append(score)
        } else {
            recentTotal -= recent[recentStart]
            recentStart += 1
            recent.append(score)
            if recentStart >= 4 * averagingWindow { recent.removeFirst(recentStart); recentStart = 0 }
        }
        recentTotal += score
        return recentTotal / Double(recent.count - recentStart)
    }

    private mutating func appendHistory(value: Double, score: Double) {
        historyValues.append(value); historyScores.append(score)
        if historyValues.count - historyStart > historicWindowSize { historyStart += 1 }
        if historyStart >= historicWindowSize {
            historyValues.removeFirst(historyStart); historyScores.removeFirst(historyStart); historyStart = 0
        }
    }

    /// Re-fits the Gaussian to the history's moving averages and restarts the
    /// moving average and the filter from the history's end.
    private mutating func estimate() {
        let scores = historyScores[historyStart...], values = historyValues[historyStart...]
        let shiftedOut = max(0, iteration - historicWindowSize)
        let skip = min(iteration, max(0, learningPeriod - shiftedOut))
        var averages: [Double] = []
        averages.reserveCapacity(scores.count)
        recent.removeAll(keepingCapacity: true); recentStart = 0; recentTotal = 0
        for s in scores { averages.append(pushRecent(s)) }
        if averages.count <= skip {
            (mean, standardDeviation) = (0.5, 1e3)
        } else {
            let used = averages[skip...]
            let n = Double(used.count)
            var m = used.reduce(0, +) / n
            var variance = used.reduce(0) { $0 + ($1 - m) * ($1 - m) } / n
            m = max(m, 0.03)
            variance = max(variance, 0.0003)
            (mean, standardDeviation) = (m, variance.squareRoot())
            let metric = values.dropFirst(skip)
            let metricMean = metric.reduce(0, +) / n
            let metricVariance = metric.reduce(0) { $0 + ($1 - metricMean) * ($1 - metricMean) } / n
            if metricVariance < 1.5e-5 { (mean, standardDeviation) = (0.5, 1e3) }
        }
        previousTail = averages.last.map { Self.tailProbability($0, mean: mean, standardDeviation: standardDeviation) } ?? 1
        hasDistribution = true
    }
}
