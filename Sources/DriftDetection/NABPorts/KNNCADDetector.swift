import Foundation

/// NAB's KNN-CAD (`nab/detectors/knncad`; Ishimtsev, Burnaev et al.,
/// "Conformal k-NN Anomaly Detector for Univariate Data Streams", 2017,
/// arXiv:1608.04585): inductive conformal anomaly detection on the lag
/// vectors of the last `dim` (19) values, with the sum of squared
/// Mahalanobis-type distances to the `k` (27) nearest training vectors as
/// non-conformity measure.
///
/// Step for step as NAB's code:
/// - the vectors of the probationary period are the training set; at the first
///   scored row each training vector's measure (its own distance included) fills
///   the calibration scores;
/// - the metric is `dᵀ Σ d` with `Σ = (XᵀX)⁻¹` of the training matrix,
///   re-estimated when the row count modulo the probationary period is 0 or
///   half of it (kept when `XᵀX` is singular);
/// - a row scores the share of calibration scores below its own measure; its
///   measure then replaces the oldest calibration score, and from twice the
///   probationary period on the oldest calibration vector replaces the oldest
///   training vector;
/// - post-processing inside the detector: after a score ≥ 0.9965 the next
///   `probation/5` rows report 0.5.
///
/// `dᵀ Σ d` is computed as `‖L⁻¹d‖²` with `XᵀX = LLᵀ` (Cholesky), so each
/// vector is transformed once per estimate; when the Cholesky factorisation
/// fails on a matrix LU can still invert, the quadratic form with the LU
/// inverse is used instead, as NumPy would.
public struct KNNCADDetector {
    public let k: Int
    public let dim: Int
    public let probation: Double

    private var buffer: [Double] = []
    private var training: [[Double]] = []
    /// The training vectors after `transform`, flat (`dim` values each).
    private var transformed: [Double] = []
    private var calibration: [[Double]] = []
    private var scores: [Double] = []
    private var recordCount = 0
    private var pred = -1
    /// `L⁻¹` (row-major, lower triangular) when the metric is Cholesky-factored.
    private var inverseFactor: [Double]?
    /// `Σ` itself when it is not (the identity before the first estimate).
    private var sigma: [Double]

    /// - Parameter probation: NAB's probationary period of the file,
    ///   `min(floor(0.15·rows), 750)`.
    public init(probation: Double, k: Int = 27, dim: Int = 19) {
        self.k = k
        self.dim = dim
        self.probation = probation
        sigma = (0..<(dim * dim)).map { $0 / dim == $0 % dim ? 1 : 0 }
    }

    public static func scores(_ values: [Double]) -> [Double] {
        let probation = min((0.15 * Double(values.count)).rounded(.down), 0.15 * 5000)
        var detector = KNNCADDetector(probation: probation)
        return values.map { detector.update($0) }
    }

    public mutating func update(_ value: Double) -> Double {
        buffer.append(value)
        recordCount += 1
        guard buffer.count >= dim else { return 0 }
        let item = Array(buffer[(buffer.count - dim)...])
        if Double(recordCount) < probation {
            training.append(item)
            return 0
        }
        let ost = Double(recordCount).truncatingRemainder(dividingBy: probation)
        if ost == 0 || ost == Double(Int(probation / 2)) { estimateMetric() }
        if scores.isEmpty {
            scores = training.indices.map { ncm(Array(transformed[($0 * dim)..<(($0 + 1) * dim)]), raw: training[$0], includesItself: true) }
        }
        let newScore = ncm(transform(item), raw: item, includesItself: false)
        let below = scores.reduce(0) { $0 + ($1 < newScore ? 1 : 0) }
        let result = Double(below) / Double(scores.count)
        if Double(recordCount) >= 2 * probation {
            training.removeFirst()
            transformed.removeFirst(dim)
            let entering = calibration.removeFirst()
            training.append(entering)
            transformed.append(contentsOf: transform(entering))
        }
        scores.removeFirst()
        calibration.append(item)
        scores.append(newScore)
        if pred > 0 {
            pred -= 1
            return 0.5
        } else if result >= 0.9965 {
            pred = Int(probation / 5)
        }
        return result
    }

