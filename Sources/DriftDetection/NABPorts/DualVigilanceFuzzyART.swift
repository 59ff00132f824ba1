/// The dual-vigilance fuzzy ART (DVFA) network that ARTime classifies with:
/// the compact `AdaptiveResonance.DVFA` of ARTimeNAB.jl
/// (`src/AdaptiveResonanceCompact.jl`, derived from AdaptiveResonance.jl;
/// after da Silva, Elnabarawy & Wunsch, "Dual vigilance fuzzy adaptive
/// resonance theory", Neural Networks 109, 2019), with ARTime's changes.
///
/// Samples are complement coded (`x ++ (1 − x)`). A category's match with a
/// sample is `M = fs³ · es²`, where `fs = |min(x, w)|₁ / |w|₁` (the feature
/// similarity; `|w|₁ = 0` counts as 0.001) and `es` the same ratio over the
/// last feature and its complement only (the "energy" similarity). Training
/// one sample:
/// - every category with `M ≥ ρ_ub` learns it (fast commit: `w ← min(x, w)`);
/// - otherwise the sample becomes a new category: attached to the best
///   category when its `M ≥ ρ_lb`, a new cluster (a mismatch) when not;
/// - the best `M` (the activation `A`, 0 when no category matches above 0)
///   and that category's `es` (`Aₑ`) are recorded per sample.
///
/// The Julia code visits the categories in descending order of `M` (NaN
/// first, ties by index, as `sortperm(M, rev=true)` orders them) and stops at
/// the first below `ρ_ub`; this type takes the same path without sorting:
/// the visited categories are exactly those with `M ≥ ρ_ub` and the first one
/// below, the best one is the first visited, and a NaN match (a category
/// whose last feature and complement both reached 0) visited first makes the
/// sample a mismatch with `A = 0`. The cluster labels of the Julia code are
/// bookkeeping that never reaches a score; a sample's outcome is returned
/// instead.
///
/// - Complexity: O(categories × dimension) per sample.
package struct DualVigilanceFuzzyART: Sendable {
    /// What training one sample did.
    public enum Outcome: Sendable, Equatable {
        /// Categories with `M ≥ ρ_ub` learnt the sample.
        case resonance
        /// A new category attached to the best one (`ρ_lb ≤ M < ρ_ub`).
        case newCategory
        /// A new category in a new cluster: no category matched (the
        /// Julia code's label −1).
        case mismatch
        /// Not trained (`learning: false`, or the network's first sample,
        /// which only initialises it).
        case notLearned
    }

    /// Features per sample (before complement coding).
    public let dimension: Int
    /// The lower and upper vigilance, `ρ_lb ≤ ρ_ub` in ARTime's use.
    public var lowerVigilance: Double
    public var upperVigilance: Double
    /// `A`: the best match of each sample trained, in order (0 for the first).
    public private(set) var activations: [Double] = []
    /// `Aₑ`: the energy similarity of that best category.
    public private(set) var energyActivations: [Double] = []

    /// Category weights, `2·dimension` each, flat.
    private var weights: [Double] = []
    /// `|w|₁` of each category, as the Julia code computes it.
    private var weightNorms: [Double] = []
    private var matches: [Double] = []

    public var categoryCount: Int { weightNorms.count }

    public init(dimension: Int, lowerVigilance: Double = 0, upperVigilance: Double = 0) {
        precondition(dimension > 0, "a DVFA needs at least one feature")
        self.dimension = dimension
        self.lowerVigilance = lowerVigilance
        self.upperVigilance = upperVigilance
    }

    /// Trains (or, with `learning: false`, only matches) one sample of
    /// `dimension` features.
    @discardableResult
    public mutating func train(_ features: [Double], learning: Bool = true) -> Outcome {
        precondition(features.count == dimension, "a DVFA sample has \(dimension) features")
        let width = 2 * dimension
        var sample = features
        sample.reserveCapacity(width)
        for v in features { sample.append(1 - v) }
        if weightNorms.isEmpty {
            // The Julia code's initialisation: one category of ones, the sample skipped.
            weights = [Double](repeating: 1, count: width)
            weightNorms = [JuliaArithmetic.absoluteSum(weights[...])]
            activations.append(0)
            energyActivations.append(0)
            return .notLearned
        }
        let count = weightNorms.count
        var matches = self.matches
        matches.removeAll(keepingCapacity: true)
        var best = -1, bestMatch = 0.0, bestEnergy = 0.0, anyNaN = false
        let last = dimension - 1, norms = weightNorms
        sample.withUnsafeBufferPointer { x in
            weights.withUnsafeBufferPointer { w in
                var em = [Double](repeating: 0, count: width)
                for j in 0..<count {
                    let wj = w.baseAddress! + j * width
                    for k in 0..<width { em[k] = Swift.min(x[k], wj[k]) }
                    var norm = norms[j]
                    if norm == 0 { norm = 0.001 }
                    let fs = JuliaArithmetic.absoluteSum(em[...]) / norm
                    let es = (em[last] + em[width - 1]) / (wj[last] + wj[width - 1])
                    let m = fs * fs * fs * (es * es)
                    matches.append(m)
                    if m.isNaN { anyNaN = true } else if m > bestMatch { bestMatch = m; bestEnergy = es; best = j }
                }
            }
        }
        self.matches = matches
        guard learning else {
            activations.append(bestMatch)
            energyActivations.append(bestEnergy)
            return .notLearned
        }
        if anyNaN {
            // The NaN match is visited first and fails both vigilance tests.
            activations.append(0)
            energyActivations.append(0)
            appendCategory(sample)
            return .mismatch
        }
        activations.append(bestMatch)
        energyActivations.append(bestEnergy)
        // The first category visited is the best one (the lowest index among
        // ties), or, when every match is 0, the first category.
        let top = best >= 0 ? best : 0
        if matches[top] >= upperVigilance {
            for j in 0..<count where matches[j] >= upperVigilance { learn(j, sample) }
            return .resonance
        }
        appendCategory(sample)
        return matches[top] >= lowerVigilance ? .newCategory : .mismatch
    }

    private mutating func learn(_ j: Int, _ sample: [Double]) {
        let width = 2 * dimension
        for k in 0..<width { weights[j * width + k] = Swift.min(sample[k], weights[j * width + k]) }
        weightNorms[j] = JuliaArithmetic.absoluteSum(weights[(j * width)..<((j + 1) * width)])
    }

    private mutating func appendCategory(_ sample: [Double]) {
        weights.append(contentsOf: sample)
        weightNorms.append(JuliaArithmetic.absoluteSum(sample[...]))
    }
}
