import ArgumentParser
import DriftDetection
import DriftEvaluation
import Foundation
import Monitoring

extension Notebooks {
    /// `notebooks nab`: DriftLab's NAB entries on the Numenta Anomaly Benchmark.
    struct NAB: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "nab",
            abstract: "Score DriftLab's NAB entries on the NAB corpus with NAB's method, nested cross-validation included, beside the published scoreboard.",
            discussion: """
            stdout: with --format json, {"detectors": [{"name", "standard", "reward_low_FP_rate", "reward_low_FN_rate", \
            "nested_cv_standard", "nested_cv_reward_low_FP_rate", "nested_cv_reward_low_FN_rate", "held_out_standard", \
            "published_standard"}]} (null where a figure does not apply); with --format table, a markdown table. \
            held_out_standard scores the held-out half of NAB's files with parameters and threshold chosen on the \
            development half. With --out, writes report.html (tables and a bar chart, self-contained), report.md, scores.svg, NAB's results layout for every entry (<name>/<folder>/<name>_<file>.csv, \
            scores with 12 significant digits as NAB stores them; <name>-nestedcv, <name>-nestedcv-lowfp and \
            <name>-nestedcv-lowfn hold each profile's held-out detections), thresholds.json and final_results.json in \
            NAB's format, and results.json with the folds' choices.
            """
        )

        @Option(help: "The NAB corpus (holding data/ and labels/).")
        var data: String = "../shared/datasets/nab"

        @Option(parsing: .upToNextOption, help: "Entries (default: all).")
        var detector: [String] = []

        @Option(parsing: .upToNextOption, help: "Profiles: standard, reward_low_FP_rate, reward_low_FN_rate (default: all).")
        var profile: [String] = []

        @Option(help: "Where to write report.html, report.md, scores.svg, the results layout, thresholds.json, final_results.json and results.json.")
        var out: String?

        @Option(help: "Files: all, or development (the half of NAB's files DriftLab's own detectors were developed on).")
        var files: FileSubset = .all

        enum FileSubset: String, ExpressibleByArgument, CaseIterable {
            case all, development
        }

        @Option(help: "Output format: json or table.")
        var format: OutputFormat = .table

        func validate() throws {
            for name in detector where !NABEvaluation.entryNames.contains(name) {
                throw ValidationError("'\(name)' is not a NAB entry\(didYouMean(name, among: NABEvaluation.entryNames)) (entries: \(NABEvaluation.entryNames.joined(separator: ", ")))")
            }
            for name in profile where !NABScorer.Profile.all.map(\.name).contains(name) {
                throw ValidationError("unknown profile '\(name)'\(didYouMean(name, among: NABScorer.Profile.all.map(\.name)))")
            }
            if let out { try OutputPath.checkDirectory(out) }
        }

        func run() async throws {
            // The output directory first, so that a bad --out fails before minutes of scoring.
            let directory = try out.map(OutputPath.create)
            var corpus: NABCorpus
            do {
                corpus = try NABCorpus(root: URL(fileURLWithPath: data))
            } catch {
                throw fail("cannot read the NAB corpus at \(data): \(error)")
            }
            if files == .development {
                let development = NABEvaluation.developmentSplit(corpus).development
                corpus.series = development.map { corpus.series[$0] }
            }
            let names = detector.isEmpty ? NABEvaluation.entryNames : detector
            let entries = NABEvaluation.entries.filter { names.contains($0.name) }
            var profiles = profile.isEmpty ? NABScorer.Profile.all : NABScorer.Profile.all.filter { profile.contains($0.name) }
            if !profiles.contains(.standard) { profiles.insert(.standard, at: 0) }
            let evaluation = NABEvaluation()
            let showProgress = TerminalProgress.isEnabled
            let seriesCount = corpus.series.count
            var results: [NABEvaluation.Result] = []
            let started = Date()
            for (i, entry) in entries.enumerated() {
                let label = "nab: \(entry.name) (\(i + 1)/\(entries.count))"
                var progress: (@Sendable (Int) -> Void)?
                if showProgress {
                    progress = { (done: Int) -> Void in TerminalProgress.draw(label, Double(done) / Double(seriesCount)) }
                }
                let (result, scores, nested) = evaluation.evaluate(entry, corpus: corpus, profiles: profiles, progress: progress)
                if showProgress {
                    writeAll("\r\(label): scored in \(Int(Date().timeIntervalSince(started))) s so far\u{1B}[K\n", to: STDERR_FILENO)
                }
                results.append(result)
                if let directory {
                    try NABEvaluation.writeResults(name: entry.resultsName, scores: scores, corpus: corpus, to: directory)
                    for profile in NABScorer.Profile.all {
                        if let detections = nested[profile.name] {
                            try NABEvaluation.writeResults(name: nestedName(entry.resultsName, profile), scores: detections,
                                                           corpus: corpus, to: directory)
                        }
                    }
                }
            }
            let profileNames = NABScorer.Profile.all.map(\.name)
            func figure(_ x: Double?) -> JSONValue { x.map { .double($0) } ?? .null }
            var rows: [JSONValue] = results.map { r in
                var object: [(String, JSONValue)] = [("name", .string(r.displayName))]
                for p in profileNames { object.append((p, figure(r.inSample[p]))) }
                for p in profileNames { object.append(("nested_cv_\(p)", figure(r.nestedCV[p]))) }
                object.append(("held_out_standard", figure(r.heldOut["standard"])))
                object.append(("published_standard", figure(r.published)))
                return .object(JSONObject(object))
            }
            for (name, score) in NABEvaluation.published {
                var object: [(String, JSONValue)] = [("name", .string("\(name) (published)"))]
                for p in profileNames { object.append((p, .null)) }
                for p in profileNames { object.append(("nested_cv_\(p)", .null)) }
                object.append(("held_out_standard", .null))
                object.append(("published_standard", .double(score)))
                rows.append(.object(JSONObject(object)))
            }
            let table = NABReport.table(results)
            let windows = corpus.series.reduce(0) { $0 + $1.windows.count }
            let intro = "NAB: \(corpus.series.count) series, \(windows) windows; scores rounded as NAB's results files hold them"
            switch format {
            case .json:
                print(JSONWriter.string(.object(JSONObject([("detectors", .array(rows))]))))
            case .table:
                print(intro + "\n")
                print(table.markdownTable())
            }
            if let directory {
                try writeSummaries(results, to: directory)
                let chart = NABReport.chart(results)
                try write(chart.render(), to: directory.appendingPathComponent("scores.svg"))
                try write("# \(intro)\n\n" + table.markdownTable() + "\n", to: directory.appendingPathComponent("report.md"))
                let html = NABReport.html(results, table: table, chart: chart, facts: [
                    ("command", "`" + (["notebooks"] + CommandLine.arguments.dropFirst()).joined(separator: " ") + "`"),
                    ("corpus", "`\(data)`: \(corpus.series.count) series, \(windows) labelled anomaly windows"),
                    ("entries", entries.map(\.name).joined(separator: ", ")),
                    ("profiles", profiles.map(\.name).joined(separator: ", ")),
                    ("nested cross-validation", "\(evaluation.outerFolds) outer folds × \(evaluation.innerFolds) inner folds, fold seed \(evaluation.seed)"),
                ])
                try write(html, to: directory.appendingPathComponent("report.html"))
                printError("notebooks: wrote NAB's results layout, thresholds.json, final_results.json, results.json, scores.svg, "
                           + "report.html and report.md to \(directory.path)")
            }
        }

        /// Writes `text` to `url`, or fails with one line naming the file.
        private func write(_ text: String, to url: URL) throws {
            do {
                try Data(text.utf8).write(to: url)
            } catch {
                throw fail("\(url.path): cannot write (\(Heuristics.reason(error)))")
            }
        }

        /// The results directory of one profile's nested-CV detections.
        func nestedName(_ name: String, _ profile: NABScorer.Profile) -> String {
            switch profile.name {
            case "reward_low_FP_rate": return name + "-nestedcv-lowfp"
            case "reward_low_FN_rate": return name + "-nestedcv-lowfn"
            default: return name + "-nestedcv"
            }
        }

        /// NAB's `config/thresholds.json` and `results/final_results.json` for
        /// our entries (the `-nestedcv` detections score their figure at
        /// threshold 1), and results.json with the folds' choices.
        func writeSummaries(_ results: [NABEvaluation.Result], to directory: URL) throws {
            let entries = Dictionary(uniqueKeysWithValues: NABEvaluation.entries.map { ($0.name, $0) })
            var thresholds: [(String, JSONValue)] = [], finals: [(String, JSONValue)] = [], details: [JSONValue] = []
            for r in results {
                let name = entries[r.entry]!.resultsName
                thresholds.append((name, .object(JSONObject(r.thresholds.sorted { $0.key < $1.key }.map { p, t in
                    (p, .object(JSONObject([("threshold", .double(t))])))
                }))))
                finals.append((name, .object(JSONObject(r.inSample.sorted { $0.key < $1.key }.map { ($0.key, .double($0.value)) }))))
                // The held-out detections are 0/1: threshold 1 on every profile (NAB scores all three;
                // each directory's nested figure is that of its own profile).
                for profile in NABScorer.Profile.all {
                    guard let score = r.nestedCV[profile.name] else { continue }
                    thresholds.append((nestedName(name, profile), .object(JSONObject(NABScorer.Profile.all.map {
                        ($0.name, .object(JSONObject([("threshold", .double(1))])))
                    }))))
                    finals.append((nestedName(name, profile), .object(JSONObject([(profile.name, .double(score))]))))
                }
                details.append(.object(JSONObject([
                    ("name", .string(r.displayName)), ("results_directory", .string(name)),
                    ("post_processing", .string(r.postProcessing)),
                    ("in_sample_parameters", .string(r.inSampleCandidate)),
                    ("in_sample", .object(JSONObject(r.inSample.sorted { $0.key < $1.key }.map { ($0.key, .double($0.value)) }))),
                    ("thresholds", .object(JSONObject(r.thresholds.sorted { $0.key < $1.key }.map { ($0.key, .double($0.value)) }))),
                    ("nested_cv", .object(JSONObject(r.nestedCV.sorted { $0.key < $1.key }.map { ($0.key, .double($0.value)) }))),
                    ("fold_parameters", .object(JSONObject(r.foldCandidates.sorted { $0.key < $1.key }.map {
                        ($0.key, .array($0.value.map { .string($0) }))
                    }))),
                    ("fold_thresholds", .object(JSONObject(r.foldThresholds.sorted { $0.key < $1.key }.map {
                        ($0.key, .array($0.value.map { .double($0) }))
                    }))),
                    ("candidates_in_sample_standard", .object(JSONObject(zip(entries[r.entry]!.candidates, r.candidateScores).map {
                        ($0.0, .double($0.1))
                    }))),
                    ("held_out", .object(JSONObject(r.heldOut.sorted { $0.key < $1.key }.map { ($0.key, .double($0.value)) }))),
                    ("published_standard", r.published.map { .double($0) } ?? .null),
                ])))
            }
            try Data((JSONWriter.string(.object(JSONObject(thresholds)), pretty: true) + "\n").utf8)
                .write(to: directory.appendingPathComponent("thresholds.json"))
            try Data((JSONWriter.string(.object(JSONObject(finals)), pretty: true) + "\n").utf8)
                .write(to: directory.appendingPathComponent("final_results.json"))
            try Data((JSONWriter.string(.array(details), pretty: true) + "\n").utf8)
                .write(to: directory.appendingPathComponent("results.json"))
        }
    }
}
