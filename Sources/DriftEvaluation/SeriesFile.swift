import Foundation

/// A raw univariate series read from a CSV or NAB-style file: one numeric
/// column, an optional `timestamp` column, a header line optional.
///
/// - A first line whose value field is not a number is a header. In a
///   header, the column named `timestamp` (any case) holds timestamps and
///   the other one the values; a two-column header without a `timestamp`
///   takes the first column as the timestamp (NAB's `timestamp,value`).
/// - Without a header, one field per line is a value, two are
///   `timestamp,value`.
/// - Blank lines are skipped; fields may be quoted (`"…"`) and padded with
///   spaces. Every data line must have the header's number of fields and a
///   finite number in the value column.
///
/// `index` counts data lines from 0 (River's `enumerate`), so line numbers
/// and indices differ by the header and blank lines.
public struct SeriesFile: Sendable, Equatable {
    public var values: [Double]
    /// The timestamp of each value as written, or `nil` without a timestamp column.
    public var timestamps: [String]?

    public init(values: [Double], timestamps: [String]?) {
        self.values = values
        self.timestamps = timestamps
    }

    /// Why a series file cannot be read; the description is one line naming the file (and line).
    public enum Error: Swift.Error, Equatable, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case empty(path: String)
        case columns(path: String, line: Int, found: Int, expected: String)
        case notANumber(path: String, line: Int, field: String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): return "cannot read series \(path): \(reason)"
            case .empty(let path): return "\(path): no data rows"
            case .columns(let path, let line, let found, let expected):
                return "\(path):\(line): \(found) fields, expected \(expected)"
            case .notANumber(let path, let line, let field):
                return "\(path):\(line): value '\(field)' is not a finite number"
            }
        }
    }

    /// Reads the file at `path`.
    public static func load(_ path: String) throws(Error) -> SeriesFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .unreadable(path: path, reason: "it is a directory") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path: path, reason: "permission denied or I/O error")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .unreadable(path: path, reason: "not UTF-8 text") }
        return try parse(text, path: path)
    }

    /// Parses the text of a series file; `path` only names it in errors.
    public static func parse(_ text: String, path: String) throws(Error) -> SeriesFile {
        var values: [Double] = []
        var timestamps: [String] = []
        var layout: (fields: Int, timestamp: Int?, value: Int)?
        var lineNumber = 0
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        // `\r\n` is one Character in Swift, a newline like `\n` and `\r`.
        for line in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            guard line.contains(where: { !$0.isWhitespace }) else { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(clean)
            if layout == nil {
                guard fields.count <= 2 else {
                    throw .columns(path: path, line: lineNumber, found: fields.count,
                                   expected: "1 (a value) or 2 (timestamp and value)")
                }
                if fields.count == 1 {
                    layout = (1, nil, 0)
                    if number(fields[0]) == nil { continue }  // a header
                } else {
                    let named = fields.firstIndex { $0.lowercased() == "timestamp" }
                    let timestampColumn = named ?? 0
                    let valueColumn = 1 - timestampColumn
                    layout = (2, timestampColumn, valueColumn)
                    if named != nil || number(fields[valueColumn]) == nil { continue }  // a header
                }
            }
            let (count, timestampColumn, valueColumn) = layout!
            guard fields.count == count else {
                throw .columns(path: path, line: lineNumber, found: fields.count,
                               expected: count == 1 ? "1 (a value)" : "2 (timestamp and value)")
            }
            guard let value = number(fields[valueColumn]) else {
                throw .notANumber(path: path, line: lineNumber, field: fields[valueColumn])
            }
            values.append(value)
            if let timestampColumn { timestamps.append(fields[timestampColumn]) }
        }
        guard !values.isEmpty, let layout else { throw .empty(path: path) }
        return SeriesFile(values: values, timestamps: layout.timestamp == nil ? nil : timestamps)
    }

    private static func clean(_ field: Substring) -> String {
        var s = field.trimmingCharacters(in: .whitespaces)
        if s.count >= 2, s.hasPrefix("\""), s.hasSuffix("\"") { s = String(s.dropFirst().dropLast()) }
        return s
    }

    private static func number(_ field: String) -> Double? {
        guard let value = Double(field), value.isFinite else { return nil }
        return value
    }
}
