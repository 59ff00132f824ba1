/// What loading a monitor directory read, kept and skipped.
public struct LoadReport: Sendable, Equatable {
    /// Counts for one log file.
    public struct FileCounts: Sendable, Equatable {
        /// Non-blank lines read.
        public var lines = 0
        /// Lines that decoded to a record.
        public var records = 0
        /// Lines that were not a record the reference accepts (garbage, a
        /// torn last line, a wrong shape, an unreadable timestamp).
        public var skipped = 0
        /// Records older than the load window (the reference's 24 hours).
        public var expired = 0
        /// Records pushed out by the capacity (the oldest first).
        public var evicted = 0
        /// Whether the file ends without a newline (a torn last line).
        public var endsWithoutNewline = false

        public init() {}

        /// Adds the counts of another file of the same log (a rotated copy).
        public mutating func add(_ other: FileCounts) {
            lines += other.lines
            records += other.records
            skipped += other.skipped
            expired += other.expired
            evicted += other.evicted
            endsWithoutNewline = endsWithoutNewline || other.endsWithoutNewline
        }
    }

    public var predictions = FileCounts()
    public var metrics = FileCounts()
    public var alerts = FileCounts()
    /// How the window's capacity cut the predictions of the load window,
    /// or `nil` when they all fit: the reference's `deque(maxlen=10000)`
    /// silently keeps the newest 10,000, so a stream of 100 predictions a
    /// second shows 2,000 a minute. Never `nil` when ``FileCounts/evicted``
    /// of ``predictions`` is positive.
    public var truncatedByCapacity: CapacityTruncation?

    public init() {}

    /// Predictions of the load window (the last 24 hours) that the window's
    /// capacity dropped when loading, and the capacity that would hold them.
    public struct CapacityTruncation: Sendable, Equatable, Codable {
        /// The window's capacity.
        public var capacity: Int
        /// Predictions of the load window dropped (the oldest first).
        public var droppedRecords: Int
        /// The capacity that holds every prediction of the load window
        /// (held plus dropped).
        public var requiredCapacity: Int
        /// Whether the dropped predictions reach into the last five minutes
        /// before the load's `now`, so that `current_metrics` (predictions per
        /// minute, averages, percentiles) sees only part of them.
        public var truncatesCurrentWindow: Bool

        public init(capacity: Int, droppedRecords: Int, requiredCapacity: Int, truncatesCurrentWindow: Bool) {
            self.capacity = capacity
            self.droppedRecords = droppedRecords
            self.requiredCapacity = requiredCapacity
            self.truncatesCurrentWindow = truncatesCurrentWindow
        }

        /// The largest capacity a monitor accepts (``MonitorConfiguration/capacity``).
        public static let maximumCapacity = 100_000_000

        /// The capacity to suggest: ``requiredCapacity``, at most ``maximumCapacity``.
        public var suggestedCapacity: Int { min(requiredCapacity, Self.maximumCapacity) }

        /// One sentence for a person: "the window capacity of 10000 dropped
        /// 20000 of the 30000 predictions of the load window, so the 5-minute
        /// metrics see only the newest 10000; a capacity of 30000 holds them".
        public var summary: String {
            var text = "the window capacity of \(capacity) dropped \(droppedRecords) of the \(requiredCapacity) predictions of the load window"
            text += truncatesCurrentWindow
                ? ", so the 5-minute metrics (current_metrics) see only the newest \(capacity)"
                : " (the 5-minute metrics are complete; the patterns and the confidence analysis are not)"
            return text + (requiredCapacity <= Self.maximumCapacity
                           ? "; a capacity of \(requiredCapacity) holds them"
                           : "; even the largest capacity, \(Self.maximumCapacity), does not hold them")
        }
    }

    /// Lines skipped in all files.
    public var skippedLines: Int { predictions.skipped + metrics.skipped + alerts.skipped }

    /// A one-line summary of the skipped lines, or `nil` when none was.
    public var skippedSummary: String? {
        guard skippedLines > 0 else { return nil }
        let parts = [("predictions.json", predictions.skipped), ("metrics.json", metrics.skipped),
                     ("alerts.json", alerts.skipped)].filter { $0.1 > 0 }.map { "\($0.0): \($0.1)" }
        return "skipped \(skippedLines) undecodable line\(skippedLines == 1 ? "" : "s") (\(parts.joined(separator: ", ")))"
    }
}
