/// Splits a log's bytes into lines as Python's text-mode file iteration does
/// (universal newlines: `\n`, `\r\n` and a lone `\r` all end a line), and
/// strips each line as `str.strip()` would before `json.loads`.
package struct LogLines: Sequence {
    package let bytes: UnsafeBufferPointer<UInt8>

    package init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    package func makeIterator() -> Iterator { Iterator(bytes: bytes) }

    package struct Iterator: IteratorProtocol {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        /// The next line's stripped content; a blank line is an empty buffer.
        package mutating func next() -> UnsafeBufferPointer<UInt8>? {
            guard position < bytes.count else { return nil }
            let start = position
            var end = start
            end = LogLines.firstLineBreak(in: bytes, from: end)
            position = end
            if position < bytes.count {
                position += bytes[position] == 0x0D && position + 1 < bytes.count && bytes[position + 1] == 0x0A ? 2 : 1
            }
            return LogLines.stripped(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        }
    }

    /// The index of the first `\n` or `\r` at or after `start` (or the end),
    /// sixteen bytes at a time.
    @inline(__always)
    static func firstLineBreak(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        let newline = SIMD16<UInt8>(repeating: 0x0A), carriageReturn = SIMD16<UInt8>(repeating: 0x0D)
        while i + 16 <= bytes.count {
            let chunk = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            let hits = (chunk .== newline) .| (chunk .== carriageReturn)
            if any(hits) {
                while bytes[i] != 0x0A && bytes[i] != 0x0D { i += 1 }
                return i
            }
            i += 16
        }
        while i < bytes.count, bytes[i] != 0x0A, bytes[i] != 0x0D { i += 1 }
        return i
    }

    /// Removes leading and trailing whitespace as Python's `str.strip()` does
    /// for the characters a log can plausibly hold: ASCII whitespace, the
    /// separators U+001C–U+001F, and U+0085 and U+00A0.
    static func stripped(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lower = 0, upper = line.count
        while lower < upper {
            if isASCIISpace(line[lower]) { lower += 1 }
            else if upper - lower >= 2, line[lower] == 0xC2, line[lower + 1] == 0x85 || line[lower + 1] == 0xA0 { lower += 2 }
            else { break }
        }
        while upper > lower {
            if isASCIISpace(line[upper - 1]) { upper -= 1 }
            else if upper - lower >= 2, line[upper - 2] == 0xC2, line[upper - 1] == 0x85 || line[upper - 1] == 0xA0 { upper -= 2 }
            else { break }
        }
        return UnsafeBufferPointer(rebasing: line[lower..<upper])
    }

    @inline(__always)
    static func isASCIISpace(_ b: UInt8) -> Bool {
        b == 0x20 || (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x1F)
    }
}
