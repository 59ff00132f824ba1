import Foundation

/// A horizontal bar chart as a self-contained SVG: one category a row, its
/// name left of the axis, a bar from zero to its value, the value printed at
/// the bar's end, bars coloured by group with the legend outside the plot.
struct SVGBarChart {
    struct Bar {
        var label: String
        var value: Double
        var group: Int
        /// A second figure of the same category, drawn as a marker on its row (e.g. a held-out score).
        var secondary: Double? = nil
    }
    struct Group { var name: String; var color: String }

    var title: String
    var subtitle: String?
    var valueLabel: String
    var groups: [Group]
    var bars: [Bar]
    var width = 920.0
    var rowHeight = 22.0
    /// What ``Bar/secondary`` is, for the legend and the value labels.
    var secondaryName = "secondary"
    /// Digits after the point of the printed values.
    var valueDigits = 1

    private static let legendWidth = 180.0

    /// The chart as an SVG document (with a `viewBox`).
    ///
    /// - Complexity: O(bars).
    func render() -> String {
        let labelWidth = bars.map { Double($0.label.count) * 6.3 }.max() ?? 0
        let left = max(80, labelWidth + 16), top = subtitle == nil ? 40.0 : 56.0
        let valueRoom = bars.contains { $0.secondary != nil } ? 140.0 : 44.0  // for a value printed beyond the longest bar
        let plotWidth = width - left - 16 - Self.legendWidth
        let plotHeight = Double(max(bars.count, 1)) * rowHeight + 8
        let hasSecondary = bars.contains { $0.secondary != nil }
        let height = max(top + plotHeight + 44, top + Double(groups.count + (hasSecondary ? 1 : 0)) * 16 + 16)

        let values = (bars.map(\.value) + bars.compactMap(\.secondary) + [0]).filter(\.isFinite)
        let low = values.min()!, high = values.max()!
        let ticks = AxisTicks.nice(low...max(high, low + 1e-9), count: 6)
        let domainLow = min(ticks.first ?? low, low), domainHigh = max(ticks.last ?? high, high)
        // Room for the value labels right of the data (a label sits right of its bar, its marker and zero).
        let scale = (plotWidth - valueRoom) / max(domainHigh - domainLow, 1e-9)
        let origin = left - domainLow * scale
        func px(_ v: Double) -> Double { origin + v * scale }

        var svg = svgOpening(width: width, height: height, title: title, subtitle: subtitle, left: left)
        let bottom = top + plotHeight
        for tick in ticks {
            let at = svgNumber(px(tick))
            svg += "<line x1=\"\(at)\" y1=\"\(svgNumber(top))\" x2=\"\(at)\" y2=\"\(svgNumber(bottom + 5))\" stroke=\"\(tick == 0 ? "#444" : "#e4e4e4")\"/>\n"
            svg += "<text x=\"\(at)\" y=\"\(svgNumber(bottom + 17))\" text-anchor=\"middle\">\(AxisTicks.label(tick))</text>\n"
        }
        svg += "<line x1=\"\(svgNumber(left))\" y1=\"\(svgNumber(bottom))\" x2=\"\(svgNumber(left + plotWidth))\" y2=\"\(svgNumber(bottom))\" stroke=\"#444\"/>\n"
        svg += "<text x=\"\(svgNumber(left + plotWidth / 2))\" y=\"\(svgNumber(bottom + 33))\" text-anchor=\"middle\">\(xmlEscaped(valueLabel))</text>\n"
        for (i, bar) in bars.enumerated() {
            let y = top + 4 + Double(i) * rowHeight
            let barHeight = rowHeight * 0.7, middle = y + rowHeight / 2
            let from = px(min(0, bar.value)), to = px(max(0, bar.value))
            let group = groups[bar.group]
            let value = String(format: "%.\(valueDigits)f", bar.value)
            svg += "<text x=\"\(svgNumber(left - 8))\" y=\"\(svgNumber(middle + 4))\" text-anchor=\"end\">\(xmlEscaped(bar.label))</text>\n"
            svg += "<rect class=\"bar\" x=\"\(svgNumber(from))\" y=\"\(svgNumber(middle - barHeight / 2))\" width=\"\(svgNumber(max(to - from, 1)))\" "
                + "height=\"\(svgNumber(barHeight))\" fill=\"\(group.color)\"><title>\(xmlEscaped("\(bar.label) (\(group.name)): \(value)"))</title></rect>\n"
            var text = value
            var outer = to
            if let secondary = bar.secondary {
                let mark = px(secondary)
                svg += ChartStyle.markerSVG(.diamond, x: mark, y: middle, size: barHeight * 0.8, color: "#000000",
                                            tooltip: "\(bar.label), \(secondaryName): \(String(format: "%.\(valueDigits)f", secondary))") + "\n"
                text += " (\(secondaryName) \(String(format: "%.\(valueDigits)f", secondary)))"
                outer = max(outer, mark + 6)
            }
            svg += "<text class=\"value\" x=\"\(svgNumber(outer + 4))\" y=\"\(svgNumber(middle + 4))\">\(xmlEscaped(text))</text>\n"
        }
        // Legend, right of the plot.
        let x = left + plotWidth + 14
        svg += "<g class=\"legend\">\n"
        for (i, group) in groups.enumerated() {
            let y = top + 8 + Double(i) * 16
            svg += "<rect x=\"\(svgNumber(x))\" y=\"\(svgNumber(y - 6))\" width=\"18\" height=\"12\" fill=\"\(group.color)\"/>\n"
            svg += "<text x=\"\(svgNumber(x + 24))\" y=\"\(svgNumber(y + 4))\">\(xmlEscaped(group.name))</text>\n"
        }
        if hasSecondary {
            let y = top + 8 + Double(groups.count) * 16
            svg += ChartStyle.markerSVG(.diamond, x: x + 9, y: y, size: 10, color: "#000000") + "\n"
            svg += "<text x=\"\(svgNumber(x + 24))\" y=\"\(svgNumber(y + 4))\">\(xmlEscaped(secondaryName))</text>\n"
        }
        return svg + "</g>\n</svg>\n"
    }
}
