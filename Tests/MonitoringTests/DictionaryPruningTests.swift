import DriftDetection
import Foundation
import Monitoring
import MonitorNumerics
import Testing

@Suite("Label dictionaries bounded by the window")
struct DictionaryPruningTests {
    let start = LocalTimestamp(isoformat: "2026-01-05T00:00:00")!

    @Test("30,000 records with 9,000 distinct labels through a 1,000-record window: the dictionary stays bounded and the metrics equal a state holding only the window")
    func pruning() {
        var pruned = MonitorState(capacity: 1_000)
        var records: [(LocalTimestamp, String, String)] = []
        for i in 0..<30_000 {
            let label = i % 7 == 0 ? "common" : "label-\(i % 9_000)"
            records.append((start.adding(microseconds: Int64(i) * 5_000), label, "v\(i % 5_000)"))
        }
        var peak = 0
        for (t, label, version) in records {
            pruned.append(timestamp: t, prediction: label, confidence: 0.5, processingTime: 0.1, modelVersion: version,
                          textLength: 1, wordCount: 1)
            peak = max(peak, pruned.labels.count, pruned.modelVersions.count)
        }
        #expect(peak <= pruned.dictionaryLimit)
        #expect(pruned.dictionaryGeneration > 0)
        var fresh = MonitorState(capacity: 1_000)
        for (t, label, version) in records.suffix(1_000) {
            fresh.append(timestamp: t, prediction: label, confidence: 0.5, processingTime: 0.1, modelVersion: version,
                         textLength: 1, wordCount: 1)
        }
        let now = records.last!.0.adding(microseconds: 1)
        #expect(pruned.currentMetrics(at: now) == fresh.currentMetrics(at: now))
        #expect(pruned.predictionPatterns(hours: 24, at: now) == fresh.predictionPatterns(hours: 24, at: now))
    }

    @Test("the drift detector's labels follow a renumbered dictionary, and stop growing past the limit")
    func cutterTranslation() {
        var cutter = IntervalCutter()
        _ = cutter.addPrediction(at: start, externalCode: 0, generation: 0, label: "a", confidence: 0.5, processingTime: 0.1)
        _ = cutter.addPrediction(at: start, externalCode: 0, generation: 1, label: "b", confidence: 0.5, processingTime: 0.1)
        #expect(cutter.open?.labels == [cutter.labels.code(of: "a")!, cutter.labels.code(of: "b")!])
        for i in 0..<(IntervalCutter.labelLimit + 50) {
            _ = cutter.addPrediction(at: start, label: "l\(i)", confidence: 0.5, processingTime: 0.1)
        }
        #expect(cutter.labels.count == IntervalCutter.labelLimit)
        #expect(cutter.labels.code(of: IntervalCutter.overflowLabel) != nil)
    }

    @Test("the monitor's path: state codes through a pruning dictionary, translated by the drift cutter, always name the recorded label")
    func statePruningAndCutter() {
        var state = MonitorState(capacity: 100)
        var cutter = IntervalCutter()
        var recorded: [String] = []
        var seen: [String] = []
        for i in 0..<14_000 {
            let label = i % 3 == 0 ? "common-\(i % 5)" : "one-off-\(i)"
            let t = start.adding(microseconds: Int64(i) * 1_000_000)
            let code = state.append(timestamp: t, prediction: label, confidence: 0.5, processingTime: 0.1, modelVersion: "v",
                                    textLength: 1, wordCount: 1)
            #expect(state.labels[code] == label)
            if let closed = cutter.addPrediction(at: t, externalCode: code, generation: state.dictionaryGeneration,
                                                 label: label, confidence: 0.5, processingTime: 0.1) {
                seen += closed.labels.map { cutter.labels[$0] }
            }
            recorded.append(label)
        }
        seen += cutter.open!.labels.map { cutter.labels[$0] }
        #expect(state.dictionaryGeneration >= 2, "pruned more than once")
        #expect(seen == recorded)
    }
}
