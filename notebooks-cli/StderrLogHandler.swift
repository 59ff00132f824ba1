import Logging

/// A swift-log handler for the CLI's monitors: each message at or above its
/// level is one line `notebooks: <message>` on stderr (through
/// ``printError(_:)``, which never crashes); metadata is left out, since the
/// monitor's messages are whole sentences, except `suggested_capacity`,
/// which becomes the option to use: `(use --capacity N)`.
struct StderrLogHandler: LogHandler {
    var logLevel: Logger.Level = .warning
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let hint = event.metadata?["suggested_capacity"].map { " (use --capacity \($0))" } ?? ""
        printError("notebooks: \(event.message)\(hint)")
    }

    /// A logger for a command's monitor: warnings and errors on stderr.
    static func logger(label: String = "notebooks.monitor") -> Logger {
        Logger(label: label) { _ in StderrLogHandler() }
    }
}
