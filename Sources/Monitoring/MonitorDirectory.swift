import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files of a monitor, laid out as the reference's
/// `PredictionMonitor(base_dir)`: `base_dir/monitor/{predictions,metrics,alerts}.json`.
public struct MonitorDirectory: Sendable, Equatable {
    /// The folder holding the three logs.
    public var monitorURL: URL

    public var predictionsURL: URL { monitorURL.appendingPathComponent("predictions.json") }
    public var metricsURL: URL { monitorURL.appendingPathComponent("metrics.json") }
    public var alertsURL: URL { monitorURL.appendingPathComponent("alerts.json") }
    /// The writer's advisory lock (holding its pid), see ``PredictionMonitor``.
    public var lockURL: URL { monitorURL.appendingPathComponent("writer.lock") }

    /// The monitor folder itself.
    public init(monitorURL: URL) { self.monitorURL = monitorURL }

    /// Resolves a path given by a user: a base directory holding `monitor/`,
    /// or the `monitor/` folder itself (recognised by its name or its logs).
    /// A base directory without either resolves to its (missing) `monitor/`
    /// folder, which reads as empty, as the reference reads it.
    ///
    /// - Throws: ``MonitorError`` when the path is missing or not a
    ///   directory, or when it or its `monitor/` folder exists but cannot be
    ///   entered or listed (a permission error is never read as "empty").
    public static func resolve(_ path: String) throws(MonitorError) -> MonitorDirectory {
        switch try FileKind.of(path) {
        case .missing: throw .directoryNotFound(path: path)
        case .other: throw .notADirectory(path: path)
        case .directory: break
        }
        guard access(path, R_OK | X_OK) == 0 else { throw .unreadableDirectory(path: path, reason: String(cString: strerror(errno))) }
        let url = URL(fileURLWithPath: path, isDirectory: true)
        let nested = url.appendingPathComponent("monitor", isDirectory: true)
        let nestedPath = (path.hasSuffix("/") ? path : path + "/") + "monitor"
        switch try FileKind.of(nestedPath) {
        case .directory:
            guard access(nestedPath, R_OK | X_OK) == 0 else {
                throw .unreadableDirectory(path: nestedPath, reason: String(cString: strerror(errno)))
            }
            return MonitorDirectory(monitorURL: nested)
        case .other:
            throw .notADirectory(path: nestedPath)
        case .missing:
            // No monitor/ inside: this is the monitor folder, or a base directory
            // the reference has not written to yet (which reads as empty).
            let own = MonitorDirectory(monitorURL: url)
            let hasLogs = try !own.existingLogs().isEmpty
            return hasLogs || url.lastPathComponent == "monitor" ? own : MonitorDirectory(monitorURL: nested)
        }
    }

    /// The logs present, rotated copies included (`predictions.json.3`, …).
    ///
    /// - Throws: ``MonitorError/unreadableDirectory(path:reason:)`` when the
    ///   monitor folder exists but cannot be listed.
    /// - Complexity: O(entries in the monitor folder).
    public func existingLogs() throws(MonitorError) -> [URL] {
        let names = try Self.entries(of: monitorURL.path) ?? []
        let logNames = ["predictions.json", "metrics.json", "alerts.json"]
        return names.filter { name in
            logNames.contains { name == $0 || (name.hasPrefix($0 + ".") && Self.rotationIndex(name, of: $0) != nil) }
        }.sorted().map { monitorURL.appendingPathComponent($0) }
    }

    /// Refuses a directory with nothing to read: what the CLI's readers
    /// (`analyze`, `detect`, `replay`) call after ``resolve(_:)``, so that a
    /// mistyped path is an error rather than a healthy-looking empty report.
    ///
    /// - Parameter path: The path as the user gave it, for the message.
    /// - Throws: ``MonitorError/noLogs(path:)``, or a read error of the folder.
    public func requireLogs(givenAs path: String) throws(MonitorError) {
        if try existingLogs().isEmpty { throw .noLogs(path: path) }
    }

    /// The rotated copies of `log` present (`name.1`, `name.2`, …, gaps
    /// allowed: a crash between two renames of a rotation leaves one), oldest
    /// (highest index) first.
    ///
    /// - Throws: ``MonitorError/unreadableDirectory(path:reason:)`` when the
    ///   folder exists but cannot be listed.
    /// - Complexity: O(e + r log r) for e entries in the folder and r rotated copies.
    static func rotatedFiles(of log: URL) throws(MonitorError) -> [URL] {
        let folder = log.deletingLastPathComponent()
        let name = log.lastPathComponent
        let names = try entries(of: folder.path) ?? []
        return names.compactMap { entry in rotationIndex(entry, of: name).map { ($0, entry) } }
            .sorted { $0.0 > $1.0 }
            .map { folder.appendingPathComponent($0.1) }
    }

    /// `3` for `predictions.json.3` (digits only, at least 1), else `nil`.
    static func rotationIndex(_ entry: String, of name: String) -> Int? {
        guard entry.hasPrefix(name + ".") else { return nil }
        let suffix = entry.dropFirst(name.count + 1)
        guard !suffix.isEmpty, suffix.count <= 9, suffix.allSatisfy({ $0.isASCII && $0.isNumber }),
              let index = Int(suffix), index >= 1 else { return nil }
        return index
    }

    /// The names in a directory, or `nil` when it does not exist.
    static func entries(of path: String) throws(MonitorError) -> [String]? {
        guard let stream = opendir(path) else {
            let code = errno
            if code == ENOENT { return nil }
            if code == ENOTDIR { throw .notADirectory(path: path) }
            throw .unreadableDirectory(path: path, reason: String(cString: strerror(code)))
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }
}

/// What is at a path, by `stat(2)`: missing (ENOENT) is not an error, any
/// other failure (a permission, a loop) is.
enum FileKind {
    case missing, directory, other

    static func of(_ path: String) throws(MonitorError) -> FileKind {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT { return .missing }
            if code == ENOTDIR { throw .notADirectory(path: (path as NSString).deletingLastPathComponent) }
            throw .unreadableDirectory(path: (path as NSString).deletingLastPathComponent, reason: String(cString: strerror(code)))
        }
        return (info.st_mode & S_IFMT) == S_IFDIR ? .directory : .other
    }
}
