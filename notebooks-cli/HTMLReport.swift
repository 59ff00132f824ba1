import Foundation

/// A self-contained HTML report: inline CSS and SVG, no script, no network.
/// Sections are added in reading order; ``render()`` gives the document.
struct HTMLReport {
    var title: String
    private var body: [String] = []

    init(title: String) { self.title = title }

    mutating func heading(_ text: String, level: Int = 2) {
        body.append("<h\(level)>\(Self.inline(text))</h\(level)>")
    }

    /// A paragraph of plain text; `code` spans are written `like this` with backquotes.
    mutating func paragraph(_ text: String) {
        body.append("<p>\(Self.inline(text))</p>")
    }

    /// A definition list of run parameters.
    mutating func facts(_ pairs: [(String, String)]) {
        body.append("<dl class=\"facts\">" + pairs.map { "<dt>\(xmlEscaped($0.0))</dt><dd>\(Self.inline($0.1))</dd>" }.joined() + "</dl>")
    }

    /// A table; its heading at its level, its note under it, numeric columns right-aligned.
    mutating func table(_ table: ResultTable) {
        heading(table.title, level: table.level)
        if let note = table.note { paragraph(note) }
        let numeric = table.header.indices.map { c in
            !table.rows.isEmpty && table.rows.allSatisfy { c < $0.count && (TextTable.isNumeric($0[c]) || $0[c] == "–" || $0[c].isEmpty) }
        }
        var html = "<div class=\"scroll\"><table>\n<thead><tr>"
        html += table.header.map { "<th>\(Self.inline($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            html += "<tr>" + row.enumerated().map { c, cell in
                let isNumber = c < numeric.count && numeric[c]
                return isNumber ? "<td class=\"num\">\(xmlEscaped(cell))</td>" : "<td>\(Self.inline(cell))</td>"
            }.joined() + "</tr>\n"
        }
        body.append(html + "</tbody></table></div>")
    }

    /// A chart (an SVG document, inlined), its caption, and a short "how to read this".
    mutating func figure(svg: String, caption: String, howToRead: String) {
        body.append("""
        <figure>
        \(svg)<figcaption>\(Self.inline(caption))</figcaption>
        <details open><summary>How to read this</summary><p>\(Self.inline(howToRead))</p></details>
        </figure>
        """)
    }

    func render() -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(xmlEscaped(title))</title>
        <style>
        \(Self.css)
        </style>
        </head>
        <body>
        <main>
        <h1>\(xmlEscaped(title))</h1>
        \(body.joined(separator: "\n"))
        </main>
        </body>
        </html>

        """
    }

    static let css = """
    body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1a1a1a; background: #fff; margin: 0; line-height: 1.45; }
    main { max-width: 960px; margin: 0 auto; padding: 1.5rem; }
    h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
    h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
    h3 { font-size: 1.05rem; margin: 1.5rem 0 .4rem; }
    code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9em; background: #f3f3f3; padding: 0 .2em; border-radius: 3px; }
    .scroll { overflow-x: auto; }
    table { border-collapse: collapse; font-size: .85rem; margin: .5rem 0 1rem; }
    th, td { border-bottom: 1px solid #e2e2e2; padding: .25rem .6rem; text-align: left; vertical-align: top; }
    th { background: #f6f6f6; font-weight: 600; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; }
    tbody tr:nth-child(even) { background: #fbfbfb; }
    figure { margin: 1rem 0 2rem; }
    figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
    figcaption { font-size: .9rem; color: #333; margin-top: .3rem; }
    details { font-size: .9rem; background: #f7f9fc; border-left: 3px solid #0072B2; padding: .3rem .7rem; margin-top: .4rem; }
    summary { font-weight: 600; cursor: pointer; }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; font-size: .9rem; }
    dl.facts dt { font-weight: 600; }
    dl.facts dd { margin: 0; }
    """

    /// Escapes `text` and turns `backquoted` spans into `<code>`.
    static func inline(_ text: String) -> String {
        let parts = text.split(separator: "`", omittingEmptySubsequences: false)
        return parts.enumerated().map { i, part in
            i % 2 == 1 && i < parts.count - 1 ? "<code>\(xmlEscaped(String(part)))</code>" : xmlEscaped(String(part))
        }.joined()
    }
}
