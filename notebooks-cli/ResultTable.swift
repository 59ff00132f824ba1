import Foundation

/// A table of results, printed as markdown on stdout and as HTML in a report:
/// one source for both, so they always agree.
struct ResultTable {
    /// The section heading (markdown `##` at `level` 2).
    var title: String
    var level = 2
    /// A sentence under the heading, if any.
    var note: String?
    var header: [String]
    var rows: [[String]]

    /// The heading, a blank line, the note if any, and a GitHub-flavoured markdown table.
    func markdown() -> String {
        var lines = [String(repeating: "#", count: level) + " " + title, ""]
        if let note { lines += [note, ""] }
        return (lines + [markdownTable()]).joined(separator: "\n")
    }

    /// The table alone: header, separator, rows.
    func markdownTable() -> String {
        (["| " + header.joined(separator: " | ") + " |", "|" + header.map { _ in "---|" }.joined()]
            + rows.map { "| " + $0.joined(separator: " | ") + " |" }).joined(separator: "\n")
    }
}

/// Text tables for a terminal: columns padded to their widest cell, text
/// left-aligned and numbers right-aligned.
enum TextTable {
    /// `rows` under `header`, each column as wide as its widest cell, two spaces apart;
    /// columns whose cells all read as numbers (an optional unit after a space aside) are right-aligned.
    static func render(header: [String], rows: [[String]]) -> String {
        let columns = header.count
        let all = [header] + rows.map { row in (0..<columns).map { $0 < row.count ? row[$0] : "" } }
        let widths = (0..<columns).map { c in all.map { $0[c].count }.max() ?? 0 }
        let numeric = (0..<columns).map { c in !rows.isEmpty && rows.allSatisfy { c < $0.count && isNumeric($0[c]) } }
        return all.map { row in
            (0..<columns).map { c in row[c].padding(widths[c], left: numeric[c]) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n")
    }

    static func isNumeric(_ cell: String) -> Bool {
        let number = cell.split(separator: " ").first.map(String.init) ?? ""
        return Double(number.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "%", with: "")) != nil
    }
}

/// Figures for a person: a fixed number of significant digits, thousands grouped.
enum Figure {
    /// `value` rounded to `significant` digits, digits grouped by thousands with commas:
    /// 423.96346800000003 → "424", 1.23456 → "1.23", 0.000123456 → "0.000123", 5969650.2 → "5,970,000".
    static func rounded(_ value: Double, significant: Int = 3) -> String {
        guard value.isFinite else { return "\(value)" }
        guard value != 0 else { return "0" }
        let magnitude = Int((log10(abs(value))).rounded(.down))
        let decimals = significant - 1 - magnitude
        if decimals >= 0 { return grouped(String(format: "%.\(decimals)f", value)) }
        let unit = pow(10, Double(-decimals))
        return grouped(String(format: "%.0f", (value / unit).rounded() * unit))
    }

    /// Thousands separators in the integer part of a decimal text.
    static func grouped(_ text: String) -> String {
        var sign = "", body = Substring(text)
        if body.hasPrefix("-") { sign = "-"; body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var integer = String(parts[0]), out = ""
        while integer.count > 3 {
            out = "," + integer.suffix(3) + out
            integer = String(integer.dropLast(3))
        }
        return sign + integer + out + (parts.count > 1 ? "." + parts[1] : "")
    }
}
