import ArgumentParser
import DriftDetection
import DriftEvaluation
import Foundation
import Monitoring

extension Notebooks {
    /// `notebooks nab`: DriftLab's detectors on the Numenta Anomaly Benchmark.
    struct NAB: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "nab",
            abstract: "Score DriftLab's detectors on the NAB corpus with NAB's method, beside the published scoreboard.",
            discussion: """
            With --out, writes results.json, scores.svg and NAB's results layout \
            (<detector>/<folder>/<detector>_<file>.csv with timestamp,value,anomaly_score,label).
            """
        )

        @Option(help: "The NAB corpus (holding data/, labels/ and config/).")
        var data: String = "../shared/datasets/nab"

        @Option(parsing: .upToNextOption, help: "Detectors (default: all univariate ones).")
        var detector: [String] = []

        @Option(parsing: .upToNextOption, help: "Profiles: standard, reward_low_FP_rate, reward_low_FN_rate (default: all).")
        var profile: [String] = []

        @Option(help: "Where to write results.json, the chart and the per-file results.")
        var out: String?

        func validate() throws {
            for name in detector where !NABEvaluation.detectorNames.contains(name) {
                throw ValidationError("'\(name)' is not a univariate detector: \(NABEvaluation.detectorNames.joined(separator: ", "))")
            }
            for name in profile where !NABScorer.Profile.all.map(\.name).contains(name) {
                throw ValidationError("unknown profile '\(name)'")
            }
        }

        func run() async throws {
            let corpus: NABCorpus
            do {
                corpus = try NABCorpus(root: URL(fileURLWithPath: data))
            } catch {
                throw fail("cannot read the NAB corpus at \(data): \(error)")
            }
            let names = detector.isEmpty ? NABEvaluation.detectorNames : detector
            let profiles = profile.isEmpty ? NABScorer.Profile.all : NABScorer.Profile.all.filter { profile.contains($0.name) }
            let evaluation = NABEvaluation()
            let (results, scores) = evaluation.evaluate(corpus: corpus, detectors: names, profiles: profiles)
            let windows = corpus.series.reduce(0) { $0 + $1.windows.count }
            print("NAB: \(corpus.series.count) series, \(windows) windows\n")
            print("| detector | " + profiles.map(\.name).joined(separator: " | ") + " | standard, cross-validated |")
            print("|---|" + profiles.map { _ in "---|" }.joined() + "---|")
            for name in names {
                let mine = results.filter { $0.detector == name }
                let cells = profiles.map { p in mine.first { $0.profile == p.name }.map { String(format: "%.1f", $0.score) } ?? "–" }
                let cv = mine.first { $0.profile == "standard" }.map { String(format: "%.1f", $0.crossValidatedScore) } ?? "–"
                print("| DriftLab \(name) | " + cells.joined(separator: " | ") + " | \(cv) |")
            }
            for (name, score) in NABEvaluation.published {
                print("| \(name) (published) | " + profiles.map { $0.name == "standard" ? String(format: "%.1f", score) : "" }.joined(separator: " | ") + " | |")
            }
            if let out {
                let directory = URL(fileURLWithPath: out)
                try evaluation.writeResults(corpus: corpus, scores: scores, to: directory)
                let json: JSONValue = .array(results.map { r in
                    ["detector": .string(r.detector), "profile": .string(r.profile), "threshold": .double(r.threshold),
                     "score": .double(r.score), "cross_validated_score": .double(r.crossValidatedScore)]
                })
                try Data((JSONWriter.string(json, pretty: true) + "\n").utf8).write(to: directory.appendingPathComponent("results.json"))
                var chart = SVGChart(title: "NAB standard profile: DriftLab detectors (bars) and published scores", xLabel: "rank",
                                     yLabel: "NAB score", yRange: -20...100)
                let standard = results.filter { $0.profile == "standard" }.map { ($0.detector, $0.score) }
                for (i, entry) in (standard + NABEvaluation.published).sorted(by: { $0.1 > $1.1 }).enumerated() {
                    chart.series.append(.init(name: "\(entry.0) \(String(format: "%.1f", entry.1))",
                                              points: [(Double(i), 0), (Double(i), entry.1)],
                                              color: standard.contains { $0.0 == entry.0 } ? "#1f77b4" : "#999"))
                }
                try Data(chart.render().utf8).write(to: directory.appendingPathComponent("scores.svg"))
                printError("notebooks: wrote results.json, scores.svg and per-file results to \(out)")
            }
        }
    }
}
