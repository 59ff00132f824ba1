import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only JSON-lines log with one open descriptor, a pending buffer
/// written in whole lines, optional `fsync`, and crash-safe size-based rotation.
///
/// Not thread-safe by itself: ``PredictionMonitor`` serialises access. Lines
/// are buffered and written with as few `write(2)` calls as possible, and
/// only whole lines are ever handed to the kernel, so a crash can tear at
/// most the line being written, never interleave two.
///
/// A failed write (a full disk, a read-only file system) keeps the unwritten
/// bytes pending and throws ``MonitorError/writeFailed(path:reason:)``; the
/// next flush retries them. The owner bounds how many lines may pend.
final class LogFile {
    /// `write(2)`'s shape; injectable so that tests can simulate a full disk.
    typealias WriteFunction = @Sendable (Int32, UnsafeRawPointer?, Int) -> Int

    let url: URL
    private let writeBytes: WriteFunction
    /// The write descriptor, or -1 while the file cannot be opened for
    /// writing (a full or read-only file system at start): each flush retries.
    private var descriptor: Int32
    private(set) var pending: [UInt8] = []
    private(set) var pendingLines = 0
    private(set) var size: Int
    private let rotation: MonitorConfiguration.LogRotation?
    /// Whether opening found a torn last line (repaired, or the repair deferred
    /// until a write succeeds: see ``repairPending``).
    private(set) var repairedTornLine = false
    /// Whether the torn-line repair (one newline) is still unwritten.
    private(set) var repairPending = false
    /// Why the last write failed, while writes fail; `nil` once one succeeds.
    private(set) var failure: MonitorError?
    /// Rotations done since the file was opened.
    private(set) var rotations = 0

    /// Opens (creating) the log, repairing a torn last line by appending a
    /// newline: the partial line stays in the file, and loading skips it.
    ///
    /// A full disk (`ENOSPC`, `EDQUOT`) or a read-only file system (`EROFS`)
    /// does not fail the open: the log opens degraded, with ``failure`` set
    /// and the repair (if any) pending, so that the monitor still serves
    /// reads; writes are retried on each flush.
    ///
    /// - Throws: ``MonitorError/writeFailed(path:reason:)`` when the file
    ///   cannot be opened for another reason (a permission),
    ///   ``MonitorError/unreadableFile(path:reason:)`` when its last byte
    ///   cannot be read.
    init(url: URL, rotation: MonitorConfiguration.LogRotation?,
         write: @escaping WriteFunction = { Glibc.write($0, $1, $2) }) throws(MonitorError) {
        self.url = url
        self.rotation = rotation
        writeBytes = write
        descriptor = Glibc.open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        if descriptor < 0 {
            let code = errno
            guard Self.isSpaceOrReadOnly(code) else {
                throw .writeFailed(path: url.path, reason: "cannot open for writing: \(String(cString: strerror(code)))")
            }
            failure = .writeFailed(path: url.path, reason: String(cString: strerror(code)))
            var info = stat()
            size = stat(url.path, &info) == 0 ? Int(info.st_size) : 0
        } else {
            var info = stat()
            fstat(descriptor, &info)
            size = Int(info.st_size)
            // The file's name may be new: make it survive a power loss.
            Self.syncDirectory(of: url)
        }
        if size > 0, try Self.lastByte(of: url, size: size) != 0x0A {
            pending = [0x0A]
            repairedTornLine = true
            repairPending = true
            try? flush(sync: true)
        }
    }

    deinit { if descriptor >= 0 { Glibc.close(descriptor) } }

    /// Queues one line (without its newline).
    func append(line: some Collection<UInt8>) {
        pending.append(contentsOf: line)
        pending.append(0x0A)
        pendingLines += 1
    }

    /// Queues one line that `body` writes straight into the pending buffer,
    /// writing at most `maxCount` bytes (the newline is added).
    ///
    /// - Complexity: O(maxCount); no allocation once the buffer has grown.
    @inline(__always)
    func appendLine(maxCount: Int, _ body: (inout ByteWriter) -> Void) {
        let start = pending.count
        pending.append(contentsOf: repeatElement(0, count: maxCount + 1))
        let written = pending.withUnsafeMutableBufferPointer { buffer -> Int in
            let base = buffer.baseAddress! + start
            var writer = ByteWriter(base)
            body(&writer)
            writer.put(0x0A)
            return writer.cursor - base
        }
        precondition(written <= maxCount + 1, "a log line overran its bound")
        pending.removeLast(maxCount + 1 - written)
        pendingLines += 1
    }

