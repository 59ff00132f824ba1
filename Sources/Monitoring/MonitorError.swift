/// Why a monitor directory or log cannot be read or written. Each
/// description reads `<path>: <reason>`, the form the CLI prints.
public enum MonitorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path does not exist.
    case directoryNotFound(path: String)
    /// The path exists but is not a directory.
    case notADirectory(path: String)
    /// A directory exists but cannot be listed or entered (a permission, an I/O error).
    case unreadableDirectory(path: String, reason: String)
    /// A log file exists but cannot be read (a permission, not a regular file, an I/O error).
    case unreadableFile(path: String, reason: String)
    /// A base directory holds neither a `monitor/` folder nor any log: a
    /// mistyped path, refused by the CLI's readers (the library reads it as
    /// empty, as the reference does).
    case noLogs(path: String)
    /// Writing a log failed (a full disk, a read-only file system, an I/O
    /// error); the unwritten lines stay pending and are retried.
    case writeFailed(path: String, reason: String)
    /// Another writer holds the monitor directory's lock (`writer.lock`).
    case lockedByAnotherWriter(path: String, pid: Int32?)

    public var description: String {
        switch self {
        case .directoryNotFound(let path): return "\(path): no such directory"
        case .notADirectory(let path): return "\(path): not a directory"
        case .unreadableDirectory(let path, let reason): return "\(path): cannot read the directory: \(reason)"
        case .unreadableFile(let path, let reason): return "\(path): cannot read: \(reason)"
        case .noLogs(let path):
            return "\(path): no monitor logs here (no monitor/ folder, and no predictions.json, metrics.json or alerts.json)"
        case .writeFailed(let path, let reason): return "\(path): write failed: \(reason)"
        case .lockedByAnotherWriter(let path, let pid):
            return "\(path): another writer holds this monitor directory" + (pid.map { " (pid \($0))" } ?? " (pid unknown)")
        }
    }
}
