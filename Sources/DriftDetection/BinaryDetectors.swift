import Foundation

/// DDM, the drift detection method (Gama, Medas, Castillo & Rodrigues,
/// "Learning with Drift Detection", SBIA 2004), step for step as River's
/// `drift.binary.DDM` (0.26) on a stream of 0/1 errors (1 = a mistake):
///
/// - `pᵢ` the running error rate (River's `stats.Mean`), `sᵢ = sqrt(pᵢ(1 − pᵢ)/i)`;
/// - after `warmStart` inputs: when `pᵢ + sᵢ ≤ p_min + s_min` the minimum is
///   moved to (pᵢ, sᵢ); a warning when `pᵢ + sᵢ > p_min + warningThreshold·s_min`,
///   a drift when `pᵢ + sᵢ > p_min + driftThreshold·s_min`;
/// - the input after a drift starts afresh.
///
/// The score is `(pᵢ + sᵢ − p_min) / (driftThreshold·s_min)` (above 1 at a drift).
public struct DDM: StreamingDetector {
    /// River's defaults: `warm_start=30, warning_threshold=2, drift_threshold=3`.
    public var warmStart: Int
    public var warningThreshold: Double
    public var driftThreshold: Double

    private var count = 0.0
    private var mean = 0.0
    private var pMin = 0.0
    private var sMin = 0.0
    private var psMin = Double.infinity
    private var alarmed = false
    /// Whether the last input raised a warning (River's `warning_detected`).
    public private(set) var warning = false

    public var name: String { "ddm" }

    public init(warmStart: Int = 30, warningThreshold: Double = 2, driftThreshold: Double = 3) {
        self.warmStart = warmStart
        self.warningThreshold = warningThreshold
        self.driftThreshold = driftThreshold
    }

    public mutating func reset() {
        count = 0; mean = 0; pMin = 0; sMin = 0; psMin = .infinity; alarmed = false; warning = false
    }

    /// - Complexity: O(1).
    public mutating func update(_ x: Double) -> Detection {
        if alarmed { reset() }
        count += 1.0
        mean += (1.0 / count) * (x - mean)
        let p = mean
        let s = (p * (1 - p) / count).squareRoot()
        guard count > Double(warmStart) else { return .quiet }
        if p + s <= psMin {
            pMin = p
            sMin = s
            psMin = pMin + sMin
        }
        warning = p + s > pMin + warningThreshold * sMin
        if p + s > pMin + driftThreshold * sMin {
            alarmed = true
            warning = false
        }
        let score = sMin > 0 ? (p + s - pMin) / (driftThreshold * sMin) : 0
        return Detection(score: score, alarm: alarmed)
    }
}

/// EDDM, the early drift detection method (Baena-García et al., "Early Drift
/// Detection Method", 2006), step for step as River's `drift.binary.EDDM`
/// (0.26) on a stream of 0/1 errors (1 = a mistake): it watches the distance
/// between consecutive errors, its mean p′ and standard deviation s′
/// (River's `stats.Var`, ddof 1):
///
/// - at each error after `warmStart` inputs, `p′ + 2s′` is compared with its
///   maximum so far; when it is not a new maximum and more than `warmStart`
///   errors have been seen, `level = (p′ + 2s′)/max`: a drift when
///   `level < beta`, a warning when `level < alpha`;
/// - the input after a drift starts afresh.
///
/// The score is `beta / level` at the last error tested (above 1 at a drift).
public struct EDDM: StreamingDetector {
    /// River's defaults: `warm_start=30, alpha=0.95, beta=0.9`.
    public var warmStart: Int
    public var alpha: Double
    public var beta: Double

    private var n = 0
    private var lastError = 0
    private var errors = 0
    private var distanceCount = 0.0
    private var distanceMean = 0.0
    private var distanceS = 0.0
    private var p2sMax = -1.0
    private var alarmed = false
    private var lastScore = 0.0
    /// Whether a warning is raised (River's `warning_detected`).
    public private(set) var warning = false

    public var name: String { "eddm" }

    /// - Precondition: `alpha ≥ beta`.
    public init(warmStart: Int = 30, alpha: Double = 0.95, beta: Double = 0.9) {
        precondition(alpha >= beta, "'alpha' must be greater or equal to 'beta'.")
        self.warmStart = warmStart
        self.alpha = alpha
        self.beta = beta
    }

    public mutating func reset() {
        n = 0; lastError = 0; errors = 0
        distanceCount = 0; distanceMean = 0; distanceS = 0
        p2sMax = -1; alarmed = false; lastScore = 0; warning = false
    }

    /// - Complexity: O(1).
    public mutating func update(_ x: Double) -> Detection {
        if alarmed { reset() }
        n += 1
        guard x == 1 else { return Detection(score: lastScore, alarm: false) }
        errors += 1
        // River's stats.Var.update with w = 1.
        let distance = Double(n - lastError)
        let meanOld = distanceMean
        distanceCount += 1.0
        distanceMean += (1.0 / distanceCount) * (distance - distanceMean)
        distanceS += 1.0 * (distance - meanOld) * (distance - distanceMean)
        if n > warmStart {
            let piPrime = distanceMean
            let variance = distanceCount > 1 ? distanceS / (distanceCount - 1) : 0.0
            let siPrime = pow(variance, 0.5)
            let p2sPrime = piPrime + 2 * siPrime
            if p2sPrime > p2sMax {
                p2sMax = p2sPrime
            } else if errors > warmStart {
                let level = p2sPrime / p2sMax
                lastScore = level > 0 ? beta / level : .infinity
                if level < beta {
                    alarmed = true
                } else if level < alpha {
                    warning = true
                } else {
                    warning = false
                }
            }
        }
        lastError = n
        return Detection(score: lastScore, alarm: alarmed)
    }
}
