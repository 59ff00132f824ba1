/// Writes prediction log lines exactly as the reference's `json.dumps(asdict(record))`.
public enum PredictionLineEncoder {
    /// The line of a prediction record, without its newline.
    public static func line(_ record: PredictionRecord) -> [UInt8] {
        var out = head(record.timestamp)
        out.append(contentsOf: tail(record))
        return out
    }

    /// `{"timestamp": "…"`: the part written once the clock has been read.
    static func head(_ timestamp: LocalTimestamp) -> [UInt8] {
        var out: [UInt8] = Array("{\"timestamp\": \"".utf8)
        out.reserveCapacity(48)
        JSONBytes.appendTimestamp(timestamp, to: &out)
        out.append(UInt8(ascii: "\""))
        return out
    }

    /// The line head through a per-minute cache of `{"timestamp": "YYYY-MM-DDTHH:MM:`:
    /// only the seconds and microseconds are formatted per record.
    static func head(_ timestamp: LocalTimestamp, cache: inout (minute: Int64, prefix: [UInt8])) -> [UInt8] {
        let (minute, within) = LocalTimestamp.floorDivision(timestamp.microseconds, LocalTimestamp.microsecondsPerMinute)
        if cache.minute != minute {
            let full = head(LocalTimestamp(microseconds: minute * LocalTimestamp.microsecondsPerMinute))
            cache = (minute, Array(full.prefix(full.count - 3)))  // drop `00"`
        }
        var out = cache.prefix
        out.reserveCapacity(out.count + 11)
        JSONBytes.appendSecondsAndFraction(second: Int(within / LocalTimestamp.microsecondsPerSecond),
                                           microsecond: Int(within % LocalTimestamp.microsecondsPerSecond), to: &out)
        out.append(UInt8(ascii: "\""))
        return out
    }

    /// Everything after the timestamp, so that the costly part of a line can
    /// be written before the clock is read (and outside the monitor's lock).
    static func tail(_ record: PredictionRecord) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(224)
        out.append(contentsOf: ", \"text_hash\": ".utf8)
        JSONBytes.appendString(record.textHash, to: &out)
        out.append(contentsOf: ", \"prediction\": ".utf8)
        JSONBytes.appendString(record.prediction, to: &out)
        out.append(contentsOf: ", \"confidence\": ".utf8)
        JSONBytes.appendDouble(record.confidence, to: &out)
        out.append(contentsOf: ", \"processing_time\": ".utf8)
        JSONBytes.appendDouble(record.processingTime, to: &out)
        out.append(contentsOf: ", \"model_version\": ".utf8)
        JSONBytes.appendString(record.modelVersion, to: &out)
        out.append(contentsOf: ", \"text_length\": ".utf8)
        JSONBytes.appendInt(record.textLength, to: &out)
        out.append(contentsOf: ", \"word_count\": ".utf8)
        JSONBytes.appendInt(record.wordCount, to: &out)
        out.append(contentsOf: ", \"client_id\": ".utf8)
        appendOptional(record.clientID, to: &out)
        out.append(contentsOf: ", \"user_agent\": ".utf8)
        appendOptional(record.userAgent, to: &out)
        out.append(contentsOf: ", \"session_id\": ".utf8)
        appendOptional(record.sessionID, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    private static func appendOptional(_ value: String?, to out: inout [UInt8]) {
        if let value { JSONBytes.appendString(value, to: &out) } else { out.append(contentsOf: "null".utf8) }
    }
}
