import Foundation
import FuzzSupport
import Monitoring
import TrafficSimulator

/// The scenario-file decoder on arbitrary bytes: a typed error or a scenario
/// in range, never a trap. A scenario it accepts encodes and decodes back to
/// itself, and simulates (its first 2,000 events over at most an hour at
/// most 10 per second), and lists its drifts' active intervals, without
/// trapping or hanging.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    guard let scenario = try? ScenarioFile.decode(Data(bytes)) else { return 0 }
    do {
        let again = try ScenarioFile.decode(Data(ScenarioFile.encode(scenario).utf8))
        if again != scenario { fuzzFailure("encode → decode changed the scenario", input: bytes) }
    } catch {
        fuzzFailure("the encoded scenario does not decode: \(error)", input: bytes)
    }
    let start = LocalTimestamp(isoformat: "2026-01-05T00:00:00")!
    let duration = min(scenario.duration, .hours(1))
    let rate = min(scenario.baseline.ratePerSecond, 10)
    guard (try? SimulationLimits.check(scenario: scenario, duration: duration, ratePerSecond: rate, severity: 1, start: start)) != nil else {
        return 0
    }
    // Bounded work per input: at most two million candidate arrivals to thin.
    guard rate * scenario.baseline.peakRateFactor * duration.seconds <= 2e6 else { return 0 }
    for drift in scenario.drifts { _ = drift.activeIntervals(duration: duration) }
    var generator = TrafficGenerator(scenario: scenario, seed: 1, start: start, duration: duration, ratePerSecond: rate)
    var count = 0
    while count < 2_000, let event = generator.next() {
        if case .prediction(let record) = event, !(0...1).contains(record.confidence) || record.processingTime.isNaN {
            fuzzFailure("generated confidence \(record.confidence), processing time \(record.processingTime)", input: bytes)
        }
        count += 1
    }
    return 0
}
