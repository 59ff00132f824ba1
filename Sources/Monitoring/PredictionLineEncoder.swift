/// Writes prediction log lines exactly as the reference's `json.dumps(asdict(record))`.
///
/// The hot path (``PredictionMonitor``) writes a line straight into the
/// log's pending buffer through a ``ByteWriter``, after reserving
/// ``maxLineCount(hash:prediction:modelVersion:clientID:userAgent:sessionID:)``
/// bytes; ``line(_:)`` runs the same code into an array.
package enum PredictionLineEncoder {
    /// The line of a prediction record, without its newline.
    package static func line(_ record: PredictionRecord) -> [UInt8] {
        let maxCount = maxLineCount(hash: record.textHash, prediction: record.prediction, modelVersion: record.modelVersion,
                                    clientID: record.clientID, userAgent: record.userAgent, sessionID: record.sessionID)
        return bytes(maxCount: maxCount) { writer in
            writeHead(record.timestamp, to: &writer)
            writeTail(hash: record.textHash, prediction: record.prediction, confidence: record.confidence,
                      processingTime: record.processingTime, modelVersion: record.modelVersion,
                      textLength: record.textLength, wordCount: record.wordCount,
                      clientID: record.clientID, userAgent: record.userAgent, sessionID: record.sessionID, to: &writer)
        }
    }

    /// The most bytes a line (without its newline) of these strings takes.
    @inline(__always)
    static func maxLineCount<Hash: LineStringField>(hash: Hash, prediction: String, modelVersion: String,
                                                    clientID: String?, userAgent: String?, sessionID: String?) -> Int {
        // 48 for the head, 168 for the keys and separators, two floats, two
        // ints, and each string escaped at worst (or `null`).
        let strings = prediction.utf8.count + modelVersion.utf8.count + (clientID?.utf8.count ?? 0)
            + (userAgent?.utf8.count ?? 0) + (sessionID?.utf8.count ?? 0)
        return 48 + 168 + 2 * ByteWriter.maxFloatCount + 2 * ByteWriter.maxIntCount + 5 * 4
            + ByteWriter.maxStringCount(utf8Count: strings) + hash.maxJSONCount
    }

    /// `{"timestamp": "…"`: the part written once the clock has been read.
    static func writeHead(_ timestamp: LocalTimestamp, to writer: inout ByteWriter) {
        writer.put("{\"timestamp\": \"")
        writer.putTimestamp(timestamp)
        writer.put(UInt8(ascii: "\""))
    }

    /// The line head through a per-minute cache of `{"timestamp": "YYYY-MM-DDTHH:MM:`:
    /// only the seconds and microseconds are formatted per record.
    @inline(__always)
    static func writeHead(_ timestamp: LocalTimestamp, cache: inout HeadCache, to writer: inout ByteWriter) {
        let (minute, within) = LocalTimestamp.floorDivision(timestamp.microseconds, LocalTimestamp.microsecondsPerMinute)
        if cache.minute != minute { cache.fill(minute: minute) }
        withUnsafeBytes(of: cache.prefix) { writer.put(UnsafeRawBufferPointer(rebasing: $0[..<cache.count])) }
        writer.putSecondsAndFraction(second: Int(within / LocalTimestamp.microsecondsPerSecond),
                                     microsecond: Int(within % LocalTimestamp.microsecondsPerSecond))
        writer.put(UInt8(ascii: "\""))
    }

    /// `{"timestamp": "YYYY-MM-DDTHH:MM:` of one minute, inline.
    struct HeadCache {
        var minute = Int64.min
        var prefix: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        var count = 0

        mutating func fill(minute: Int64) {
            let start = LocalTimestamp(microseconds: minute * LocalTimestamp.microsecondsPerMinute)
            count = withUnsafeMutableBytes(of: &prefix) { raw in
                var writer = ByteWriter(raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
                writeHead(start, to: &writer)  // ends in `00"`
                return writer.cursor - raw.baseAddress!.assumingMemoryBound(to: UInt8.self) - 3
            }
            self.minute = minute
        }
    }

    /// Everything after the timestamp.
    @inline(__always)
    static func writeTail<Hash: LineStringField>(
        hash: Hash, prediction: String, confidence: Double, processingTime: Double, modelVersion: String,
        textLength: Int, wordCount: Int, clientID: String?, userAgent: String?, sessionID: String?,
        to writer: inout ByteWriter
    ) {
        writer.put(", \"text_hash\": ")
        hash.writeJSON(to: &writer)
        writer.put(", \"prediction\": ")
        writer.putString(prediction)
        writer.put(", \"confidence\": ")
        writer.putJSONFloat(confidence)
        writer.put(", \"processing_time\": ")
        writer.putJSONFloat(processingTime)
        writer.put(", \"model_version\": ")
        writer.putString(modelVersion)
        writer.put(", \"text_length\": ")
        writer.putInt(textLength)
        writer.put(", \"word_count\": ")
        writer.putInt(wordCount)
        writer.put(", \"client_id\": ")
        putOptional(clientID, to: &writer)
        writer.put(", \"user_agent\": ")
        putOptional(userAgent, to: &writer)
        writer.put(", \"session_id\": ")
        putOptional(sessionID, to: &writer)
        writer.put(UInt8(ascii: "}"))
    }

    @inline(__always)
    private static func putOptional(_ value: String?, to writer: inout ByteWriter) {
        if let value { writer.putString(value) } else { writer.put("null") }
    }

    /// `{"timestamp": "…"` as bytes (for tests).
    static func head(_ timestamp: LocalTimestamp) -> [UInt8] {
        bytes(maxCount: 48) { writeHead(timestamp, to: &$0) }
    }

    /// The cached head as bytes (for tests).
    static func head(_ timestamp: LocalTimestamp, cache: inout HeadCache) -> [UInt8] {
        bytes(maxCount: 48) { writeHead(timestamp, cache: &cache, to: &$0) }
    }
}

/// A string field of a log line: a `String` (escaped as `json.dumps` does)
/// or a ``TextHash`` (16 hex digits, written as they are).
protocol LineStringField: Sendable {
    /// The most bytes ``writeJSON(to:)`` writes.
    var maxJSONCount: Int { get }
    func writeJSON(to writer: inout ByteWriter)
}

extension String: LineStringField {
    var maxJSONCount: Int { ByteWriter.maxStringCount(utf8Count: utf8.count) }
    func writeJSON(to writer: inout ByteWriter) { writer.putString(self) }
}

extension TextHash: LineStringField {
    var maxJSONCount: Int { 18 }
    @inline(__always)
    func writeJSON(to writer: inout ByteWriter) {
        writer.put(UInt8(ascii: "\""))
        withBytes { writer.put($0) }
        writer.put(UInt8(ascii: "\""))
    }
}
