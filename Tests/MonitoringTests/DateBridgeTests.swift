import Foundation
import MonitorNumerics
import Testing
@testable import Monitoring

/// `LocalTimestamp` <-> `Date` against Python's own answers
/// (`PythonFixtures/date_bridge.json`, from generate_date_fixtures.py), and
/// round trips to the microsecond.
@Suite("LocalTimestamp and Date")
struct DateBridgeTests {
    struct Case {
        var zone: TimeZone
        var toInstant: [(naive: String, second: Int64, microsecond: Int64)]
        var fromInstant: [(second: Int64, microsecond: Int64, naive: String)]
    }

    static let cases: [Case] = {
        let url = Bundle.module.resourceURL!.appendingPathComponent("PythonFixtures/date_bridge.json")
        guard let data = try? Data(contentsOf: url),
              let text = String(data: data, encoding: .utf8),
              case .object(let root)? = try? JSONParser.parse(text),
              case .array(let zones)? = root["zones"] else { return [] }
        return zones.compactMap { zone in
            guard let name = zone["zone"]?.stringValue, let timeZone = TimeZone(identifier: name),
                  case .array(let to)? = zone["to_instant"], case .array(let from)? = zone["from_instant"] else { return nil }
            func int(_ value: JSONValue?) -> Int64 { Int64(value?.doubleValue ?? .nan) }
            return Case(zone: timeZone,
                        toInstant: to.map { ($0["naive"]!.stringValue!, int($0["second"]), int($0["microsecond"])) },
                        fromInstant: from.map { (int($0["second"]), int($0["microsecond"]), $0["naive"]!.stringValue!) })
        }
    }()

    /// `Date` from a Unix second and microsecond, with one rounding.
    static func date(second: Int64, microsecond: Int64) -> Date {
        Date(timeIntervalSinceReferenceDate: Double(second - 978_307_200) + Double(microsecond) / 1e6)
    }

    @Test("the fixture holds six zones")
    func fixturePresent() {
        #expect(Self.cases.count == 6)
        #expect(Self.cases.allSatisfy { !$0.toInstant.isEmpty && !$0.fromInstant.isEmpty })
    }

