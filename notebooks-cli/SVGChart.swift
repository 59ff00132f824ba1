import Foundation

/// A line chart as a self-contained SVG: series of points (each with its
/// colour, dash and marker), shaded bands, rows of tick marks (alarms) under
/// the plot, a subtitle, and a legend outside the plot area. Enough for the
/// notebooks' figures without a plotting dependency.
struct SVGChart {
    struct Series {
        var name: String
        var points: [(x: Double, y: Double)]
        var color: String
        var dash: String? = nil
        /// Drawn at every point when set.
        var marker: ChartStyle.Marker? = nil
    }
    struct Band { var from: Double; var to: Double; var label: String }
    struct TickRow { var name: String; var xs: [Double]; var color: String }

    var title: String
    /// A second line under the title: what the figure shows (seed, rate, units).
    var subtitle: String?
    var xLabel: String
    var yLabel: String
    var series: [Series] = []
    var bands: [Band] = []
    var tickRows: [TickRow] = []
    var width = 900.0
    var plotHeight = 260.0
    var yRange: ClosedRange<Double>?
    /// Ticks of the x axis; `nil` for nice round values.
    var xTicks: [Double]?
    /// Room left and right of the data, as a fraction of its x span (keeps end markers off the axes).
    var xPadding = 0.0
    /// Sets apart, by a few pixels sideways, markers of different series that would
    /// cover each other at the same x (equal values); lines follow the markers.
    var dodgeCoincidentMarkers = false

    /// The `index`-th series in ``ChartStyle``'s colour, dash and marker.
    static func styledSeries(_ index: Int, name: String, points: [(x: Double, y: Double)]) -> Series {
        let style = ChartStyle.style(index)
        return Series(name: name, points: points, color: style.color, dash: style.dash, marker: style.marker)
    }

    private static let legendWidth = 180.0, rowHeight = 16.0, markerSize = 7.0