    /// Sum of the `k` (or `k + 1`) smallest distances to the training vectors.
    private func ncm(_ y: [Double], raw: [Double], includesItself: Bool) -> Double {
        let count = k + (includesItself ? 1 : 0)
        var smallest: [Double] = []  // ascending, at most `count`
        smallest.reserveCapacity(count + 1)
        for i in training.indices {
            let d = distance(y, raw, i)
            if smallest.count == count {
                guard d < smallest[count - 1] else { continue }
                smallest.removeLast()
            }
            var j = smallest.count
            while j > 0, smallest[j - 1] > d { j -= 1 }
            smallest.insert(d, at: j)
        }
        // np.sum of the partition: pairwise order does not matter at this size
        // beyond the last bit; the comparison against calibration scores is
        // what counts.
        return smallest.reduce(0, +)
    }

    private func distance(_ y: [Double], _ raw: [Double], _ i: Int) -> Double {
        if inverseFactor != nil {
            return transformed.withUnsafeBufferPointer { t in
                y.withUnsafeBufferPointer { y in
                    var s = 0.0
                    let base = i * dim
                    for j in 0..<dim { let d = t[base + j] - y[j]; s += d * d }
                    return s
                }
            }
        }
        let a = training[i]
        var diff = [Double](repeating: 0, count: dim)
        for j in 0..<dim { diff[j] = a[j] - raw[j] }
        var s = 0.0
        for r in 0..<dim {
            var row = 0.0
            for c in 0..<dim { row += diff[c] * sigma[c * dim + r] }
            s += row * diff[r]
        }
        return s
    }

    private func transform(_ x: [Double]) -> [Double] {
        guard let l = inverseFactor else { return x }
        var y = [Double](repeating: 0, count: dim)
        for r in 0..<dim {
            var s = 0.0
            for c in 0...r { s += l[r * dim + c] * x[c] }
            y[r] = s
        }
        return y
    }

    /// `Σ = (XᵀX)⁻¹`, kept as `L⁻¹` when `XᵀX` is positive definite.
    private mutating func estimateMetric() {
        let n = dim
        var gram = [Double](repeating: 0, count: n * n)
        for v in training {
            for r in 0..<n { let vr = v[r]; for c in r..<n { gram[r * n + c] += vr * v[c] } }
        }
        for r in 0..<n { for c in 0..<r { gram[r * n + c] = gram[c * n + r] } }
        if let lInverse = Self.choleskyInverseFactor(gram, n) {
            inverseFactor = lInverse
        } else if let inverse = Self.luInverse(gram, n) {
            inverseFactor = nil
            sigma = inverse
        }  // else singular: NumPy raises LinAlgError and NAB keeps the previous Σ
        transformed = training.flatMap { transform($0) }
    }

    static func choleskyInverseFactor(_ a: [Double], _ n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var d = a[j * n + j]
            for p in 0..<j { d -= l[j * n + p] * l[j * n + p] }
            guard d > 0, d.isFinite else { return nil }
            let ljj = d.squareRoot()
            l[j * n + j] = ljj
            for i in (j + 1)..<max(j + 1, n) {
                var s = a[i * n + j]
                for p in 0..<j { s -= l[i * n + p] * l[j * n + p] }
                l[i * n + j] = s / ljj
            }
        }
        // Invert the lower-triangular factor by forward substitution.
        var inv = [Double](repeating: 0, count: n * n)
        for col in 0..<n {
            for r in col..<n {
                var s = r == col ? 1.0 : 0.0
                for p in col..<r { s -= l[r * n + p] * inv[p * n + col] }
                inv[r * n + col] = s / l[r * n + r]
            }
        }
        guard inv.allSatisfy(\.isFinite) else { return nil }
        return inv
    }

    /// Gauss–Jordan with partial pivoting; `nil` on an exactly zero pivot (as LAPACK's getrf).
    static func luInverse(_ a: [Double], _ n: Int) -> [Double]? {
        var m = a
        var inv = (0..<(n * n)).map { $0 / n == $0 % n ? 1.0 : 0.0 }
        for col in 0..<n {
            var pivot = col
            for r in col..<n where abs(m[r * n + col]) > abs(m[pivot * n + col]) { pivot = r }
            guard m[pivot * n + col] != 0 else { return nil }
            if pivot != col {
                for c in 0..<n { m.swapAt(pivot * n + c, col * n + c); inv.swapAt(pivot * n + c, col * n + c) }
            }
            let p = m[col * n + col]
            for c in 0..<n { m[col * n + c] /= p; inv[col * n + c] /= p }
            for r in 0..<n where r != col {
                let f = m[r * n + col]
                guard f != 0 else { continue }
                for c in 0..<n { m[r * n + c] -= f * m[col * n + c]; inv[r * n + c] -= f * inv[col * n + c] }
            }
        }
        return inv
    }
}
