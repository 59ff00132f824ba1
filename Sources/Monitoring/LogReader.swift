#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a log with `read(2)` into one reusable buffer and hands it over in
/// blocks of whole lines, so that a log that shrinks while it is read (a
/// `truncate`, logrotate's `copytruncate`, DriftLab's own rotation with no
/// retained files) just ends the read early instead of killing the process
/// with `SIGBUS`, as a memory map would.
///
/// A line longer than the buffer grows it; the incomplete last line of each
/// read is moved to the front of the buffer and completed by the next read.
/// A block ends after a `\n` or `\r`, so a `\r\n` split across two reads
/// yields one extra blank line, which every consumer ignores.
struct LogReader: ~Copyable {
    /// Bytes read per `read(2)` call (1 MiB by default).
    let chunkSize: Int
    private var buffer: UnsafeMutableRawBufferPointer

    init(chunkSize: Int = 1 << 20) {
        precondition(chunkSize > 0, "chunkSize must be positive")
        self.chunkSize = chunkSize
        buffer = .allocate(byteCount: chunkSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// What happened to one file.
    enum Outcome {
        /// The file does not exist (it reads as empty).
        case missing
        /// The file was read to its end (or to where it ended when it shrank).
        case read(bytes: Int)
    }

    /// Calls `body` with consecutive blocks of whole lines of the file at
    /// `path`; the last block may end without a line break.
    ///
    /// - Parameters:
    ///   - path: The log.
    ///   - afterRead: A test hook, called after each `read(2)` that returned data.
    ///   - body: Called with each block; the buffer is only valid during the call.
    /// - Returns: ``Outcome/missing`` when nothing is at `path`.
    /// - Throws: ``MonitorError/unreadableFile(path:reason:)`` when the file
    ///   exists but cannot be opened or read, or is not a regular file.
    /// - Complexity: O(bytes in the file); each byte is copied once (twice
    ///   for the tail of a read that ends mid-line).
    mutating func forEachBlock(of path: String, afterRead: (() -> Void)? = nil,
                               _ body: (UnsafeBufferPointer<UInt8>) -> Void) throws(MonitorError) -> Outcome {
        guard let (descriptor, _) = try Self.openRegularFile(path) else { return .missing }
        defer { close(descriptor) }
        return .read(bytes: try forEachBlock(of: descriptor, path: path, from: 0, afterRead: afterRead, body))
    }

    /// Opens the regular file at `path` for reading: its descriptor and its
    /// size at the time, or `nil` when nothing is there.
    ///
    /// - Throws: ``MonitorError/unreadableFile(path:reason:)`` when the file
    ///   exists but cannot be opened, or is not a regular file.
    static func openRegularFile(_ path: String) throws(MonitorError) -> (descriptor: Int32, size: Int)? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            let code = errno
            if code == ENOENT { return nil }
            throw .unreadableFile(path: path, reason: String(cString: strerror(code)))
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw .unreadableFile(path: path, reason: reason)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            let kind = (info.st_mode & S_IFMT) == S_IFDIR ? "is a directory" : "is not a regular file"
            throw .unreadableFile(path: path, reason: kind)
        }
        return (descriptor, Int(info.st_size))
    }

    /// Calls `body` with consecutive blocks of whole lines of an open file,
    /// from byte `offset` to byte `limit` or its end (wherever the end is by
    /// then); the last block may end without a line break.
    ///
    /// - Returns: The bytes read.
    mutating func forEachBlock(of descriptor: Int32, path: String, from offset: Int, upTo limit: Int = .max,
                               afterRead: (() -> Void)? = nil,
                               _ body: (UnsafeBufferPointer<UInt8>) -> Void) throws(MonitorError) -> Int {
        var carried = 0  // bytes of an incomplete line at the front of the buffer
        var total = 0
        while true {
            if buffer.count - carried < (chunkSize + 1) / 2 {
                // A line longer than the buffer: grow it, keeping the carried bytes.
                let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
                grown.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: carried)
                buffer.deallocate()
                buffer = grown
            }
            let wanted = min(buffer.count - carried, limit - (offset + total))
            let count = wanted <= 0 ? 0 : pread(descriptor, buffer.baseAddress! + carried, wanted, off_t(offset + total))
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 {
                // The end of the file, or of what is left of it after a shrink.
                if carried > 0 { body(UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count: carried)) }
                return total
            }
            total += count
            afterRead?()
            let filled = carried + count
            let bytes = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var cut = filled
            while cut > carried, bytes[cut - 1] != 0x0A, bytes[cut - 1] != 0x0D { cut -= 1 }
            if cut == carried {
                // No line break in the new bytes: the line continues.
                carried = filled
                continue
            }
            body(UnsafeBufferPointer(start: bytes, count: cut))
            carried = filled - cut
            if carried > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + cut, byteCount: carried) }
        }
    }
}