    @Test("a naive time becomes Python's instant (fold 0 in repeated and skipped hours)")
    func toInstant() throws {
        for c in Self.cases {
            for (naive, second, microsecond) in c.toInstant {
                let timestamp = try #require(LocalTimestamp(isoformat: naive))
                #expect(timestamp.date(in: c.zone) == Self.date(second: second, microsecond: microsecond),
                        "\(c.zone.identifier) \(naive)")
            }
        }
    }

    @Test("an instant becomes Python's naive wall-clock reading")
    func fromInstant() {
        for c in Self.cases {
            for (second, microsecond, naive) in c.fromInstant {
                #expect(LocalTimestamp(Self.date(second: second, microsecond: microsecond), timeZone: c.zone).isoformat == naive,
                        "\(c.zone.identifier) \(second)")
            }
        }
    }

    @Test("round trips keep every microsecond, except where a clock change makes a reading ambiguous")
    func roundTrips() throws {
        var generator = SplitMix64(seed: 20_261_129)
        let zones = try ["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe"].map { try #require(TimeZone(identifier: $0)) }
        // 1900 to 2100, at microsecond resolution.
        let range: ClosedRange<Int64> = -2_208_988_800_000_000...4_102_444_800_000_000
        for zone in zones {
            for _ in 0..<2_000 {
                let timestamp = LocalTimestamp(microseconds: Int64.random(in: range, using: &generator))
                let back = LocalTimestamp(timestamp.date(in: zone), timeZone: zone)
                // A reading in a skipped hour names no instant: it comes back shifted by the change.
                let offsets = Set([-3600, 0, 3600].map { zone.secondsFromGMT(for: timestamp.date(in: zone).addingTimeInterval(Double($0))) })
                if offsets.count == 1 {
                    #expect(back == timestamp, "\(zone.identifier) \(timestamp)")
                }
                let instant = Self.date(second: timestamp.microseconds / 1_000_000, microsecond: 0)
                    .addingTimeInterval(Double(timestamp.microseconds % 1_000_000) / 1e6)
                Self.expectInstantRoundTrip(instant, zone)
            }
        }
    }

    @Test("an instant in the repeated hour comes back as the first of its two readings (fold=0)")
    func repeatedHour() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        // 2008-10-26 01:20:31 UTC is 02:20:31 CET, the second 02:20:31 of that night
        // (the first was 00:20:31 UTC, CEST); the reference's naive reading means the first.
        let second = Self.date(second: 1_224_984_031, microsecond: 0)
        let local = LocalTimestamp(second, timeZone: berlin)
        #expect(local == LocalTimestamp(isoformat: "2008-10-26T02:20:31"))
        #expect(local.date(in: berlin) == second.addingTimeInterval(-3600))
        Self.expectInstantRoundTrip(second, berlin)
        var generator = SplitMix64(seed: 7)
        for zone in try ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe"].map({ try #require(TimeZone(identifier: $0)) }) {
            // Random instants within a day of each clock change from 1970 to 2040.
            var change = Self.date(second: 0, microsecond: 0)
            let end = Self.date(second: 2_208_988_800, microsecond: 0)
            while let next = zone.nextDaylightSavingTimeTransition(after: change), next < end {
                for _ in 0..<8 {
                    let offset = Double(Int64.random(in: -86_400_000_000...86_400_000_000, using: &generator)) / 1e6
                    Self.expectInstantRoundTrip(next.addingTimeInterval(offset), zone)
                }
                change = next
            }
        }
    }

    /// An instant comes back exactly, unless its reading occurs twice (clocks
    /// went back): then it comes back as the first occurrence, earlier by
    /// the change, as Python's `fold=0` reads it.
    static func expectInstantRoundTrip(_ instant: Date, _ zone: TimeZone,
                                       sourceLocation: SourceLocation = #_sourceLocation) {
        let local = LocalTimestamp(instant, timeZone: zone)
        let error = local.date(in: zone).timeIntervalSince(instant)
        let before = zone.secondsFromGMT(for: instant.addingTimeInterval(-3600))
        let now = zone.secondsFromGMT(for: instant)
        let inRepeatedSpan = before > now && instant.addingTimeInterval(Double(now - before)) < instant
            && zone.secondsFromGMT(for: instant.addingTimeInterval(Double(now - before))) == before
        if inRepeatedSpan {
            #expect(abs(error + Double(before - now)) < 5e-7, "\(zone.identifier) \(instant)", sourceLocation: sourceLocation)
        } else {
            #expect(abs(error) < 5e-7, "\(zone.identifier) \(instant)", sourceLocation: sourceLocation)
        }
    }

    @Test("the machine's zone is the default, as datetime.now() reads it")
    func defaultZone() {
        let now = Date()
        let local = LocalTimestamp(now)
        #expect(local == LocalTimestamp(now, timeZone: .current))
        #expect(abs(local.microseconds - LocalTimestamp.now().microseconds) < 60_000_000)
        #expect(abs(local.date().timeIntervalSince(now)) < 1e-6)
    }

    @Test("Duration arithmetic is timedelta's, to the microsecond")
    func durations() throws {
        let start = try #require(LocalTimestamp(isoformat: "2026-11-29T12:00:00"))
        #expect(start + .seconds(90) == LocalTimestamp(isoformat: "2026-11-29T12:01:30"))
        #expect(start - .milliseconds(1) == LocalTimestamp(isoformat: "2026-11-29T11:59:59.999000"))
        #expect(start + .nanoseconds(1_500) == LocalTimestamp(isoformat: "2026-11-29T12:00:00.000002"))
        #expect(start + .nanoseconds(2_500) == LocalTimestamp(isoformat: "2026-11-29T12:00:00.000002"))
        #expect(start + .nanoseconds(-1_500) == LocalTimestamp(isoformat: "2026-11-29T11:59:59.999998"))
        let end = try #require(LocalTimestamp(isoformat: "2026-11-30T12:00:00.000001"))
        let span: Duration = end - start
        #expect(span == .seconds(86_400) + .microseconds(1))
        let back: Duration = start - end
        #expect(back == .zero - span)
    }
}
