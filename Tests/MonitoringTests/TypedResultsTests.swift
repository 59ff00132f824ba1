import Foundation
import MonitorNumerics
import OrderedCollections
import Testing
@testable import Monitoring

/// The typed, Codable results against the reference's answers: typed fields
/// hold the reference's numbers, the Codable form is the reference's JSON
/// (keys, order, values), and decoding gives back the same results.
@Suite("Typed, Codable results")
struct TypedResultsTests {
    static func expectedAndReport(_ name: String) throws -> (JSONObject, MonitorReport) {
        let expected = try ReferenceFixtures.expected(name)
        return (expected, try ReferenceFixtures.analyze(name, expected: expected))
    }

    @Test("typed fields hold the reference's values", arguments: ReferenceFixtures.caseNames)
    func typedFields(caseName: String) throws {
        let (expected, report) = try Self.expectedAndReport(caseName)
        let metrics = report.currentMetrics
        let reference = try #require(expected["current_metrics"])
        if case .object(let percentiles)? = reference["response_time_percentiles"], percentiles.count > 0 {
            let p = try #require(metrics.responseTimePercentiles)
            let typed = [p.p50, p.p90, p.p95, p.p99], referenceValues = ["p50", "p90", "p95", "p99"].map { percentiles[$0]!.doubleValue! }
            // A NaN percentile (a NaN response time, or inf − inf) is NaN in both.
            #expect(zip(typed, referenceValues).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(typed) against \(referenceValues)")
        } else {
            #expect(metrics.responseTimePercentiles == nil)
        }
        if case .object(let buckets)? = reference["confidence_distribution"], buckets.count > 0 {
            let c = try #require(metrics.confidenceDistribution)
            #expect(c.counts == ConfidenceBuckets.keys.map { Int(buckets[$0]!.doubleValue!) })
        } else {
            #expect(metrics.confidenceDistribution == nil)
        }
        guard case .object(let labels)? = reference["prediction_distribution"] else { Issue.record("no labels"); return }
        #expect(metrics.predictionDistribution.keys.elements == labels.keys)
        #expect(metrics.predictionDistribution.values.elements == labels.members.map { Int($0.value.doubleValue!) })
        if let patterns = report.predictionPatterns, case .object(let hours)? = expected["prediction_patterns"]?["hourly_distribution"] {
            #expect(patterns.hourlyDistribution.keys.map(String.init) == hours.keys)
            #expect(patterns.confidenceStats.standardDeviation == expected["prediction_patterns"]?["confidence_stats"]?["std"]?.doubleValue)
        } else {
            #expect(expected["prediction_patterns"]?["error"] != nil)
        }
    }

