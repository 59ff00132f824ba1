import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exclusive advisory lock a writing ``PredictionMonitor`` holds on its
/// monitor directory: `flock(LOCK_EX)` on `writer.lock`, which holds the
/// holder's pid. It is released when the monitor is deallocated or the
/// process ends (however it ends). Readers take no lock.
///
/// `flock` locks belong to an open file description, so two monitors in one
/// process, each opening the file, exclude each other as two processes do.
final class WriterLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock without waiting.
    ///
    /// - Returns: `nil` when the lock file cannot be created because the file
    ///   system is full or read-only (then no other process can write either;
    ///   the monitor opens degraded).
    /// - Throws: ``MonitorError/lockedByAnotherWriter(path:pid:)`` when
    ///   another writer holds it, ``MonitorError/writeFailed(path:reason:)``
    ///   when the lock file cannot be opened or locked for another reason.
    static func acquire(_ directory: MonitorDirectory) throws(MonitorError) -> WriterLock? {
        let path = directory.lockURL.path
        let descriptor = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if descriptor < 0 {
            let code = errno
            if LogFile.isSpaceOrReadOnly(code) { return nil }
            throw .writeFailed(path: path, reason: "cannot open the lock file: \(String(cString: strerror(code)))")
        }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            let holder = code == EWOULDBLOCK ? readPID(descriptor) : nil
            Glibc.close(descriptor)
            if code == EWOULDBLOCK { throw .lockedByAnotherWriter(path: directory.monitorURL.path, pid: holder) }
            throw .writeFailed(path: path, reason: "cannot lock: \(String(cString: strerror(code)))")
        }
        // Best effort on a full disk: the lock holds whether or not the pid is written.
        let text = Array("\(getpid())\n".utf8)
        if pwrite(descriptor, text, text.count, 0) == text.count { _ = ftruncate(descriptor, off_t(text.count)) }
        return WriterLock(descriptor: descriptor)
    }

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { Glibc.close(descriptor) }

    /// The pid written at the start of the lock file, if it reads as one.
    private static func readPID(_ descriptor: Int32) -> Int32? {
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &bytes, bytes.count, 0)
        guard count > 0 else { return nil }
        let line = bytes[..<count].prefix { $0 != 0x0A }
        return Int32(String(decoding: line, as: UTF8.self))
    }

}