    /// Writes every pending byte with `write(2)` (looping over short writes
    /// and `EINTR`), then `fsync`s when asked and rotates when due.
    ///
    /// - Throws: ``MonitorError/writeFailed(path:reason:)``; the unwritten
    ///   bytes stay pending (a partly written line is completed by the next
    ///   successful flush) and ``pendingLines`` still counts every line not
    ///   wholly written.
    /// - Complexity: O(pending bytes).
    func flush(sync: Bool) throws(MonitorError) {
        if descriptor < 0 {
            descriptor = Glibc.open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw fail(errno, "") }
            Self.syncDirectory(of: url)
        }
        var written = 0
        while written < pending.count {
            let result = pending.withUnsafeBytes { raw in
                writeBytes(descriptor, raw.baseAddress! + written, raw.count - written)
            }
            if result < 0 {
                let code = errno
                if code == EINTR { continue }
                dropWritten(written)
                throw fail(code, "")
            }
            written += result
        }
        size += written
        pending.removeAll(keepingCapacity: pending.count <= 1 << 20)
        pendingLines = 0
        repairPending = false
        if sync, fsync(descriptor) != 0 { throw fail(errno, "fsync: ") }
        failure = nil
        if let rotation, size >= rotation.maxBytes { try rotate(rotation) }
    }

    /// Removes the first `count` pending bytes (written), keeping the count
    /// of lines not wholly written.
    private func dropWritten(_ count: Int) {
        guard count > 0 else { return }
        var wholeLines = pending[..<count].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        if repairPending {  // the repair's newline went first; it is not a counted line
            repairPending = false
            wholeLines -= 1
        }
        pending.removeFirst(count)
        size += count
        pendingLines = max(0, pendingLines - wholeLines)
    }

    private func fail(_ code: Int32, _ context: String) -> MonitorError {
        let error = MonitorError.writeFailed(path: url.path, reason: context + String(cString: strerror(code)))
        failure = error
        return error
    }

    /// `name` → `name.1` → `name.2` …, deleting beyond the retained count.
    ///
    /// Crash-safe: the file is synced first, the copies shift from the
    /// oldest down so that at every instant a higher index is older, and the
    /// directory is synced after the renames and after the new file is
    /// created, so that a power loss cannot lose a file's name. A crash
    /// between two renames leaves a gap in the indices, which the loader
    /// reads across (it reads every copy present, oldest first).
    private func rotate(_ rotation: MonitorConfiguration.LogRotation) throws(MonitorError) {
        let path = url.path
        _ = fsync(descriptor)
        if rotation.retainedFiles <= 0 {
            _ = Glibc.ftruncate(descriptor, 0)
        } else {
            _ = Glibc.unlink("\(path).\(rotation.retainedFiles)")
            for index in stride(from: rotation.retainedFiles - 1, through: 1, by: -1) {
                _ = Glibc.rename("\(path).\(index)", "\(path).\(index + 1)")  // ENOENT for a gap: nothing to move
            }
            guard Glibc.rename(path, "\(path).1") == 0 else { throw fail(errno, "rotation: ") }
            Self.syncDirectory(of: url)
        }
        Glibc.close(descriptor)
        size = 0
        descriptor = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw fail(errno, "rotation: ") }
        Self.syncDirectory(of: url)
        rotations += 1
    }

    /// `fsync`s the directory holding `url`, so that a created or renamed
    /// name is durable. Best effort: some file systems refuse it.
    static func syncDirectory(of url: URL) {
        let folder = Glibc.open(url.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { return }
        _ = fsync(folder)
        Glibc.close(folder)
    }

    /// Whether `code` means "no space" or "read-only", which open degraded.
    static func isSpaceOrReadOnly(_ code: Int32) -> Bool {
        code == ENOSPC || code == EDQUOT || code == EROFS
    }

    private static func lastByte(of url: URL, size: Int) throws(MonitorError) -> UInt8? {
        let reader = Glibc.open(url.path, O_RDONLY | O_CLOEXEC)
        guard reader >= 0 else { throw .unreadableFile(path: url.path, reason: String(cString: strerror(errno))) }
        defer { Glibc.close(reader) }
        var byte: UInt8 = 0
        let count = pread(reader, &byte, 1, off_t(size - 1))
        guard count >= 0 else { throw .unreadableFile(path: url.path, reason: String(cString: strerror(errno))) }
        return count == 1 ? byte : nil
    }
}