    @Test("the Codable form is the reference's JSON, and decodes to the same report", arguments: ReferenceFixtures.caseNames)
    func referenceJSONRoundTrip(caseName: String) throws {
        let (_, report) = try Self.expectedAndReport(caseName)
        let text = try ReferenceJSON.string(report)
        #expect(text == JSONWriter.string(report.jsonValue))
        var decoded = try ReferenceJSON.decode(MonitorReport.self, from: text)
        decoded.load = report.load
        // NaN never equals itself: compare what a NaN-free report holds, and the text always.
        if !text.contains("NaN") { #expect(decoded == report) }
        #expect(try ReferenceJSON.string(decoded) == text)
        for snapshot in report.historicalMetrics {
            // A snapshot of the reference's shape reads typed and writes back the same object.
            if let typed = snapshot.metrics {
                #expect(JSONWriter.string(typed.jsonValue) == JSONWriter.string(.object(snapshot.json)))
            }
        }
    }

    @Test("Foundation's JSONEncoder writes the reference's field names")
    func foundationFieldNames() throws {
        let (_, report) = try Self.expectedAndReport("realistic_day")
        let encoder = JSONEncoder()
        let data = try encoder.encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["current_metrics", "prediction_patterns", "confidence_analysis", "historical_metrics"])
        let metrics = try #require(object["current_metrics"] as? [String: Any])
        #expect(Set(metrics.keys) == Set(MonitoringMetrics.keys))
        let percentiles = try #require(metrics["response_time_percentiles"] as? [String: Any])
        #expect(Set(percentiles.keys) == ["p50", "p90", "p95", "p99"])
        let buckets = try #require(metrics["confidence_distribution"] as? [String: Any])
        #expect(Set(buckets.keys) == Set(ConfidenceBuckets.keys))
        let patterns = try #require(object["prediction_patterns"] as? [String: Any])
        #expect(Set(patterns.keys) == ["total_predictions", "hourly_distribution", "confidence_stats",
                                       "processing_time_stats", "anomaly_indicators"])
        #expect(Set((patterns["confidence_stats"] as? [String: Any] ?? [:]).keys) == ["mean", "std", "min", "max"])
        let analysis = try #require(object["confidence_analysis"] as? [String: Any])
        #expect(Set(analysis.keys) == ["total_predictions", "overall_avg_confidence", "confidence_std", "distribution",
                                       "trends", "low_confidence_alerts"])
        // Foundation keeps values but not the order of label and hour maps.
        let decoded = try JSONDecoder().decode(MonitorReport.self, from: data)
        #expect(decoded.currentMetrics.responseTimePercentiles == report.currentMetrics.responseTimePercentiles)
        #expect(Dictionary(uniqueKeysWithValues: decoded.currentMetrics.predictionDistribution.map { ($0.key, $0.value) })
                == Dictionary(uniqueKeysWithValues: report.currentMetrics.predictionDistribution.map { ($0.key, $0.value) }))
        #expect(decoded.confidenceAnalysis == report.confidenceAnalysis)
    }

    @Test("an empty window is the reference's empty dicts and error dicts")
    func emptyWindow() throws {
        let start = try #require(LocalTimestamp(isoformat: "2026-11-29T12:00:00"))
        let metrics = MonitoringMetrics.empty(at: start, totalPredictions: 3)
        #expect(try ReferenceJSON.string(metrics) == """
            {"timestamp": "2026-11-29T12:00:00", "total_predictions": 3, "predictions_per_minute": 0.0, \
            "avg_confidence": 0.0, "avg_processing_time": 0.0, "confidence_distribution": {}, \
            "prediction_distribution": {}, "error_rate": 0.0, "response_time_percentiles": {}, "anomaly_score": 0.0}
            """)
        #expect(try ReferenceJSON.decode(MonitoringMetrics.self, from: ReferenceJSON.string(metrics)) == metrics)
        let (expected, report) = try Self.expectedAndReport("empty_directory")
        #expect(report.predictionPatterns == nil && report.confidenceAnalysis == nil)
        let encoded = try JSONValueEncoder().encode(report)
        #expect(encoded["prediction_patterns"] == expected["prediction_patterns"])
        #expect(encoded["confidence_analysis"] == expected["confidence_analysis"])
        #expect(try ReferenceJSON.decode(MonitorReport.self, from: ReferenceJSON.string(report)).predictionPatterns == nil)
    }

    @Test("labels keep their order and non-string labels their JSON keys")
    func labelOrder() throws {
        let (_, report) = try Self.expectedAndReport("non_string_labels")
        #expect(report.currentMetrics.predictionDistribution.keys.elements.contains("null"))
        let text = try ReferenceJSON.string(report.currentMetrics)
        let decoded = try ReferenceJSON.decode(MonitoringMetrics.self, from: text)
        #expect(decoded.predictionDistribution.keys == report.currentMetrics.predictionDistribution.keys)
    }

    @Test("a malformed result is a DecodingError, never a crash")
    func decodingErrors() throws {
        #expect(throws: DecodingError.self) { try ReferenceJSON.decode(MonitoringMetrics.self, from: "{}") }
        #expect(throws: DecodingError.self) {
            try ReferenceJSON.decode(MonitoringMetrics.self, from: #"{"timestamp": "yesterday", "total_predictions": 1}"#)
        }
        #expect(throws: DecodingError.self) {
            try ReferenceJSON.decode(PredictionPatterns.self, from: """
                {"total_predictions": 1, "hourly_distribution": {"25": 1}, \
                "confidence_stats": {"mean": 1, "std": 0, "min": 1, "max": 1}, \
                "processing_time_stats": {"mean": 1, "std": 0, "min": 1, "max": 1}, "anomaly_indicators": []}
                """)
        }
        #expect(throws: JSONSyntaxError.self) { try ReferenceJSON.decode(MonitoringMetrics.self, from: "{") }
        #expect(throws: DecodingError.self) { try ReferenceJSON.decode(MonitorState.HistoricalMetrics.self, from: "[1]") }
    }

    /// A random snapshot: labels from awkward alphabets (escapes, non-ASCII,
    /// astral code points), finite doubles of every magnitude.
    static func randomMetrics(_ rng: inout SplitMix64) -> MonitoringMetrics {
        let alphabet: [String] = ["a", "Z", "0", " ", "\"", "\\", "\n", "\u{7}", "\u{E9}", "e\u{301}", "日", "\u{1F600}", "/"]
        func double() -> Double {
            switch rng.next() % 4 {
            case 0: return rng.nextUnitDouble()
            case 1: return Double(rng.next() % 1000) / 8
            case 2:
                let bits = Double(bitPattern: rng.next())
                return bits.isFinite ? bits : 0.5
            default: return Double(Int64(bitPattern: rng.next() >> 11))
            }
        }
        var labels = OrderedDictionary<String, Int>()
        for _ in 0..<Int(rng.next() % 6) {
            let label = (0..<Int(1 + rng.next() % 4)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined()
            labels[label, default: 0] += Int(rng.next() % 1000)
        }
        let empty = labels.isEmpty
        return MonitoringMetrics(
            timestamp: LocalTimestamp(microseconds: Int64(rng.next() % 300_000_000_000_000)),
            totalPredictions: Int(rng.next() % 1_000_000), predictionsPerMinute: double(), avgConfidence: double(),
            avgProcessingTime: double(),
            confidenceDistribution: empty ? nil : ConfidenceBuckets(veryLow: Int(rng.next() % 9), low: 1, medium: 2, high: 3,
                                                                    veryHigh: Int(rng.next() % 9)),
            predictionDistribution: labels, errorRate: double(),
            responseTimePercentiles: empty ? nil : Percentiles(p50: double(), p90: double(), p95: double(), p99: double()),
            anomalyScore: double())
    }

    @Test("random snapshots survive both encodings; ReferenceJSON keeps every bit and the label order")
    func randomRoundTrips() throws {
        var rng = SplitMix64(seed: 13)
        for _ in 0..<500 {
            let metrics = Self.randomMetrics(&rng)
            let text = try ReferenceJSON.string(metrics)
            #expect(try ReferenceJSON.decode(MonitoringMetrics.self, from: text) == metrics, "\(text)")
            // The text parses as the reference's JSON with the dataclass's keys in order.
            guard case .object(let object) = try JSONParser.parse(text) else { Issue.record("not an object"); continue }
            #expect(object.keys == MonitoringMetrics.keys)
            let foundation = try JSONDecoder().decode(MonitoringMetrics.self, from: JSONEncoder().encode(metrics))
            var reordered = foundation
            reordered.predictionDistribution = OrderedDictionary(
                uniqueKeysWithValues: metrics.predictionDistribution.keys.map { ($0, foundation.predictionDistribution[$0] ?? -1) })
            #expect(reordered == metrics)
        }
    }
}
