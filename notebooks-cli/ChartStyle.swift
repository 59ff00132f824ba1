import Foundation

/// How the notebooks' charts tell series apart: the Okabe–Ito palette
/// (distinguishable with every common colour-vision deficiency), dash
/// patterns and marker shapes, cycled with coprime periods (7, 3, 5) so that
/// two of the first 105 series always differ in at least two of the three.
enum ChartStyle {
    /// Okabe & Ito (2008), black first, without its yellow (#F0E442), too faint for thin lines on white.
    static let palette = ["#000000", "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7"]

    /// `stroke-dasharray` values; `nil` is a solid line.
    static let dashes: [String?] = [nil, "6 3", "2 2"]

    enum Marker: CaseIterable { case circle, square, triangle, diamond, invertedTriangle }

    /// The `index`-th series' colour, dash and marker.
    static func style(_ index: Int) -> (color: String, dash: String?, marker: Marker) {
        (palette[index % palette.count], dashes[index % dashes.count], Marker.allCases[index % Marker.allCases.count])
    }

    /// The light fill of a ground-truth drift band (vermilion).
    static let bandFill = "#D55E00"
    static let bandOpacity = 0.14

    /// SVG of `marker` centred on (`x`, `y`), `size` pixels across.
    static func markerSVG(_ marker: Marker, x: Double, y: Double, size: Double, color: String, tooltip: String? = nil) -> String {
        let r = size / 2
        let shape: String
        switch marker {
        case .circle:
            shape = "<circle cx=\"\(svgNumber(x))\" cy=\"\(svgNumber(y))\" r=\"\(svgNumber(r))\""
        case .square:
            shape = "<rect x=\"\(svgNumber(x - r * 0.9))\" y=\"\(svgNumber(y - r * 0.9))\" width=\"\(svgNumber(1.8 * r))\" height=\"\(svgNumber(1.8 * r))\""
        case .triangle:
            shape = "<polygon points=\"\(svgPoints([(x, y - r * 1.15), (x + r * 1.1, y + r * 0.8), (x - r * 1.1, y + r * 0.8)]))\""
        case .diamond:
            shape = "<polygon points=\"\(svgPoints([(x, y - r * 1.25), (x + r * 1.1, y), (x, y + r * 1.25), (x - r * 1.1, y)]))\""
        case .invertedTriangle:
            shape = "<polygon points=\"\(svgPoints([(x, y + r * 1.15), (x + r * 1.1, y - r * 0.8), (x - r * 1.1, y - r * 0.8)]))\""
        }
        let paint = " fill=\"\(color)\" stroke=\"white\" stroke-width=\"0.8\""
        guard let tooltip else { return shape + paint + "/>" }
        return shape + paint + "><title>\(xmlEscaped(tooltip))</title></" + (marker == .circle ? "circle" : marker == .square ? "rect" : "polygon") + ">"
    }
}

/// A coordinate with one decimal, as the charts write them.
func svgNumber(_ value: Double) -> String { String(format: "%.1f", value) }

/// `x,y x,y …` for `points` and `polyline`.
func svgPoints(_ points: [(Double, Double)]) -> String {
    points.map { "\(svgNumber($0.0)),\(svgNumber($0.1))" }.joined(separator: " ")
}

/// `text` with `&`, `<`, `>` and `"` escaped, for XML and HTML text and attributes.
func xmlEscaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(c)
        }
    }
    return out
}

/// Axis ticks: "nice" values (1, 2 or 5 × 10ᵏ apart) covering `range`, about `count` of them.
enum AxisTicks {
    static func nice(_ range: ClosedRange<Double>, count: Int = 5) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / Double(max(count, 1))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var ticks: [Double] = []
        var k = (range.lowerBound / step).rounded(.up)
        while k * step <= range.upperBound + step * 1e-9 {
            ticks.append(k * step == 0 ? 0 : k * step)  // no "-0"
            k += 1
        }
        return ticks
    }

    /// A tick's label: plain decimals, as few as read back as the value to 9 significant digits
    /// (0.25 is "0.25", 20 is "20", -37.5 is "-37.5"); scientific notation only outside 1e-4 ..< 1e9.
    static func label(_ value: Double) -> String {
        let size = abs(value)
        guard size == 0 || (size >= 1e-4 && size < 1e9) else { return String(format: "%.3g", value) }
        for decimals in 0...8 {
            let text = String(format: "%.\(decimals)f", value)
            if abs((Double(text) ?? .nan) - value) <= size * 1e-9 { return text == "-0" ? "0" : text }
        }
        return String(format: "%.8f", value)
    }
}

/// The opening of a chart's SVG: the root element, its title (also as the
/// accessible `<title>`), a white background and the subtitle, left-aligned
/// at `left`. The caller closes it with `</svg>`.
func svgOpening(width: Double, height: Double, title: String, subtitle: String?, left: Double) -> String {
    var svg = """
    <svg xmlns="http://www.w3.org/2000/svg" width="\(svgNumber(width))" height="\(svgNumber(height))" \
    viewBox="0 0 \(svgNumber(width)) \(svgNumber(height))" font-family="sans-serif" font-size="11" role="img">
    <title>\(xmlEscaped(title))</title>
    <rect width="100%" height="100%" fill="white"/>
    <text x="\(svgNumber(left))" y="20" font-size="14" font-weight="bold">\(xmlEscaped(title))</text>

    """
    if let subtitle {
        svg += "<text x=\"\(svgNumber(left))\" y=\"38\" fill=\"#333\">\(xmlEscaped(subtitle))</text>\n"
    }
    return svg
}
