import Foundation

/// The reference's per-text fields, computed as Python computes them.
package enum PythonText {
    /// `hashlib.md5(text.encode()).hexdigest()[:16]`.
    ///
    /// - Complexity: O(length of the text).
    package static func hash(_ text: String) -> String { TextHash(of: text).string }

    /// `(len(text), len(text.split()))` in one pass over the UTF-8 bytes when
    /// the text is ASCII (the common case), two otherwise.
    package static func measure(_ text: String) -> (length: Int, words: Int) {
        let ascii: (Int, Int)?? = text.utf8.withContiguousStorageIfAvailable { measureASCII($0) }
        if let ascii = ascii ?? nil { return ascii }
        return (length(text), wordCount(text))
    }

    /// Length and word count of ASCII bytes, eight at a time in a 64-bit
    /// word; `nil` when a byte is not ASCII. A word starts at a non-space
    /// byte whose predecessor is a space (or that starts the text).
    ///
    /// (Swift's `SIMD16<UInt8>` form of this loop, with `any` and
    /// `wrappedSum`, compiled to generic per-lane code five times slower
    /// than the byte loop; plain 64-bit arithmetic does not.)
    static func measureASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int)? {
        let count = bytes.count
        var words = 0
        var previousIsSpace = true
        var index = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let high = ones &* 0x80
            while index + 8 <= count {
                let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                if x & high != 0 { return nil }
                // Per byte b (< 0x80): the high bit of (127 + n − b) is set
                // iff b < n, that of (b + 127 − m) iff b > m; no byte carries.
                let controls = (ones &* (127 + 0x0E) &- x) & (x &+ ones &* (127 - 0x08)) & high  // 0x09–0x0D
                let separators = (ones &* (127 + 0x21) &- x) & (x &+ ones &* (127 - 0x1B)) & high  // 0x1C–0x20
                let space = controls | separators
                let spaceBefore = (space << 8) | (previousIsSpace ? 0x80 : 0)
                words &+= (~space & spaceBefore & high).nonzeroBitCount
                previousIsSpace = space >> 63 != 0
                index += 8
            }
        }
        while index < count {
            let byte = bytes[index]
            guard byte < 0x80 else { return nil }
            let space = isASCIISpace(byte)
            words &+= (!space && previousIsSpace) ? 1 : 0
            previousIsSpace = space
            index += 1
        }
        return (count, words)
    }

    @inline(__always)
    static func isASCIISpace(_ byte: UInt8) -> Bool {
        (byte >= 0x09 && byte <= 0x0D) || (byte >= 0x1C && byte <= 0x20)
    }

    /// `len(text)`: the number of code points.
    package static func length(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            // Code points are the bytes that do not continue a UTF-8 sequence.
            var count = 0
            for byte in bytes where byte & 0xC0 != 0x80 { count &+= 1 }
            return count
        }
    }

    /// `len(text.split())`: runs of non-whitespace, with Python's notion of
    /// whitespace (`str.isspace`).
    package static func wordCount(_ text: String) -> Int {
        var text = text
        let asciiCount: Int? = text.withUTF8 { bytes in
            var count = 0
            var inWord = false
            for byte in bytes {
                guard byte < 0x80 else { return nil }
                let space = (byte >= 0x09 && byte <= 0x0D) || (byte >= 0x1C && byte <= 0x20)
                count &+= (!space && !inWord) ? 1 : 0
                inWord = !space
            }
            return count
        }
        if let asciiCount { return asciiCount }
        var count = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            if isPythonWhitespace(scalar) {
                inWord = false
            } else if !inWord {
                inWord = true
                count += 1
            }
        }
        return count
    }

    /// The characters Python's `str.split()` splits on.
    package static func isPythonWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }
}
