/// Python's `random.Random`, bit for bit: the MT19937 Mersenne Twister seeded
/// from an integer as CPython seeds it (`init_by_array` over the integer's
/// 32-bit words, least significant first), `getrandbits`, `_randbelow` (by
/// rejection on `n.bit_length()` bits), `random()` and `sample` as CPython
/// 3.11 implements them. With the same seed it draws exactly what
/// `random.Random(seed)` draws, so a detector that samples (River's KSWIN)
/// can pick the same indices as its Python original.
public struct PythonRandom: Sendable {
    private static let n = 624
    private static let m = 397
    private var mt = [UInt32](repeating: 0, count: 624)
    private var index = 624

    /// `random.Random(seed)` for a non-negative integer seed (Python seeds
    /// with `abs(seed)`, so a negative seed is given by its magnitude).
    public init(seed: UInt64) {
        var key: [UInt32] = []
        var rest = seed
        repeat {
            key.append(UInt32(truncatingIfNeeded: rest))
            rest >>= 32
        } while rest != 0
        initByArray(key)
    }

    private mutating func initGenrand(_ s: UInt32) {
        mt[0] = s
        for i in 1..<Self.n {
            mt[i] = 1_812_433_253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i)
        }
        index = Self.n
    }

    private mutating func initByArray(_ key: [UInt32]) {
        initGenrand(19_650_218)
        var i = 1, j = 0
        for _ in 0..<max(Self.n, key.count) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
            i += 1; j += 1
            if i >= Self.n { mt[0] = mt[Self.n - 1]; i = 1 }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<(Self.n - 1) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= Self.n { mt[0] = mt[Self.n - 1]; i = 1 }
        }
        mt[0] = 0x8000_0000
    }

    /// The next 32 bits (`genrand_uint32`).
    public mutating func nextUInt32() -> UInt32 {
        if index >= Self.n {
            for k in 0..<Self.n {
                let y = (mt[k] & 0x8000_0000) | (mt[(k + 1) % Self.n] & 0x7FFF_FFFF)
                mt[k] = mt[(k + Self.m) % Self.n] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908_B0DF : 0)
            }
            index = 0
        }
        var y = mt[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// `getrandbits(k)` for `0 ≤ k ≤ 64`.
    public mutating func getrandbits(_ k: Int) -> UInt64 {
        precondition((0...64).contains(k), "getrandbits supports 0 to 64 bits")
        if k == 0 { return 0 }
        if k <= 32 { return UInt64(nextUInt32() >> (32 - k)) }
        let low = UInt64(nextUInt32())
        let high = UInt64(nextUInt32() >> (64 - k))
        return low | high << 32
    }

    /// `_randbelow(n)`: uniform in `0..<n` by rejection on `n.bit_length()` bits.
    public mutating func randbelow(_ n: Int) -> Int {
        precondition(n > 0, "randbelow needs n > 0")
        let k = Int.bitWidth - n.leadingZeroBitCount
        var r = getrandbits(k)
        while r >= UInt64(n) { r = getrandbits(k) }
        return Int(r)
    }

    /// `random()`: a double in `[0, 1)` from 53 bits.
    public mutating func random() -> Double {
        let a = Double(nextUInt32() >> 5), b = Double(nextUInt32() >> 6)
        return (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `sample(range(populationCount), k)`: `k` distinct indices in selection
    /// order, by CPython 3.11's two methods (a shrinking pool when the
    /// population is small next to the set it would need, else rejection
    /// against the set of indices already drawn).
    ///
    /// - Complexity: O(n) for the pool method, O(k) expected for the set method.
    public mutating func sample(populationCount n: Int, _ k: Int) -> [Int] {
        precondition((0...n).contains(k), "Sample larger than population or is negative")
        var setSize = 21
        if k > 5 {
            // 4 ** ceil(log(k * 3, 4)), with Python's float logarithm.
            setSize += Int(pow4(Int((log(Double(k * 3)) / log(4.0)).rounded(.up))))
        }
        var result = [Int](repeating: 0, count: k)
        if n <= setSize {
            var pool = Array(0..<n)
            for i in 0..<k {
                let j = randbelow(n - i)
                result[i] = pool[j]
                pool[j] = pool[n - i - 1]
            }
        } else {
            var selected = Set<Int>()
            for i in 0..<k {
                var j = randbelow(n)
                while selected.contains(j) { j = randbelow(n) }
                selected.insert(j)
                result[i] = j
            }
        }
        return result
    }

    private func pow4(_ e: Int) -> Int { e <= 0 ? 1 : (0..<e).reduce(1) { r, _ in r * 4 } }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
