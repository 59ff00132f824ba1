import ArgumentParser
import Monitoring

extension TimeSpan: ExpressibleByArgument {
    /// An option value read with ``TimeSpan/init(parsing:)``: `90s`, `15m`,
    /// `6h`, `2d`, or a plain number of seconds. Options declare
    /// `transform: TimeSpan.argument` as well, so that a rejected value's
    /// error says why.
    public init?(argument: String) {
        guard let span = try? TimeSpan(parsing: argument) else { return nil }
        self = span
    }

    /// The default shown in `--help`.
    public var defaultValueDescription: String { description }

    /// Parses an option value, throwing ``TimeSpan/ParseError`` (whose text
    /// ArgumentParser shows) for a bad one.
    static func argument(_ text: String) throws -> TimeSpan { try TimeSpan(parsing: text) }
}

/// Range checks for the options' `validate()`: each throws a one-line
/// `ValidationError` naming the option, its value and the range.
enum OptionRange {
    /// `value` must lie in `range`.
    static func check(_ option: String, _ value: TimeSpan, in range: ClosedRange<TimeSpan>) throws {
        guard range.contains(value) else {
            throw ValidationError("--\(option) \(readable(value)) is out of range: use \(readable(range.lowerBound)) to \(readable(range.upperBound)).")
        }
    }

    /// A span in days when it is whole days, else as ``TimeSpan/description``.
    static func readable(_ span: TimeSpan) -> String {
        let day = TimeSpan.oneDay.microseconds
        return span.microseconds >= day && span.microseconds % day == 0 ? "\(span.microseconds / day)d" : span.description
    }

    /// `value` must be finite and lie in `range`.
    static func check(_ option: String, _ value: Double, in range: ClosedRange<Double>) throws {
        guard value.isFinite, range.contains(value) else {
            throw ValidationError("--\(option) \(value) is out of range: use \(format(range.lowerBound)) to \(format(range.upperBound)).")
        }
    }

    /// `value` must be finite, more than `lower` and at most `upper`.
    static func check(_ option: String, _ value: Double, above lower: Double, upTo upper: Double) throws {
        guard value.isFinite, value > lower, value <= upper else {
            throw ValidationError("--\(option) \(value) is out of range: use more than \(format(lower)) and at most \(format(upper)).")
        }
    }

    /// `value` must lie in `range`.
    static func check(_ option: String, _ value: Int, in range: ClosedRange<Int>) throws {
        guard range.contains(value) else {
            throw ValidationError("--\(option) \(value) is out of range: use \(range.lowerBound) to \(range.upperBound).")
        }
    }

    private static func format(_ x: Double) -> String {
        x.rounded() == x && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}

extension TimeSpan {
    /// One second, the shortest loop or print interval the commands accept.
    static let oneSecond = TimeSpan.seconds(1)
    /// One day.
    static let oneDay = TimeSpan.days(1)
    /// 30 days, the longest alert cooldown the commands accept.
    static let thirtyDays = TimeSpan.days(30)
    /// 10 years (3,650 days), the longest simulated time or look-back.
    static let tenYears = TimeSpan.days(3_650)
}
