import Testing
@testable import Monitoring

@Suite("TimeSpan: the one duration parser of every command")
struct TimeSpanTests {
    static let second: Int64 = 1_000_000

    @Test("units and plain seconds", arguments: [
        ("90s", 90 * second), ("15m", 15 * 60 * second), ("6h", 6 * 3600 * second), ("2d", 2 * 86_400 * second),
        ("45", 45 * second), ("1.5h", 5_400 * second), (".5s", second / 2), ("1e3s", 1_000 * second),
        ("2.5E1m", 25 * 60 * second), (" 10m ", 10 * 60 * second), ("0", 0), ("0s", 0),
        ("0.000001s", 1), ("0.0000004s", 0), ("36525d", 36_525 * 86_400 * second),
    ])
    func accepted(text: String, microseconds: Int64) throws {
        #expect(try TimeSpan(parsing: text).microseconds == microseconds)
    }

    @Test("rejections say why", arguments: [
        ("", TimeSpan.ParseError.empty),
        ("   ", .empty),
        ("5x", .unknownUnit(text: "5x", unit: "x")),
        ("5ms", .unknownUnit(text: "5ms", unit: "ms")),
        ("5H", .unknownUnit(text: "5H", unit: "H")),
        ("5e", .unknownUnit(text: "5e", unit: "e")),
        ("inf", .notANumber("inf")),
        ("nan", .notANumber("nan")),
        ("infinity s", .notANumber("infinity s")),
        ("0x10", .notANumber("0x10")),
        ("1..5s", .notANumber("1..5s")),
        ("+5s", .notANumber("+5s")),
        ("5 s", .notANumber("5 s")),
        ("h", .notANumber("h")),
        ("1e400s", .notFinite("1e400s")),
        ("-5s", .negative("-5s")),
        ("-0", .negative("-0")),
        ("1e300h", .tooLong("1e300h")),
        ("1e10", .tooLong("1e10")),
        ("36526d", .tooLong("36526d")),
    ])
    func rejected(text: String, error: TimeSpan.ParseError) {
        #expect(throws: error) { try TimeSpan(parsing: text) }
        #expect(!error.description.isEmpty)
    }

    @Test("the description parses back to the same span", arguments: ["90s", "15m", "6h", "2d", "1.5s", "0s", "36525d"])
    func roundTrip(text: String) throws {
        let span = try TimeSpan(parsing: text)
        #expect(try TimeSpan(parsing: span.description) == span)
        #expect(TimeSpan(span.duration) == span)
    }

    @Test("a Duration becomes whole microseconds, half to even")
    func fromDuration() {
        #expect(TimeSpan(.milliseconds(1500)) == .seconds(1.5))
        #expect(TimeSpan(.nanoseconds(1_500)).microseconds == 2)
        #expect(TimeSpan(.nanoseconds(2_500)).microseconds == 2)
        #expect(TimeSpan(.nanoseconds(-500)).microseconds == 0)
        #expect(TimeSpan(.nanoseconds(-1_500)).microseconds == -2)
        #expect(TimeSpan(TimeSpan.maximum.duration) == .maximum)
    }
}

@Suite("MonitorConfiguration ranges")
struct MonitorConfigurationRangeTests {
    @Test("the defaults are in range")
    func defaults() throws {
        try MonitorConfiguration().validate()
    }

    @Test("each setting out of range is named")
    func outOfRange() {
        let changes: [(String, (inout MonitorConfiguration) -> Void)] = [
        ("capacity", { c in c.capacity = 0 }),
        ("capacity", { c in c.capacity = 100_000_001 }),
        ("metricsHistoryCapacity", { c in c.metricsHistoryCapacity = 0 }),
        ("loopInterval", { c in c.loopInterval = .microseconds(100) }),
        ("loopInterval", { c in c.loopInterval = .seconds(86_401) }),
        ("alertCooldown", { c in c.alertCooldown = .seconds(-1) }),
        ("alertCooldown", { c in c.alertCooldown = .seconds(366 * 86_400) }),
        ("restoreWindow", { c in c.restoreWindow = .seconds(-1) }),
        ("flush.batchSize", { c in c.flush.batchSize = 0 }),
        ("flush.maxDelay", { c in c.flush.maxDelay = .zero }),
        ("confidenceThresholds", { c in c.confidenceThresholds.low = .nan }),
        ("confidenceThresholds", { c in c.confidenceThresholds.veryLow = 0.95 }),
        ("performanceThresholds", { c in c.performanceThresholds.errorRateWarning = -1 }),
        ("rotation.maxBytes", { c in c.rotation = .init(maxBytes: 0, retainedFiles: 1) }),
        ("rotation.retainedFiles", { c in c.rotation = .init(maxBytes: 1_000, retainedFiles: -1) }),
        ]
        for (setting, change) in changes {
            var configuration = MonitorConfiguration()
            change(&configuration)
            #expect(throws: MonitorConfiguration.RangeError.self, "\(setting)") { try configuration.validate() }
            do { try configuration.validate() } catch { #expect(error.setting == setting) }
        }
    }
}

@Suite("Look-back conversion")
struct LookBackTests {
    @Test("huge look-backs saturate instead of trapping")
    func saturates() {
        let limit = MonitorState.microseconds(hours: 1e300)
        #expect(limit == -MonitorState.microseconds(hours: -1e300))
        #expect(limit > 9_999 * 366 * LocalTimestamp.microsecondsPerDay)
        #expect(MonitorState.microseconds(hours: 24) == 24 * LocalTimestamp.microsecondsPerHour)
        let now = LocalTimestamp(isoformat: "9999-12-31T23:59:59")!
        #expect(now.microseconds - limit < 0)   // no overflow
    }
}
