import Logging
import Synchronization

/// A swift-log handler that keeps what it is given (copies share one store).
struct LogCapture: LogHandler, Sendable {
    final class Store: Sendable {
        let entries = Mutex<[(level: Logger.Level, message: String)]>([])
    }
    let store = Store()
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    var messages: [(level: Logger.Level, message: String)] { store.entries.withLock { $0 } }

    /// The messages logged at `level`.
    func messages(at level: Logger.Level) -> [String] { messages.filter { $0.level == level }.map(\.message) }

    func log(event: LogEvent) {
        store.entries.withLock { $0.append((event.level, "\(event.message)")) }
    }

    /// A logger writing into this capture.
    var logger: Logger { Logger(label: "test") { _ in self } }
}
