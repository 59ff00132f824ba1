import DriftDetection
import Foundation
import Monitoring
import MonitorNumerics

/// The NAB corpus as laid out in `datasets/nab`: `data/<folder>/<series>.csv`
/// (`timestamp,value`), `labels/combined_windows.json` (windows per file as
/// pairs of timestamps).
public struct NABCorpus: Sendable {
    public struct Series: Sendable {
        /// `folder/file.csv`, as the labels name it.
        public var name: String
        public var timestamps: [LocalTimestamp]
        public var timestampTexts: [String]
        /// The value column as written in the data file.
        public var valueTexts: [String]
        public var values: [Double]
        /// Windows as inclusive row ranges.
        public var windows: [(start: Int, end: Int)]

        public var folder: String { String(name.split(separator: "/").first ?? "") }
        public var file: String { String(name.split(separator: "/").last ?? "") }
    }

    public enum LoadError: Error, CustomStringConvertible {
        case missing(String)
        case malformed(String)

        public var description: String {
            switch self {
            case .missing(let path): return "missing \(path)"
            case .malformed(let what): return "malformed \(what)"
            }
        }
    }

    public var series: [Series]

    /// Reads the corpus under `root`.
    ///
    /// - Throws: ``LoadError`` when a file is missing or unreadable.
    public init(root: URL) throws {
        let labelsURL = root.appendingPathComponent("labels/combined_windows.json")
        guard let labelsData = FileManager.default.contents(atPath: labelsURL.path) else { throw LoadError.missing(labelsURL.path) }
        guard case .object(let labels) = try JSONParser.parse(String(decoding: labelsData, as: UTF8.self)) else {
            throw LoadError.malformed(labelsURL.path)
        }
        series = try labels.members.map { member in
            let url = root.appendingPathComponent("data").appendingPathComponent(member.key)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw LoadError.missing(url.path) }
            var timestamps: [LocalTimestamp] = [], texts: [String] = [], valueTexts: [String] = [], values: [Double] = []
            for line in text.split(whereSeparator: \.isNewline).dropFirst() {
                let parts = line.split(separator: ",", maxSplits: 1)
                guard parts.count == 2, let t = LocalTimestamp(isoformat: String(parts[0])),
                      let v = Double(parts[1].trimmingCharacters(in: .whitespaces)) else {
                    throw LoadError.malformed("\(member.key): \(line)")
                }
                timestamps.append(t); texts.append(String(parts[0])); values.append(v)
                valueTexts.append(parts[1].trimmingCharacters(in: .whitespaces))
            }
            guard case .array(let pairs) = member.value else { throw LoadError.malformed("windows of \(member.key)") }
            let windows: [(Int, Int)] = try pairs.map { pair in
                guard case .array(let bounds) = pair, bounds.count == 2,
                      let start = bounds[0].stringValue.flatMap(LocalTimestamp.init(isoformat:)),
                      let end = bounds[1].stringValue.flatMap(LocalTimestamp.init(isoformat:)) else {
                    throw LoadError.malformed("window of \(member.key)")
                }
                return (timestamps.partitioningIndex { $0 >= start }, timestamps.partitioningIndex { $0 > end } - 1)
            }
            return Series(name: member.key, timestamps: timestamps, timestampTexts: texts, valueTexts: valueTexts, values: values,
                          windows: windows.map { (start: $0.0, end: $0.1) })
        }
    }
}
