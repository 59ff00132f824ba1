import Foundation
import Monitoring

/// Scenario files (`datasets/scenarios/*.json`): a ``Scenario`` as JSON with
/// snake_case keys, durations as ``TimeSpan`` texts or seconds.
public enum ScenarioFile {
    /// Why a scenario file cannot be used.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// Not JSON, or not a scenario's shape.
        case undecodable(String)
        /// Decoded, but a value is out of the generator's range.
        case outOfRange(SimulationRangeError)

        public var description: String {
            switch self {
            case .undecodable(let reason): return "not a scenario file: \(reason)"
            case .outOfRange(let error): return "out of range: \(error)"
            }
        }
    }

    /// Decodes a scenario file and checks it with ``SimulationLimits/check(_:runFor:)``.
    ///
    /// - Throws: ``Failure``; never traps, whatever the bytes.
    public static func decode(_ data: Data) throws(Failure) -> Scenario {
        let scenario: Scenario
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            scenario = try decoder.decode(Scenario.self, from: data)
        } catch {
            throw .undecodable(Self.describe(error))
        }
        do {
            try SimulationLimits.check(scenario)
        } catch {
            throw .outOfRange(error)
        }
        return scenario
    }

    /// The JSON of a scenario file, keys sorted, pretty-printed.
    public static func encode(_ scenario: Scenario) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(scenario), as: UTF8.self)
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        // Keys as the file spells them (snake_case), whatever the decoder's strategy.
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + snakeCase($0.stringValue) }.joined()
            return keys.isEmpty ? "" : " at \(keys.hasPrefix(".") ? String(keys.dropFirst()) : keys)"
        }
        switch error {
        case .dataCorrupted(let c): return c.debugDescription + path(c)
        case .keyNotFound(let key, let c): return "missing key '\(snakeCase(key.stringValue))'" + path(c)
        case .typeMismatch(let type, let c): return "expected \(type)" + path(c)
        case .valueNotFound(let type, let c): return "null where \(type) is needed" + path(c)
        @unknown default: return "\(error)"
        }
    }

    /// `ratePerSecond` → `rate_per_second` (the inverse of `.convertFromSnakeCase` for the scenario's keys).
    static func snakeCase(_ key: String) -> String {
        var out = ""
        for c in key {
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
        return out
    }
}
