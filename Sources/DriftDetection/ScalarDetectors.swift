import Foundation

/// A scalar detector of any type, for catalogues that choose one at run time.
public struct AnyScalarDetector: StreamingDetector {
    private var base: any StreamingDetector<Double>

    public init(_ base: some StreamingDetector<Double>) { self.base = base }

    public var name: String { base.name }
    public mutating func update(_ x: Double) -> Detection { base.update(x) }
    public mutating func reset() { base.reset() }
}

/// Why a detector parameter was refused.
public enum DetectorParameterError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case unknownParameter(detector: String, name: String, known: [String], suggestion: String?)
    case invalidValue(detector: String, name: String, value: String, requirement: String)
    case notConfigurable(detector: String)

    public var description: String {
        switch self {
        case .malformed(let text):
            return "--param '\(text)' is not NAME=VALUE"
        case .unknownParameter(let detector, let name, let known, let suggestion):
            return "detector '\(detector)' has no parameter '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                + " (its parameters: \(known.joined(separator: ", ")))"
        case .invalidValue(let detector, let name, let value, let requirement):
            return "invalid value '\(value)' for \(detector) parameter \(name): \(requirement)"
        case .notConfigurable(let detector):
            return "detector '\(detector)' takes no --param (parameters apply to: \(ScalarDetectors.names.joined(separator: ", ")))"
        }
    }
}

/// The scalar detectors by name, each with its parameters by River's names
/// (`delta`, `clock`, `min_instances`, `window_size`, `stat_size`, `seed`…),
/// for `notebooks detect --series` and `--param NAME=VALUE`.
public enum ScalarDetectors {
    /// The names, River's detectors first.
    public static let names = ["adwin", "page-hinkley", "kswin", "ddm", "eddm", "cusum", "ewma", "zscore", "windowed-gaussian"]

    /// Each detector's parameters: (name, default, meaning), aliases after the name.
    public static let parameters: [String: [(name: String, defaultValue: String, help: String)]] = [
        "adwin": [("delta", "0.002", "significance, in (0, 1)"), ("clock", "32", "test every this many inputs"),
                  ("max_buckets", "5", "buckets per size before merging"), ("min_window_length", "5", "shortest sub-window"),
                  ("grace_period", "10", "inputs before the first test")],
        "page-hinkley": [("min_instances", "30", "inputs before the first test"), ("delta", "0.005", "tolerated change"),
                         ("threshold", "50", "alarm level λ (alias lambda)"), ("alpha", "0.9999", "forgetting factor"),
                         ("mode", "both", "up, down or both")],
        "kswin": [("alpha", "0.005", "p-value level, in [0, 1]"), ("window_size", "100", "sliding window (alias window)"),
                  ("stat_size", "30", "newest inputs tested"), ("seed", "42", "sampling seed"),
                  ("generator", "python", "python (= River's random.Random) or splitmix64")],
        "ddm": [("warm_start", "30", "inputs before the first test"), ("warning_threshold", "2", "warning level in s_min"),
                ("drift_threshold", "3", "drift level in s_min")],
        "eddm": [("warm_start", "30", "inputs and errors before the first test"), ("alpha", "0.95", "warning level"),
                 ("beta", "0.9", "drift level, ≤ alpha")],
        "cusum": [("warmup", "30", "inputs that estimate the in-control level"), ("k", "0.5", "allowance in σ"),
                  ("threshold", "5", "alarm level h in σ (alias h)")],
        "ewma": [("lambda", "0.1", "smoothing, in (0, 1]"), ("width", "2.7", "control limit L in σ"),
                 ("warmup", "30", "inputs that estimate the in-control level")],
        "zscore": [("window_size", "60", "previous inputs (alias window)"), ("threshold", "4", "alarm beyond this many σ")],
        "windowed-gaussian": [("window_size", "6400", "values fitted (alias window)"), ("step_size", "100", "refit every"),
                              ("threshold", "0.99999", "alarm above this score")],
    ]