    /// The chart as an SVG document (with a `viewBox`, so it scales inside HTML).
    ///
    /// - Complexity: O(points + bands + ticks), plus O(s log s) per x value for `s` series when dodging.
    func render() -> String {
        let labelWidth = tickRows.map { Double($0.name.count) * 6.3 }.max() ?? 0
        let left = max(70, labelWidth + 16), top = subtitle == nil ? 40.0 : 56.0
        let hasLegend = !series.isEmpty || !bands.isEmpty
        let plotWidth = width - left - 16 - (hasLegend ? Self.legendWidth : 0)
        let legendRows = series.count + Set(bands.map(\.label)).count
        let height = max(top + plotHeight + 44 + Double(tickRows.count) * Self.rowHeight + 12,
                         top + Double(legendRows) * Self.rowHeight + 16)

        let xs = (series.flatMap { $0.points.map(\.x) } + bands.flatMap { [$0.from, $0.to] } + tickRows.flatMap(\.xs) + (xTicks ?? []))
            .filter(\.isFinite)
        let ys = series.flatMap { $0.points.map(\.y) }
        var xMin = xs.min() ?? 0, xMax = max(xs.max() ?? 1, xMin + 1e-9)
        let pad = (xMax - xMin) * xPadding
        xMin -= pad; xMax += pad
        let yRange = self.yRange ?? Self.paddedRange(ys)
        func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * plotWidth }
        func py(_ y: Double) -> Double {
            let clamped = min(max(y, yRange.lowerBound), yRange.upperBound)
            return top + plotHeight - (clamped - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * plotHeight
        }

        var svg = svgOpening(width: width, height: height, title: title, subtitle: subtitle, left: left)
        for band in bands {
            svg += "<rect x=\"\(svgNumber(px(band.from)))\" y=\"\(svgNumber(top))\" width=\"\(svgNumber(max(1, px(band.to) - px(band.from))))\" "
                + "height=\"\(svgNumber(plotHeight))\" fill=\"\(ChartStyle.bandFill)\" fill-opacity=\"\(ChartStyle.bandOpacity)\">"
                + "<title>\(xmlEscaped(band.label))</title></rect>\n"
        }
        // Grid and axes.
        for y in AxisTicks.nice(yRange) {
            svg += "<line x1=\"\(svgNumber(left))\" y1=\"\(svgNumber(py(y)))\" x2=\"\(svgNumber(left + plotWidth))\" y2=\"\(svgNumber(py(y)))\" stroke=\"#e4e4e4\"/>\n"
            svg += "<text x=\"\(svgNumber(left - 6))\" y=\"\(svgNumber(py(y) + 4))\" text-anchor=\"end\">\(AxisTicks.label(y))</text>\n"
        }
        for x in xTicks ?? AxisTicks.nice(xMin...xMax, count: 8) {
            let at = svgNumber(px(x)), bottom = top + plotHeight
            svg += "<line x1=\"\(at)\" y1=\"\(svgNumber(bottom))\" x2=\"\(at)\" y2=\"\(svgNumber(bottom + 5))\" stroke=\"#444\"/>\n"
            svg += "<text x=\"\(at)\" y=\"\(svgNumber(bottom + 17))\" text-anchor=\"middle\">\(AxisTicks.label(x))</text>\n"
        }
        svg += "<rect x=\"\(svgNumber(left))\" y=\"\(svgNumber(top))\" width=\"\(svgNumber(plotWidth))\" height=\"\(svgNumber(plotHeight))\" fill=\"none\" stroke=\"#444\"/>\n"
        svg += "<text x=\"\(svgNumber(left + plotWidth / 2))\" y=\"\(svgNumber(top + plotHeight + 33))\" text-anchor=\"middle\">\(xmlEscaped(xLabel))</text>\n"
        let middle = svgNumber(top + plotHeight / 2)
        svg += "<text x=\"14\" y=\"\(middle)\" transform=\"rotate(-90 14 \(middle))\" text-anchor=\"middle\">\(xmlEscaped(yLabel))</text>\n"

        // Series: lines, then markers on top.
        let positions = pixelPositions(px: px, py: py)
        for (s, points) in zip(series, positions) where !points.isEmpty {
            let dash = s.dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
            svg += "<polyline points=\"\(svgPoints(points))\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.6\"\(dash)/>\n"
        }
        for (s, points) in zip(series, positions) {
            guard let marker = s.marker else { continue }
            for (point, value) in zip(points, s.points) {
                svg += ChartStyle.markerSVG(marker, x: point.0, y: point.1, size: Self.markerSize, color: s.color,
                                            tooltip: "\(s.name): \(AxisTicks.label(value.x)), \(AxisTicks.label(value.y))") + "\n"
            }
        }
        // Alarm rows under the axis label.
        for (i, row) in tickRows.enumerated() {
            let y = top + plotHeight + 52 + Double(i) * Self.rowHeight
            svg += "<text x=\"\(svgNumber(left - 6))\" y=\"\(svgNumber(y + 4))\" text-anchor=\"end\">\(xmlEscaped(row.name))</text>\n"
            svg += "<line x1=\"\(svgNumber(left))\" y1=\"\(svgNumber(y))\" x2=\"\(svgNumber(left + plotWidth))\" y2=\"\(svgNumber(y))\" stroke=\"#eee\"/>\n"
            for x in row.xs {
                svg += "<line x1=\"\(svgNumber(px(x)))\" y1=\"\(svgNumber(y - 6))\" x2=\"\(svgNumber(px(x)))\" y2=\"\(svgNumber(y + 6))\" stroke=\"\(row.color)\" stroke-width=\"1.5\"/>\n"
            }
        }
        // Legend, right of the plot.
        if hasLegend {
            let x = left + plotWidth + 14
            var y = top + 8
            svg += "<g class=\"legend\">\n"
            for s in series {
                let dash = s.dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
                svg += "<line x1=\"\(svgNumber(x))\" y1=\"\(svgNumber(y))\" x2=\"\(svgNumber(x + 26))\" y2=\"\(svgNumber(y))\" stroke=\"\(s.color)\" stroke-width=\"1.6\"\(dash)/>\n"
                if let marker = s.marker {
                    svg += ChartStyle.markerSVG(marker, x: x + 13, y: y, size: Self.markerSize, color: s.color) + "\n"
                }
                svg += "<text x=\"\(svgNumber(x + 32))\" y=\"\(svgNumber(y + 4))\">\(xmlEscaped(s.name))</text>\n"
                y += Self.rowHeight
            }
            for label in bands.map(\.label).uniqued() {
                svg += "<rect x=\"\(svgNumber(x))\" y=\"\(svgNumber(y - 6))\" width=\"26\" height=\"12\" fill=\"\(ChartStyle.bandFill)\" fill-opacity=\"\(ChartStyle.bandOpacity)\"/>\n"
                svg += "<text x=\"\(svgNumber(x + 32))\" y=\"\(svgNumber(y + 4))\">\(xmlEscaped(label))</text>\n"
                y += Self.rowHeight
            }
            svg += "</g>\n"
        }
        return svg + "</svg>\n"
    }

    /// Each series' points in pixels; with ``dodgeCoincidentMarkers``, the markers that
    /// share an x and lie within a marker's size of each other vertically are spread
    /// sideways, centred on the true x, in series order.
    private func pixelPositions(px: (Double) -> Double, py: (Double) -> Double) -> [[(Double, Double)]] {
        var positions = series.map { $0.points.map { (px($0.x), py($0.y)) } }
        guard dodgeCoincidentMarkers else { return positions }
        var atX: [Double: [(series: Int, point: Int)]] = [:]
        for (s, one) in series.enumerated() { for (p, point) in one.points.enumerated() { atX[point.x, default: []].append((s, p)) } }
        for (_, members) in atX {
            let sorted = members.sorted { (positions[$0.series][$0.point].1, $0.series) < (positions[$1.series][$1.point].1, $1.series) }
            var group: [(series: Int, point: Int)] = []
            func spread() {
                let spacing = Self.markerSize + 1
                for (k, m) in group.sorted(by: { $0.series < $1.series }).enumerated() {
                    positions[m.series][m.point].0 += (Double(k) - Double(group.count - 1) / 2) * spacing
                }
                group.removeAll()
            }
            for m in sorted {
                if let last = group.last, positions[m.series][m.point].1 - positions[last.series][last.point].1 >= Self.markerSize { spread() }
                group.append(m)
            }
            spread()
        }
        return positions
    }

    /// The values' range with 5% room above and below (a constant gets ±0.5).
    static func paddedRange(_ values: [Double]) -> ClosedRange<Double> {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return 0...1 }
        if high - low < 1e-12 { return (low - 0.5)...(high + 0.5) }
        let pad = (high - low) * 0.05
        return (low - pad)...(high + pad)
    }
}

extension Sequence where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
