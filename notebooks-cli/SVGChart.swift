import Foundation

/// A minimal SVG line chart: series of points, shaded bands, rows of tick
/// marks (alarms) under the plot, axis labels. Enough for the notebooks'
/// figures without a plotting dependency.
struct SVGChart {
    struct Series { var name: String; var points: [(x: Double, y: Double)]; var color: String }
    struct Band { var from: Double; var to: Double; var label: String }
    struct TickRow { var name: String; var xs: [Double]; var color: String }

    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series] = []
    var bands: [Band] = []
    var tickRows: [TickRow] = []
    var width = 900.0
    var plotHeight = 260.0
    var yRange: ClosedRange<Double>?

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                          "#bcbd22", "#17becf", "#393b79", "#637939"]

    func render() -> String {
        let left = 120.0, right = 20.0, top = 40.0
        let rowHeight = 16.0
        let height = top + plotHeight + 50 + Double(tickRows.count) * rowHeight + 20
        let xs = series.flatMap { $0.points.map(\.x) } + bands.flatMap { [$0.from, $0.to] } + tickRows.flatMap(\.xs)
        let ys = series.flatMap { $0.points.map(\.y) }
        let xMin = xs.min() ?? 0, xMax = max(xs.max() ?? 1, xMin + 1e-9)
        let range = yRange ?? ((ys.min() ?? 0)...max(ys.max() ?? 1, (ys.min() ?? 0) + 1e-9))
        let plotWidth = width - left - right
        func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * plotWidth }
        func py(_ y: Double) -> Double { top + plotHeight - (y - range.lowerBound) / (range.upperBound - range.lowerBound) * plotHeight }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" font-family="sans-serif" font-size="11">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(f(left))" y="20" font-size="14" font-weight="bold">\(escape(title))</text>

        """
        for band in bands {
            svg += "<rect x=\"\(f(px(band.from)))\" y=\"\(f(top))\" width=\"\(f(max(1, px(band.to) - px(band.from))))\" height=\"\(f(plotHeight))\" fill=\"#fdd\" opacity=\"0.6\"><title>\(escape(band.label))</title></rect>\n"
        }
        svg += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#444\"/>\n"
        for i in 0...4 {
            let y = range.lowerBound + Double(i) / 4 * (range.upperBound - range.lowerBound)
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(py(y) + 4))\" text-anchor=\"end\">\(String(format: "%.3g", y))</text>\n"
            let x = xMin + Double(i) / 4 * (xMax - xMin)
            svg += "<text x=\"\(f(px(x)))\" y=\"\(f(top + plotHeight + 16))\" text-anchor=\"middle\">\(String(format: "%.3g", x))</text>\n"
        }
        svg += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(top + plotHeight + 32))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        svg += "<text x=\"14\" y=\"\(f(top + plotHeight / 2))\" transform=\"rotate(-90 14 \(f(top + plotHeight / 2)))\" text-anchor=\"middle\">\(escape(yLabel))</text>\n"
        for (i, s) in series.enumerated() where !s.points.isEmpty {
            let path = s.points.map { "\(f(px($0.x))),\(f(py(min(max($0.y, range.lowerBound), range.upperBound))))" }.joined(separator: " ")
            svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.2\"/>\n"
            svg += "<text x=\"\(f(left + plotWidth - 4))\" y=\"\(f(top + 14 + Double(i) * 13))\" text-anchor=\"end\" fill=\"\(s.color)\">\(escape(s.name))</text>\n"
        }
        for (i, row) in tickRows.enumerated() {
            let y = top + plotHeight + 48 + Double(i) * rowHeight
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(escape(row.name))</text>\n"
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y))\" stroke=\"#eee\"/>\n"
            for x in row.xs {
                svg += "<line x1=\"\(f(px(x)))\" y1=\"\(f(y - 6))\" x2=\"\(f(px(x)))\" y2=\"\(f(y + 6))\" stroke=\"\(row.color)\" stroke-width=\"1.5\"/>\n"
            }
        }
        return svg + "</svg>\n"
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
