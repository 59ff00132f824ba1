import Monitoring

/// Renders a ``MonitorReport`` for a person: aligned sections of plain text.
enum ReportTable {
    static func render(_ report: MonitorReport) -> String {
        var lines: [String] = []
        let m = report.currentMetrics
        lines.append("Current metrics (last 5 minutes, at \(m.timestamp.isoformat))")
        lines += rows([
            ("predictions per minute", number(m.predictionsPerMinute)),
            ("avg confidence", number(m.avgConfidence)),
            ("avg processing time (s)", number(m.avgProcessingTime)),
            ("error rate", number(m.errorRate)),
            ("anomaly score", number(m.anomalyScore)),
            ("total predictions", String(m.totalPredictions)),
        ])
        if let p = m.responseTimePercentiles {
            lines += rows([("p50", p.p50), ("p90", p.p90), ("p95", p.p95), ("p99", p.p99)]
                .map { ("processing time \($0.0) (s)", number($0.1)) })
        }
        if let c = m.confidenceDistribution {
            lines += rows([("very_low", c.veryLow), ("low", c.low), ("medium", c.medium), ("high", c.high),
                           ("very_high", c.veryHigh)].map { ("confidence \($0.0)", String($0.1)) })
        }
        lines += rows(m.predictionDistribution.map { ("label '\($0.key)'", String($0.value)) })

        lines.append("")
        if let p = report.predictionPatterns {
            lines.append("Prediction patterns (\(p.totalPredictions) predictions)")
            for (name, s) in [("confidence", p.confidenceStats), ("processing time", p.processingTimeStats)] {
                lines += rows([("\(name) mean / std", "\(number(s.mean)) / \(number(s.standardDeviation))"),
                               ("\(name) min / max", "\(number(s.minimum)) / \(number(s.maximum))")])
            }
            lines += rows(p.hourlyDistribution.map { ("hour \($0.key)", String($0.value)) })
            lines += p.anomalyIndicators.map { "  ! \($0)" }
        } else {
            lines.append("Prediction patterns: no recent predictions found")
        }

        lines.append("")
        if let c = report.confidenceAnalysis {
            lines.append("Confidence analysis (last hour, \(c.totalPredictions) predictions)")
            lines += rows([("mean / std", "\(number(c.overallAvgConfidence)) / \(number(c.confidenceStd))"),
                           ("below 0.7", String(c.lowConfidenceAlerts))])
            lines += rows(c.trends.map { ("\($0.windowStart.isoformat) +10 min", "\(number($0.avgConfidence)) (\($0.predictionCount))") })
        } else {
            lines.append("Confidence analysis: no recent predictions found")
        }
        lines.append("")
        lines.append("Historical metrics: \(report.historicalMetrics.count) snapshot(s)")
        return lines.joined(separator: "\n")
    }

    private static func rows(_ pairs: [(String, String)]) -> [String] {
        let width = pairs.map(\.0.count).max() ?? 0
        return pairs.map { "  " + $0.0 + String(repeating: " ", count: width - $0.0.count) + "  " + $0.1 }
    }

    private static func number(_ value: Double) -> String {
        PythonFloatFormat.repr((value * 1e6).rounded() / 1e6)
    }
}
