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

    public init() {}

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
