/// The reference's text hash, `hashlib.md5(text.encode()).hexdigest()[:16]`,
/// kept as its 16 ASCII hex digits inline: no allocation until a `String` is
/// asked for (a 16-byte string is one byte over Swift's small-string limit).
public struct TextHash: Hashable, Sendable, CustomStringConvertible {
    /// The hex digits in memory order (bytes 0–7, then 8–15).
    @usableFromInline internal var digits: (UInt64, UInt64)

    /// The hash of `text`'s UTF-8 bytes.
    ///
    /// - Complexity: O(length of the text).
    public init(of text: String) {
        let prefix: (UInt32, UInt32)
        if let fast = text.utf8.withContiguousStorageIfAvailable({ MD5.digestPrefix(UnsafeRawBufferPointer($0)) }) {
            prefix = fast
        } else {
            prefix = Array(text.utf8).withUnsafeBytes { MD5.digestPrefix($0) }
        }
        digits = (Self.hex(prefix.0), Self.hex(prefix.1))
    }

    /// The hash of raw bytes.
    public init(bytes: UnsafeRawBufferPointer) {
        let prefix = MD5.digestPrefix(bytes)
        digits = (Self.hex(prefix.0), Self.hex(prefix.1))
    }

    /// Eight hex digits of the four digest bytes of `word` (little-endian,
    /// as MD5 lays its state out), as eight ASCII bytes in memory order.
    @inline(__always)
    private static func hex(_ word: UInt32) -> UInt64 {
        var result: UInt64 = 0
        withUnsafeMutableBytes(of: &result) { out in
            for i in 0..<4 {
                let byte = UInt8(truncatingIfNeeded: word >> (8 * UInt32(i)))
                out[2 * i] = hexDigit(byte >> 4)
                out[2 * i + 1] = hexDigit(byte & 0xF)
            }
        }
        return result
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 &+ nibble : 0x57 &+ nibble  // "0"… or "a"…
    }

    /// The 16 hex digits as a `String`.
    public var string: String {
        withUnsafeBytes(of: digits) { raw in
            String(unsafeUninitializedCapacity: 16) { buffer in
                for i in 0..<16 { buffer[i] = raw[i] }
                return 16
            }
        }
    }

    public var description: String { string }

    /// Calls `body` with the 16 ASCII bytes.
    @inlinable
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: digits, body)
    }

    public static func == (lhs: TextHash, rhs: TextHash) -> Bool {
        lhs.digits.0 == rhs.digits.0 && lhs.digits.1 == rhs.digits.1
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(digits.0)
        hasher.combine(digits.1)
    }
}

/// MD5 (RFC 1321), only as far as the reference uses it: the first eight
/// digest bytes. A plain Swift implementation, so that hashing a short text
/// allocates nothing (swift-crypto's `Insecure.MD5` allocates a digest
/// context per call); tests check it against Python's `hashlib.md5` (a fixture).
enum MD5 {
    /// The digest's first two state words (bytes 0–3 and 4–7, little-endian).
    static func digestPrefix(_ message: UnsafeRawBufferPointer) -> (UInt32, UInt32) {
        var state: (UInt32, UInt32, UInt32, UInt32) = (0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476)
        let count = message.count
        var offset = 0
        if let base = message.baseAddress {
            while offset + 64 <= count {
                compress(&state, base + offset)
                offset += 64
            }
        }
        // The tail: the remaining bytes, 0x80, zeros, and the length in bits.
        var tail: (SIMD32<UInt8>, SIMD32<UInt8>, SIMD32<UInt8>, SIMD32<UInt8>) = (.zero, .zero, .zero, .zero)
        withUnsafeMutableBytes(of: &tail) { block in
            let remaining = count - offset
            if remaining > 0 { block.baseAddress!.copyMemory(from: message.baseAddress! + offset, byteCount: remaining) }
            block[remaining] = 0x80
            let blocks = remaining < 56 ? 1 : 2
            block.storeBytes(of: (UInt64(count) &* 8).littleEndian, toByteOffset: 64 * blocks - 8, as: UInt64.self)
            compress(&state, UnsafeRawPointer(block.baseAddress!))
            if blocks == 2 { compress(&state, UnsafeRawPointer(block.baseAddress! + 64)) }
        }
        return (state.0, state.1)
    }

    @inline(__always) private static func rotl(_ x: UInt32, _ s: UInt32) -> UInt32 { (x &<< s) | (x &>> (32 &- s)) }

    @inline(__always) private static func f(_ a: inout UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ m: UInt32, _ s: UInt32, _ k: UInt32) {
        a = b &+ rotl(a &+ (d ^ (b & (c ^ d))) &+ m &+ k, s)
    }

    @inline(__always) private static func g(_ a: inout UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ m: UInt32, _ s: UInt32, _ k: UInt32) {
        a = b &+ rotl(a &+ (c ^ (d & (b ^ c))) &+ m &+ k, s)
    }

    @inline(__always) private static func h(_ a: inout UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ m: UInt32, _ s: UInt32, _ k: UInt32) {
        a = b &+ rotl(a &+ (b ^ c ^ d) &+ m &+ k, s)
    }

    @inline(__always) private static func i(_ a: inout UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ m: UInt32, _ s: UInt32, _ k: UInt32) {
        a = b &+ rotl(a &+ (c ^ (b | ~d)) &+ m &+ k, s)
    }

