/// A length of time written as in scenario files: `"90s"`, `"30m"`, `"6h"`,
/// `"2d"`, or a plain number of seconds. Stored in microseconds.
public struct TimeSpan: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var microseconds: Int64

    public init(microseconds: Int64) { self.microseconds = microseconds }
    public static func seconds(_ s: Double) -> TimeSpan { TimeSpan(microseconds: Int64((s * 1e6).rounded())) }
    public static func minutes(_ m: Double) -> TimeSpan { .seconds(m * 60) }
    public static func hours(_ h: Double) -> TimeSpan { .seconds(h * 3600) }

    public var seconds: Double { Double(microseconds) / 1e6 }

    /// Parses `"90s"`, `"30m"`, `"1.5h"`, `"2d"` or `"45"` (seconds).
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let unit = trimmed.last else { return nil }
        let scale: Double
        var number = Substring(trimmed)
        switch unit {
        case "s": scale = 1; number = number.dropLast()
        case "m": scale = 60; number = number.dropLast()
        case "h": scale = 3600; number = number.dropLast()
        case "d": scale = 86_400; number = number.dropLast()
        default: scale = 1
        }
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        self = .seconds(value * scale)
    }

    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.microseconds < rhs.microseconds }

    public var description: String {
        let s = seconds
        if s >= 3600, s.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(s / 3600))h" }
        if s >= 60, s.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(s / 60))m" }
        if s.rounded() == s { return "\(Int(s))s" }
        return "\(s)s"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let seconds = try? container.decode(Double.self) {
            self = .seconds(seconds)
            return
        }
        let text = try container.decode(String.self)
        guard let span = TimeSpan(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a time span like 30m or 6h")
        }
        self = span
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

import Foundation
