/// SplitMix64 (Steele, Lea & Flood, 2014): a tiny seeded generator whose
/// output is the same on every machine, shared by the tests, the simulator
/// and the benchmarks so that "seed 42" means the same data everywhere.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    /// - Parameter seed: Any value; equal seeds give equal streams.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    ///
    /// - Complexity: O(1).
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in `[0, 1)` with 53 random bits.
    @inlinable
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}
