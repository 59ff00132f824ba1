/// The discrete Haar wavelet transform as Wavelets.jl computes
/// `dwt(x, wavelet(WT.haar))` (JuliaDSP/Wavelets.jl: the periodic,
/// orthonormal filter transform at full depth, `L = log₂(n)` levels), which
/// ARTime applies to its windows of 8 values.
///
/// - The filter is Wavelets.jl's `haar` filter `[c, c]`, `c = 0.7071067811865475`,
///   divided by its 2-norm: `h = c / √(c² + c²)` = 0x1.6a09e667f3bcdp-1
///   (0.7071067811865476, one ulp above `c`).
/// - At each level the pairs `(a, b)` of the current scaling coefficients give
///   the scaling coefficient `h·a + h·b` and the detail `h·b − h·a` (the
///   detail filter is the mirrored `[h, −h]` applied from the second element
///   of the pair: `filtdown!` computes `−h·a + h·b`).
/// - Output order: `[a_L, d_L, d_{L−1} (2), …, d_1 (n/2)]`, coarsest first:
///   for 8 values the overall scaling coefficient, the level-3 detail, the two
///   level-2 details, then the four level-1 details.
///
/// Example: `[1, 0, 0, 0, 0, 0, 0, 0]` ↦ `[0.35355339059327384,
/// −0.35355339059327384, −0.5000000000000001, 0, −0.7071067811865476, 0, 0, 0]`.
package enum HaarWavelet {
    /// Wavelets.jl's normalised Haar filter coefficient.
    public static let coefficient: Double = {
        let c = 0.7071067811865475
        return c / (c * c + c * c).squareRoot()
    }()

    /// The full-depth transform of `x`, whose length must be a power of 2.
    ///
    /// - Complexity: O(n).
    public static func transform(_ x: [Double]) -> [Double] {
        let n = x.count
        precondition(n > 0 && n & (n - 1) == 0, "the Haar transform needs a power-of-2 length")
        let h = coefficient
        var output = x
        var scaling = x
        var length = n
        while length > 1 {
            let half = length / 2
            var next = [Double](repeating: 0, count: half)
            for k in 0..<half {
                let a = scaling[2 * k], b = scaling[2 * k + 1]
                next[k] = h * a + h * b
                output[half + k] = -h * a + h * b
            }
            scaling = next
            length = half
        }
        output[0] = scaling[0]
        return output
    }
}
