import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Checks of output directories (`simulate --out`, `heuristics --out`,
/// `nab --out`) for `validate()`, before any work: a run of minutes must not
/// end in "cannot write".
enum OutputPath {
    /// Checks that `path` is a directory the process can write into, or can
    /// be created: the nearest ancestor that exists is a directory in which
    /// a folder can be made. Both are probed for real (a temporary folder is
    /// made and removed), so a read-only mount, `/proc` or a permission fail
    /// here whoever runs the command, root included.
    ///
    /// - Parameter option: The option's name without dashes, for the message.
    /// - Throws: `ValidationError` ("--out '/proc/x': cannot create it in /proc: …"),
    ///   which the CLI prints as one line and exit code 2.
    static func checkDirectory(_ path: String, option: String = "out") throws {
        func failure(_ reason: String) -> ValidationError { ValidationError("--\(option) '\(path)': \(reason).") }
        guard !path.isEmpty else { throw failure("is empty") }
        guard !path.utf8.contains(0) else { throw failure("contains a NUL byte") }
        var url = URL(fileURLWithPath: path).standardizedFileURL
        var info = stat()
        if stat(url.path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw failure("exists and is not a directory") }
            if let reason = probe(url.path) { throw failure("cannot write into it: \(reason)") }
            return
        }
        // The nearest existing ancestor must be a directory where the folders can be created.
        while true {
            guard errno == ENOENT || errno == ENOTDIR else { throw failure("cannot create it: \(url.path): \(String(cString: strerror(errno)))") }
            let parent = url.deletingLastPathComponent()
            guard parent.path != url.path else { throw failure("no part of the path exists") }
            url = parent
            if stat(url.path, &info) == 0 { break }
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw failure("cannot create it: \(url.path) is not a directory") }
        if let reason = probe(url.path) { throw failure("cannot create it in \(url.path): \(reason)") }
    }

    /// Makes and removes a temporary folder in `directory`; the reason it
    /// could not, or `nil`.
    private static func probe(_ directory: String) -> String? {
        var template = Array((directory + "/.notebooks-probe-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard let made else { return String(cString: strerror(errno)) }
        rmdir(made)
        return nil
    }

    /// Creates the output directory `path` (and its parents) at the start of
    /// a run, so that a path that ``checkDirectory(_:option:)`` accepted but
    /// that changed since still fails before the work.
    ///
    /// - Returns: The directory's URL.
    /// - Throws: `ExitCode(2)` after one line on stderr naming the path and the reason.
    static func create(_ path: String) throws -> URL {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw fail("\(path): cannot create the output directory (\(Notebooks.Heuristics.reason(error)))")
        }
        return url
    }
}
