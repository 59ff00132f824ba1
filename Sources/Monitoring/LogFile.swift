import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only JSON-lines log with one open descriptor, a pending buffer
/// written in whole lines, optional `fsync`, and size-based rotation.
///
/// Not thread-safe by itself: ``PredictionMonitor`` serialises access. Lines
/// are buffered and written with as few `write(2)` calls as possible, and
/// only whole lines are ever handed to the kernel, so a crash can tear at
/// most the line being written, never interleave two.
final class LogFile {
    let url: URL
    private var descriptor: Int32
    /// The pending bytes: a buffer of our own, so that the hot path writes
    /// lines straight into it (``appendLine(maxCount:_:)``).
    private var pending: UnsafeMutablePointer<UInt8>
    private var pendingCapacity = 1 << 16
    private(set) var pendingCount = 0
    private(set) var pendingLines = 0
    private(set) var size: Int
    private let rotation: MonitorConfiguration.LogRotation?
    /// Whether opening found a torn last line and repaired it.
    private(set) var repairedTornLine = false

    /// Opens (creating) the log, repairing a torn last line by appending a
    /// newline: the partial line stays in the file, and loading skips it.
    init(url: URL, rotation: MonitorConfiguration.LogRotation?) throws(MonitorError) {
        self.url = url
        self.rotation = rotation
        pending = .allocate(capacity: pendingCapacity)
        descriptor = Glibc.open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            pending.deallocate()
            throw .unreadableFile(path: url.path, reason: String(cString: strerror(errno)))
        }
        var info = stat()
        fstat(descriptor, &info)
        size = Int(info.st_size)
        if size > 0, try Self.lastByte(of: url) != 0x0A {
            append(line: EmptyCollection<UInt8>())
            repairedTornLine = true
            try flush(sync: true)
        }
    }

    deinit {
        Glibc.close(descriptor)
        pending.deallocate()
    }

    /// Makes room for `count` more pending bytes.
    @inline(__always)
    private func reserve(_ count: Int) {
        if pendingCount + count > pendingCapacity { grow(to: pendingCount + count) }
    }

    private func grow(to minimum: Int) {
        var capacity = pendingCapacity * 2
        while capacity < minimum { capacity *= 2 }
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        larger.moveInitialize(from: pending, count: pendingCount)
        pending.deallocate()
        pending = larger
        pendingCapacity = capacity
    }

    /// Queues one line (without its newline).
    func append(line: some Collection<UInt8>) {
        let count = line.count
        reserve(count + 1)
        var cursor = pending + pendingCount
        for byte in line {
            cursor.initialize(to: byte)
            cursor += 1
        }
        cursor.initialize(to: 0x0A)
        pendingCount += count + 1
        pendingLines += 1
    }

    /// Queues one line that `body` writes straight into the pending buffer,
    /// writing at most `maxCount` bytes (the newline is added).
    @inline(__always)
    func appendLine(maxCount: Int, _ body: (inout ByteWriter) -> Void) {
        reserve(maxCount + 1)
        let start = pending + pendingCount
        var writer = ByteWriter(start)
        body(&writer)
        writer.put(0x0A)
        let written = writer.cursor - start
        precondition(written <= maxCount + 1, "a log line overran its bound")
        pendingCount += written
        pendingLines += 1
    }

    /// Writes every pending line; on failure the unwritten bytes stay pending.
    func flush(sync: Bool) throws(MonitorError) {
        var written = 0
        while written < pendingCount {
            let result = Glibc.write(descriptor, pending + written, pendingCount - written)
            if result < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                memmove(pending, pending + written, pendingCount - written)
                pendingCount -= written
                size += written
                throw .unreadableFile(path: url.path, reason: "write failed: \(reason)")
            }
            written += result
        }
        size += written
        pendingCount = 0
        pendingLines = 0
        if sync { fsync(descriptor) }
        if let rotation, size >= rotation.maxBytes { try rotate(rotation) }
    }

    /// `name` → `name.1` → `name.2` …, deleting beyond the retained count.
    private func rotate(_ rotation: MonitorConfiguration.LogRotation) throws(MonitorError) {
        let fm = FileManager.default
        let path = url.path
        if rotation.retainedFiles <= 0 {
            _ = Glibc.ftruncate(descriptor, 0)
        } else {
            try? fm.removeItem(atPath: "\(path).\(rotation.retainedFiles)")
            for index in stride(from: rotation.retainedFiles - 1, through: 1, by: -1)
            where fm.fileExists(atPath: "\(path).\(index)") {
                _ = Glibc.rename("\(path).\(index)", "\(path).\(index + 1)")
            }
            _ = Glibc.rename(path, "\(path).1")
        }
        Glibc.close(descriptor)
        descriptor = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .unreadableFile(path: path, reason: String(cString: strerror(errno))) }
        size = 0
    }

    private static func lastByte(of url: URL) throws(MonitorError) -> UInt8? {
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            let end = try handle.seekToEnd()
            guard end > 0 else { return nil }
            try handle.seek(toOffset: end - 1)
            return try handle.read(upToCount: 1)?.first
        } catch {
            throw .unreadableFile(path: url.path, reason: "\(error)")
        }
    }
}