    /// Builds detector `name` with `parameters` (by name; `-` and `_` are the
    /// same), the others at their defaults.
    ///
    /// - Throws: ``DetectorParameterError`` for an unknown parameter or a bad
    ///   value; `DetectorCatalogue.Error.unknownDetector` is the caller's to raise.
    public static func make(_ name: String, parameters: [String: String] = [:]) throws(DetectorParameterError) -> AnyScalarDetector {
        var p = ParameterReader(detector: name, given: parameters)
        let detector: AnyScalarDetector
        switch name {
        case "adwin":
            detector = AnyScalarDetector(ADWIN(
                delta: try p.double("delta", 0.002, "a number in (0, 1)") { $0 > 0 && $0 < 1 },
                clock: try p.int("clock", 32, "an integer ≥ 1") { $0 >= 1 },
                maxBuckets: try p.int("max_buckets", 5, "an integer ≥ 1") { $0 >= 1 },
                minWindowLength: try p.int("min_window_length", 5, "an integer ≥ 1") { $0 >= 1 },
                gracePeriod: try p.int("grace_period", 10, "an integer ≥ 0") { $0 >= 0 }))
        case "page-hinkley":
            detector = AnyScalarDetector(PageHinkley(
                minInstances: try p.int("min_instances", 30, "an integer ≥ 0") { $0 >= 0 },
                delta: try p.double("delta", 0.005, "a finite number") { _ in true },
                threshold: try p.double("threshold", aliases: ["lambda"], 50, "a finite number") { _ in true },
                alpha: try p.double("alpha", 1 - 0.0001, "a number in [0, 1]") { (0...1).contains($0) },
                mode: try p.choice("mode", PageHinkley.Mode.both)))
        case "kswin":
            let windowSize = try p.int("window_size", aliases: ["window"], 100, "an integer ≥ 2") { $0 >= 2 }
            let statSize = try p.int("stat_size", 30, "an integer ≥ 1 and smaller than window_size (\(windowSize))") {
                $0 >= 1 && $0 < windowSize && $0 <= 10_000
            }
            detector = AnyScalarDetector(KSWIN(
                alpha: try p.double("alpha", 0.005, "a number in [0, 1]") { (0...1).contains($0) },
                windowSize: windowSize, statSize: statSize,
                seed: try p.seed("seed", 42),
                generator: try p.choice("generator", KSWIN.Generator.python)))
        case "ddm":
            detector = AnyScalarDetector(DDM(
                warmStart: try p.int("warm_start", 30, "an integer ≥ 0") { $0 >= 0 },
                warningThreshold: try p.double("warning_threshold", 2, "a finite number") { _ in true },
                driftThreshold: try p.double("drift_threshold", 3, "a finite number") { _ in true }))
        case "eddm":
            let alpha = try p.double("alpha", 0.95, "a finite number") { _ in true }
            let beta = try p.double("beta", 0.9, "a number ≤ alpha (\(alpha))") { $0 <= alpha }
            detector = AnyScalarDetector(EDDM(warmStart: try p.int("warm_start", 30, "an integer ≥ 0") { $0 >= 0 },
                                              alpha: alpha, beta: beta))
        case "cusum":
            detector = AnyScalarDetector(CUSUM(
                warmup: try p.int("warmup", 30, "an integer ≥ 1") { $0 >= 1 },
                k: try p.double("k", 0.5, "a number ≥ 0") { $0 >= 0 },
                h: try p.double("threshold", aliases: ["h"], 5, "a number > 0") { $0 > 0 }))
        case "ewma":
            detector = AnyScalarDetector(EWMAChart(
                lambda: try p.double("lambda", 0.1, "a number in (0, 1]") { $0 > 0 && $0 <= 1 },
                width: try p.double("width", aliases: ["l"], 2.7, "a number > 0") { $0 > 0 },
                warmup: try p.int("warmup", 30, "an integer ≥ 2") { $0 >= 2 }))
        case "zscore":
            detector = AnyScalarDetector(ZScoreChart(
                windowSize: try p.int("window_size", aliases: ["window"], 60, "an integer ≥ 2") { $0 >= 2 },
                threshold: try p.double("threshold", 4, "a number > 0") { $0 > 0 }))
        case "windowed-gaussian":
            let windowSize = try p.int("window_size", aliases: ["window"], 6_400, "an integer ≥ 2") { $0 >= 2 }
            detector = AnyScalarDetector(WindowedGaussian(
                windowSize: windowSize,
                stepSize: try p.int("step_size", 100, "an integer in 1...window_size (\(windowSize))") { $0 >= 1 && $0 <= windowSize },
                threshold: try p.double("threshold", 0.99999, "a finite number") { _ in true }))
        default:
            throw .notConfigurable(detector: name)
        }
        try p.finish()
        return detector
    }

    /// `NAME=VALUE` texts as a dictionary (a later value for the same name wins).
    public static func parse(_ texts: [String]) throws(DetectorParameterError) -> [String: String] {
        var result: [String: String] = [:]
        for text in texts {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else { throw .malformed(text) }
            result[normalized(String(text[..<equals]))] = String(text[text.index(after: equals)...])
        }
        return result
    }

    static func normalized(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "_")
    }
}

/// Reads the parameters a detector knows, remembering which it read.
struct ParameterReader {
    let detector: String
    var given: [String: String]
    var known: [String] = []

    init(detector: String, given: [String: String]) {
        self.detector = detector
        self.given = Dictionary(given.map { (ScalarDetectors.normalized($0.key), $0.value) }, uniquingKeysWith: { $1 })
    }

    private mutating func take(_ name: String, _ aliases: [String]) -> (String, String)? {
        known.append(name)
        var found: (String, String)?
        for key in [name] + aliases {
            if let value = given.removeValue(forKey: key) { found = (key, value) }
        }
        return found
    }

    mutating func double(_ name: String, aliases: [String] = [], _ defaultValue: Double, _ requirement: String,
                         _ valid: (Double) -> Bool) throws(DetectorParameterError) -> Double {
        guard let (key, text) = take(name, aliases) else { return defaultValue }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, valid(value) else {
            throw .invalidValue(detector: detector, name: key, value: text, requirement: requirement)
        }
        return value
    }

    mutating func int(_ name: String, aliases: [String] = [], _ defaultValue: Int, _ requirement: String,
                      _ valid: (Int) -> Bool) throws(DetectorParameterError) -> Int {
        guard let (key, text) = take(name, aliases) else { return defaultValue }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), valid(value) else {
            throw .invalidValue(detector: detector, name: key, value: text, requirement: requirement)
        }
        return value
    }

    mutating func seed(_ name: String, _ defaultValue: UInt64) throws(DetectorParameterError) -> UInt64 {
        guard let (key, text) = take(name, []) else { return defaultValue }
        guard let value = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
            throw .invalidValue(detector: detector, name: key, value: text, requirement: "an integer in 0...\(UInt64.max)")
        }
        return value
    }

    mutating func choice<E: RawRepresentable & CaseIterable>(_ name: String, _ defaultValue: E) throws(DetectorParameterError) -> E
    where E.RawValue == String {
        guard let (key, text) = take(name, []) else { return defaultValue }
        guard let value = E(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw .invalidValue(detector: detector, name: key, value: text,
                                requirement: "one of " + E.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    func finish() throws(DetectorParameterError) {
        guard let unknown = given.keys.sorted().first else { return }
        throw .unknownParameter(detector: detector, name: unknown, known: known,
                                suggestion: DetectorCatalogue.suggestion(for: unknown, among: known))
    }
}