    /// One 64-byte block.
    private static func compress(_ state: inout (UInt32, UInt32, UInt32, UInt32), _ block: UnsafeRawPointer) {
        @inline(__always) func word(_ index: Int) -> UInt32 {
            UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self))
        }
        let m0 = word(0), m1 = word(1), m2 = word(2), m3 = word(3), m4 = word(4), m5 = word(5), m6 = word(6), m7 = word(7)
        let m8 = word(8), m9 = word(9), m10 = word(10), m11 = word(11), m12 = word(12), m13 = word(13), m14 = word(14), m15 = word(15)
        var a = state.0, b = state.1, c = state.2, d = state.3
        f(&a, b, c, d, m0, 7, 0xd76aa478)
        f(&d, a, b, c, m1, 12, 0xe8c7b756)
        f(&c, d, a, b, m2, 17, 0x242070db)
        f(&b, c, d, a, m3, 22, 0xc1bdceee)
        f(&a, b, c, d, m4, 7, 0xf57c0faf)
        f(&d, a, b, c, m5, 12, 0x4787c62a)
        f(&c, d, a, b, m6, 17, 0xa8304613)
        f(&b, c, d, a, m7, 22, 0xfd469501)
        f(&a, b, c, d, m8, 7, 0x698098d8)
        f(&d, a, b, c, m9, 12, 0x8b44f7af)
        f(&c, d, a, b, m10, 17, 0xffff5bb1)
        f(&b, c, d, a, m11, 22, 0x895cd7be)
        f(&a, b, c, d, m12, 7, 0x6b901122)
        f(&d, a, b, c, m13, 12, 0xfd987193)
        f(&c, d, a, b, m14, 17, 0xa679438e)
        f(&b, c, d, a, m15, 22, 0x49b40821)
        g(&a, b, c, d, m1, 5, 0xf61e2562)
        g(&d, a, b, c, m6, 9, 0xc040b340)
        g(&c, d, a, b, m11, 14, 0x265e5a51)
        g(&b, c, d, a, m0, 20, 0xe9b6c7aa)
        g(&a, b, c, d, m5, 5, 0xd62f105d)
        g(&d, a, b, c, m10, 9, 0x02441453)
        g(&c, d, a, b, m15, 14, 0xd8a1e681)
        g(&b, c, d, a, m4, 20, 0xe7d3fbc8)
        g(&a, b, c, d, m9, 5, 0x21e1cde6)
        g(&d, a, b, c, m14, 9, 0xc33707d6)
        g(&c, d, a, b, m3, 14, 0xf4d50d87)
        g(&b, c, d, a, m8, 20, 0x455a14ed)
        g(&a, b, c, d, m13, 5, 0xa9e3e905)
        g(&d, a, b, c, m2, 9, 0xfcefa3f8)
        g(&c, d, a, b, m7, 14, 0x676f02d9)
        g(&b, c, d, a, m12, 20, 0x8d2a4c8a)
        h(&a, b, c, d, m5, 4, 0xfffa3942)
        h(&d, a, b, c, m8, 11, 0x8771f681)
        h(&c, d, a, b, m11, 16, 0x6d9d6122)
        h(&b, c, d, a, m14, 23, 0xfde5380c)
        h(&a, b, c, d, m1, 4, 0xa4beea44)
        h(&d, a, b, c, m4, 11, 0x4bdecfa9)
        h(&c, d, a, b, m7, 16, 0xf6bb4b60)
        h(&b, c, d, a, m10, 23, 0xbebfbc70)
        h(&a, b, c, d, m13, 4, 0x289b7ec6)
        h(&d, a, b, c, m0, 11, 0xeaa127fa)
        h(&c, d, a, b, m3, 16, 0xd4ef3085)
        h(&b, c, d, a, m6, 23, 0x04881d05)
        h(&a, b, c, d, m9, 4, 0xd9d4d039)
        h(&d, a, b, c, m12, 11, 0xe6db99e5)
        h(&c, d, a, b, m15, 16, 0x1fa27cf8)
        h(&b, c, d, a, m2, 23, 0xc4ac5665)
        i(&a, b, c, d, m0, 6, 0xf4292244)
        i(&d, a, b, c, m7, 10, 0x432aff97)
        i(&c, d, a, b, m14, 15, 0xab9423a7)
        i(&b, c, d, a, m5, 21, 0xfc93a039)
        i(&a, b, c, d, m12, 6, 0x655b59c3)
        i(&d, a, b, c, m3, 10, 0x8f0ccc92)
        i(&c, d, a, b, m10, 15, 0xffeff47d)
        i(&b, c, d, a, m1, 21, 0x85845dd1)
        i(&a, b, c, d, m8, 6, 0x6fa87e4f)
        i(&d, a, b, c, m15, 10, 0xfe2ce6e0)
        i(&c, d, a, b, m6, 15, 0xa3014314)
        i(&b, c, d, a, m13, 21, 0x4e0811a1)
        i(&a, b, c, d, m4, 6, 0xf7537e82)
        i(&d, a, b, c, m11, 10, 0xbd3af235)
        i(&c, d, a, b, m2, 15, 0x2ad7d2bb)
        i(&b, c, d, a, m9, 21, 0xeb86d391)
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
    }
}
