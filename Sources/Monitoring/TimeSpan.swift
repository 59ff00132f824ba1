import Foundation

/// A length of time, as every command-line option and scenario file writes
/// one: a non-negative decimal number and a unit, `s` (seconds), `m`
/// (minutes), `h` (hours) or `d` (days), as in `90s`, `15m`, `1.5h`, `2d`
/// or `1e3s`. A plain number is seconds. Stored in whole microseconds.
///
/// ``init(parsing:)`` is the one parser for all of them: it rejects unknown
/// units, non-finite and negative values, and spans longer than
/// ``maximum`` (100 years), each with a ``ParseError`` that says why.
public struct TimeSpan: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The length in microseconds.
    public var microseconds: Int64

    /// The longest span the parser accepts: 100 years of 365.25 days.
    public static let maximum = TimeSpan(microseconds: 36_525 * 86_400 * 1_000_000)
    /// Zero.
    public static let zero = TimeSpan(microseconds: 0)

    /// A span of `microseconds`.
    public init(microseconds: Int64) { self.microseconds = microseconds }

    /// A span of `s` seconds, rounded to the microsecond.
    ///
    /// - Precondition: `s` is finite and at most ``maximum`` in magnitude
    ///   (so that it fits in microseconds); parse text with ``init(parsing:)``.
    public static func seconds(_ s: Double) -> TimeSpan {
        precondition(s.isFinite && abs(s) <= maximum.seconds, "TimeSpan of \(s) s is out of range (at most 100 years)")
        return TimeSpan(microseconds: Int64((s * 1e6).rounded()))
    }
    /// A span of `m` minutes; see ``seconds(_:)``.
    public static func minutes(_ m: Double) -> TimeSpan { .seconds(m * 60) }
    /// A span of `h` hours; see ``seconds(_:)``.
    public static func hours(_ h: Double) -> TimeSpan { .seconds(h * 3600) }
    /// A span of `d` days; see ``seconds(_:)``.
    public static func days(_ d: Double) -> TimeSpan { .seconds(d * 86_400) }

    /// The length in seconds.
    public var seconds: Double { Double(microseconds) / 1e6 }

    /// The length as a `Duration`.
    public var duration: Duration { .microseconds(microseconds) }

    /// The span of `duration`, rounded to the microsecond half to even (as
    /// Python's `timedelta` rounds).
    ///
    /// - Precondition: `duration` is at most ``maximum`` in magnitude.
    public init(_ duration: Duration) {
        precondition(duration <= Self.maximum.duration && duration >= .zero - Self.maximum.duration,
                     "TimeSpan of \(duration) is out of range (at most 100 years)")
        self.init(microseconds: LocalTimestamp.roundedMicroseconds(duration))
    }

    /// Why a text is not a time span.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// Nothing but whitespace.
        case empty
        /// The number part is not a decimal number (`abc`, `0x10`, `inf`, `1..5`).
        case notANumber(String)
        /// A unit other than `s`, `m`, `h` and `d`.
        case unknownUnit(text: String, unit: String)
        /// The number overflows a `Double` (`1e400s`).
        case notFinite(String)
        /// A minus sign.
        case negative(String)
        /// Longer than ``TimeSpan/maximum``.
        case tooLong(String)

        public var description: String {
            switch self {
            case .empty: return "a time span is empty (write e.g. 90s, 15m, 6h or 2d)"
            case .notANumber(let text): return "'\(text)' is not a time span (write e.g. 90s, 15m, 6h, 2d, or a number of seconds)"
            case .unknownUnit(let text, let unit):
                return "'\(text)' has an unknown unit '\(unit)' (use s, m, h or d, e.g. 90s, 15m, 6h, 2d)"
            case .notFinite(let text): return "'\(text)' is not a finite time span"
            case .negative(let text): return "'\(text)' is negative; a time span must be zero or more"
            case .tooLong(let text): return "'\(text)' is longer than the longest time span allowed (100 years)"
            }
        }
    }

    /// Parses `"90s"`, `"15m"`, `"1.5h"`, `"2d"`, `"1e3s"` or `"45"` (seconds),
    /// with optional surrounding spaces.
    ///
    /// The number is `digits[.digits][e[+-]digits]` (or `.digits…`); the unit,
    /// if any, is one of `s`, `m`, `h`, `d`. The span is rounded to the
    /// microsecond, so `0.0000001s` is zero: callers check their own minimum.
    ///
    /// - Throws: ``ParseError`` for anything else, a non-finite or negative
    ///   number, or a span longer than ``maximum``.
    public init(parsing text: String) throws(ParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw .empty }
        var utf8 = Array(trimmed.utf8)
        if utf8.first == UInt8(ascii: "-") { throw .negative(trimmed) }
        // The unit: the trailing letters.
        var unitStart = utf8.count
        while unitStart > 0, Self.isLetter(utf8[unitStart - 1]) { unitStart -= 1 }
        let unit = String(decoding: utf8[unitStart...], as: UTF8.self)
        utf8.removeSubrange(unitStart...)
        let scale: Double
        switch unit {
        case "", "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3600
        case "d": scale = 86_400
        default:
            guard Self.isDecimal(utf8) else { throw .notANumber(trimmed) }
            throw .unknownUnit(text: trimmed, unit: unit)
        }
        guard Self.isDecimal(utf8), let value = Double(String(decoding: utf8, as: UTF8.self)) else {
            throw .notANumber(trimmed)
        }
        guard value.isFinite else { throw .notFinite(trimmed) }
        let seconds = value * scale
        guard seconds.isFinite else { throw .notFinite(trimmed) }
        guard seconds <= Self.maximum.seconds else { throw .tooLong(trimmed) }
        self.init(microseconds: Int64((seconds * 1e6).rounded()))
    }

    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }

    /// `digits[.digits][e[+-]digits]` or `.digits[e[+-]digits]`.
    private static func isDecimal(_ bytes: [UInt8]) -> Bool {
        var i = 0
        func digits() -> Int {
            let start = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            return i - start
        }
        var mantissa = digits()
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == bytes.count
    }

    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.microseconds < rhs.microseconds }

    /// The span in the largest unit up to hours that divides it: `48h`, `90m`, `45s`, `1.5s`.
    public var description: String {
        let s = seconds
        if s >= 3600, s.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(s / 3600))h" }
        if s >= 60, s.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(s / 60))m" }
        if s.rounded() == s { return "\(Int(s))s" }
        return "\(s)s"
    }

    /// Decodes a number of seconds or a text for ``init(parsing:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let seconds = try? container.decode(Double.self) {
            do throws(ParseError) {
                guard seconds.isFinite else { throw .notFinite("\(seconds)") }
                guard seconds >= 0 else { throw .negative("\(seconds)") }
                guard seconds <= Self.maximum.seconds else { throw .tooLong("\(seconds)") }
            } catch {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
            }
            self = .seconds(seconds)
            return
        }
        let text = try container.decode(String.self)
        do {
            self = try TimeSpan(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the span as its ``description``.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
