/// Why a monitor directory or log cannot be read.
public enum MonitorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path does not exist.
    case directoryNotFound(path: String)
    /// The path exists but is not a directory.
    case notADirectory(path: String)
    /// A log file exists but cannot be read.
    case unreadableFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .directoryNotFound(let path): return "no such directory: \(path)"
        case .notADirectory(let path): return "not a directory: \(path)"
        case .unreadableFile(let path, let reason): return "cannot read \(path): \(reason)"
        }
    }
}
