import DriftDetection
import Foundation
import MonitorNumerics

/// Runs NAB entries on the NAB corpus and scores them with ``NABScorer``.
///
/// Every figure is computed on the scores as NAB's results files hold them
/// (``NABScorer/resultsRounded(_:)``, twelve significant digits), so NAB's own
/// `run.py` reproduces it from the files ``writeResults(_:corpus:to:)`` writes.
///
/// Two figures per entry:
/// - **in-sample** (NAB's method): parameters and threshold chosen on the
///   whole corpus, the files they are scored on; the parameters on the
///   standard profile, the threshold per profile;
/// - **nested cross-validation** (standard profile): the files are split into
///   `outerFolds` folds by a seeded shuffle; for each fold, the parameters are
///   chosen by an inner cross-validation over the other folds (threshold
///   chosen on the inner training files, scored on the inner held-out ones),
///   then the threshold on all the other folds at those parameters, and the
///   fold is scored with both. The held-out raw scores are summed and
///   normalised over the corpus. Nothing is chosen on the files it scores.
public struct NABEvaluation: Sendable {
    /// One NAB entry: a detector with its candidate parameter settings.
    public struct Entry: Sendable {
        /// The command-line name (`recommended`, `cad-ose`, …).
        public var name: String
        /// The row's name in tables and JSON.
        public var displayName: String
        /// The results directory name (NAB's runner forbids `_` in it).
        public var resultsName: String
        /// A label per candidate parameter setting (one for a fixed detector).
        public var candidates: [String]
        /// What is done to the detector's output before scoring.
        public var postProcessing: String
        /// The published figure of the detector this entry reproduces, if any.
        public var published: Double?
        /// One score array per candidate, in `candidates`' order.
        public var scores: @Sendable (_ values: [Double]) -> [[Double]]
    }

    /// One entry's figures.
    public struct Result: Sendable {
        public var entry: String
        public var displayName: String
        /// In-sample score per profile name, and the threshold.
        public var inSample: [String: Double]
        public var thresholds: [String: Double]
        /// The candidate chosen on the whole corpus (standard profile).
        public var inSampleCandidate: String
        /// The nested cross-validated score per profile name.
        public var nestedCV: [String: Double]
        /// Per profile name, the candidate and threshold chosen for each outer fold.
        public var foldCandidates: [String: [String]]
        public var foldThresholds: [String: [Double]]
        /// Per profile name, the score of the held-out half of
        /// ``developmentSplit(_:)`` with the candidate and threshold chosen on
        /// the development half (empty when the corpus lacks either half).
        public var heldOut: [String: Double]
        /// Each candidate's in-sample standard score (its threshold optimised on the whole corpus), in `candidates`' order.
        public var candidateScores: [Double]
        public var published: Double?
        public var postProcessing: String
    }

    /// NAB's `results/final_results.json` (standard profile), the published scoreboard.
    public static let published: [(name: String, standard: Double)] = [
        ("ARTime", 74.85377223215792), ("Numenta HTM", 70.10105611943965), ("CAD OSE", 69.89956896844828),
        ("earthgecko Skyline", 58.20022252594827), ("KNN CAD", 57.99434335898808),
        ("Relative entropy", 54.64274893469828), ("Random Cut Forest", 51.717054557073276),
        ("Twitter ADVec", 47.06195725408189), ("Windowed Gaussian", 39.649523496077585),
        ("Random", 16.831768350517237),
    ]

    public var outerFolds = 5
    public var innerFolds = 4
    /// The seed of the fold shuffle (``SplitMix64``).
    public var seed: UInt64 = 20_151_209

    public init() {}

    /// The recommended detector's candidate grid.
    public static let recommendedWindows = [400, 800, 1_600, 3_200, 6_400]
    public static let recommendedRefractories = [0, 30, 60, 120, 240]

    /// The context-likelihood detector's one candidate, frozen on the
    /// development half (``developmentSplit(_:)``; README lists every variant
    /// tried there): the likelihood output, no repeat suppression, no range
    /// padding. Leaving the choice among four candidates to the nested
    /// cross-validation cost 1.5 points there (65.2 against 66.7).
    public static let contextOutputs: [ContextLikelihoodDetector.Output] = [.likelihood]
    public static let contextRefractories = [0]

    public static let entries: [Entry] = {
        func scalar(_ name: String, _ make: @escaping @Sendable () -> any StreamingDetectorOfDouble) -> Entry {
            Entry(name: name, displayName: "DriftLab \(name)", resultsName: "driftlab-\(name)", candidates: ["default"],
                  postProcessing: "statistic over its alarm level s mapped to s/(1+s)", published: nil) { values in
                var d = make()
                return [values.map { let s = max(0, d.score($0)); return s / (1 + s) }]
            }
        }
        let grid = recommendedWindows.flatMap { w in recommendedRefractories.map { (w, $0) } }
        return [
            Entry(name: "recommended", displayName: "DriftLab recommended", resultsName: "driftlab-recommended",
                  candidates: grid.map { "window \($0.0), repeats silenced for \($0.1) rows" },
                  postProcessing: "a score is kept only when it is a new maximum over the previous r rows (r chosen with the window)",
                  published: nil) { values in
                recommendedWindows.flatMap { w -> [[Double]] in
                    let raw = UnivariateRecommended.scores(values, window: w)
                    return recommendedRefractories.map { UnivariateRecommended.suppressRepeats(raw, refractory: $0) }
                }
            },
            Entry(name: "context-likelihood", displayName: "DriftLab context-likelihood", resultsName: "driftlab-contextlikelihood",
                  candidates: contextOutputs.flatMap { o in contextRefractories.map { "\(o.rawValue), repeats silenced for \($0) rows" } },
                  postProcessing: "the log anomaly likelihood of the raw contextual scores, 1 on a spatial anomaly (one candidate, frozen on the development half; the threshold is chosen by the nested CV)",
                  published: nil) { values in
                ContextLikelihoodDetector.scores(values, outputs: contextOutputs, refractories: contextRefractories)
            },
            Entry(name: "windowed-gaussian", displayName: "DriftLab windowed-gaussian", resultsName: "driftlab-windowedgaussian",
                  candidates: ["NAB's window 6,400, step 100"], postProcessing: "none (NAB's detector)",
                  published: 39.649523496077585) { values in
                var d = WindowedGaussian()
                return [values.map { d.update($0).score }]
            },
            Entry(name: "cad-ose", displayName: "CAD OSE (DriftLab port)", resultsName: "driftlab-cadose",
                  candidates: ["NAB's parameters"],
                  postProcessing: "the detector's own: 0 while a raw score of the last probation/5 rows reached 0.75",
                  published: 69.89956896844828) { [ContextOSEDetector.scores($0)] },
            Entry(name: "knncad", displayName: "KNN CAD (DriftLab port)", resultsName: "driftlab-knncad",
                  candidates: ["NAB's parameters"],
                  postProcessing: "the detector's own: 0.5 for probation/5 rows after a score ≥ 0.9965",
                  published: 57.99434335898808) { [KNNCADDetector.scores($0)] },
            Entry(name: "relative-entropy", displayName: "Relative entropy (DriftLab port)", resultsName: "driftlab-relativeentropy",
                  candidates: ["NAB's parameters"], postProcessing: "none (scores are 0 or 1)",
                  published: 54.64274893469828) { [RelativeEntropyDetector.scores($0)] },
            Entry(name: "artime", displayName: "ARTime (DriftLab port)", resultsName: "driftlab-artime",
                  candidates: ["ARTime's parameters"],
                  postProcessing: "the detector's own: a score only when a new cluster opens outside the masking after an anomaly or a new cluster",
                  published: 74.85377223215792) { [ARTimeDetector.scores($0)] },
            Entry(name: "online-art", displayName: "DriftLab online ART", resultsName: "driftlab-onlineart",
                  candidates: ["range: probation's widened by 25% each side; spatial anomaly beyond the range seen widened by 5%"],
                  postProcessing: "ARTime's own (a score only when a new cluster opens outside its masking), and 1 on a spatial anomaly",
                  published: nil) { [OnlineARTDetector.scores($0)] },
            scalar("cusum") { CUSUM(warmup: 150) },
            scalar("page-hinkley") { PageHinkley() },
            scalar("adwin") { ADWIN() },
            scalar("kswin") { KSWIN() },
            scalar("ewma") { EWMAChart(warmup: 150) },
            scalar("zscore") { ZScoreChart(windowSize: 300) },
        ]
    }()

    public static var entryNames: [String] { entries.map(\.name) }

    /// The fold of each file: a seeded shuffle dealt round-robin.
    public static func folds(count: Int, folds: Int, seed: UInt64) -> [Int] {
        var order = Array(0..<count)
        var rng = SplitMix64(seed: seed)
        order.shuffle(using: &rng)
        var fold = [Int](repeating: 0, count: count)
        for (position, file) in order.enumerated() { fold[file] = position % folds }
        return fold
    }

    /// Scores of every candidate on every series, rounded as NAB's results
    /// files hold them: `[candidate][series][row]`.
    public func candidateScores(_ entry: Entry, corpus: NABCorpus, progress: (@Sendable (Int) -> Void)? = nil) -> [[[Double]]] {
        let series = corpus.series
        final class Collected: @unchecked Sendable {
            let lock = NSLock()
            var scores: [[[Double]]?]
            var done = 0
            init(_ n: Int) { scores = Array(repeating: nil, count: n) }
        }
        let collected = Collected(series.count)
        // Longest series first, on two workers (the machine is shared).
        let order = series.indices.sorted { series[$0].values.count > series[$1].values.count }
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for position in stride(from: worker, to: order.count, by: 2) {
                let i = order[position]
                let scores = entry.scores(series[i].values).map { $0.map { NABScorer.resultsRounded($0.isNaN ? 0 : $0) } }
                collected.lock.lock()
                collected.scores[i] = scores
                collected.done += 1
                let n = collected.done
                collected.lock.unlock()
                progress?(n)
            }
        }
        let perSeries = collected.scores.map { $0! }
        return entry.candidates.indices.map { c in perSeries.map { $0[c] } }
    }

    /// Scores one entry: in-sample, nested CV and the held-out half on every profile.
    ///
    /// - Returns: the figures, the in-sample candidate's scores, and per
    ///   profile name the nested CV's held-out detections (0/1 per row).
    public func evaluate(_ entry: Entry, corpus: NABCorpus, profiles: [NABScorer.Profile] = NABScorer.Profile.all,
                         progress: (@Sendable (Int) -> Void)? = nil)
        -> (result: Result, scores: [[Double]], nested: [String: [[Double]]]) {
        let scores = candidateScores(entry, corpus: corpus, progress: progress)
        // Zero scores until a candidate's are set: the null score needs only the row count.
        let files = corpus.series.map { s in
            NABScorer.File(name: s.name, scores: [Double](repeating: 0, count: s.values.count), windows: s.windows.map { ($0.start, $0.end) })
        }
        func withScores(_ f: Int, _ c: Int) -> NABScorer.File {
            var file = files[f]; file.scores = scores[c][f]; return file
        }
        let all = Array(files.indices)
        let windows = files.map(\.windows.count)
        var inSample: [String: Double] = [:], thresholds: [String: Double] = [:], inSampleCandidates: [String: String] = [:]
        var nestedScores: [String: Double] = [:], heldOutScores: [String: Double] = [:]
        var foldCandidates: [String: [String]] = [:], foldThresholds: [String: [Double]] = [:]
        var nestedDetections: [String: [[Double]]] = [:]
        var inSampleScores: [[Double]] = scores[0]
        var candidateScores: [Double] = []
        // The standard profile first: the other profiles' in-sample figures use its candidate.
        for profile in [.standard] + profiles.filter({ $0 != .standard }) {
            let scorer = NABScorer(profile: profile)
            let curves: [[NABScorer.Curve]] = scores.indices.map { c in files.indices.map { scorer.curve(withScores($0, c)) } }
            let nulls = files.map { scorer.nullScore($0) }
            let split = Figures(curves: curves, nulls: nulls, windows: windows, scorer: scorer)
            // In-sample (NAB's method): candidate and threshold best on the whole corpus. The
            // candidate is chosen on the standard profile, as NAB's entries tune on it.
            let chosen = profile == .standard ? split.bestCandidate(all) : entry.candidates.firstIndex(of: inSampleCandidates["standard"]!)!
            if profile == .standard {
                inSampleScores = scores[chosen]
                candidateScores = scores.indices.map { split.normalized(split.best($0, all).score, all) }
            }
            let (threshold, raw) = split.best(chosen, all)
            thresholds[profile.name] = threshold
            inSample[profile.name] = split.normalized(raw, all)
            inSampleCandidates[profile.name] = entry.candidates[chosen]
            // Nested cross-validation on this profile.
            let outer = Self.folds(count: files.count, folds: outerFolds, seed: seed)
            var heldOutRaw = 0.0
            var nested = files.indices.map { [Double](repeating: 0, count: corpus.series[$0].values.count) }
            for k in 0..<outerFolds {
                let train = all.filter { outer[$0] != k }, test = all.filter { outer[$0] == k }
                let candidate = split.crossValidatedCandidate(train, folds: innerFolds, seed: seed &+ UInt64(k + 1))
                let threshold = split.best(candidate, train).threshold
                foldCandidates[profile.name, default: []].append(entry.candidates[candidate])
                foldThresholds[profile.name, default: []].append(threshold)
                for f in test {
                    heldOutRaw += curves[candidate][f].score(at: threshold)
                    nested[f] = scores[candidate][f].map { $0 >= threshold ? 1 : 0 }
                }
            }
            nestedScores[profile.name] = split.normalized(heldOutRaw, all)
            nestedDetections[profile.name] = nested
            // The held-out half: candidate and threshold chosen on the development half.
            let (development, heldOut) = Self.developmentSplit(corpus)
            if !development.isEmpty, !heldOut.isEmpty {
                let candidate = split.bestCandidate(development)
                let threshold = split.best(candidate, development).threshold
                heldOutScores[profile.name] = split.normalized(heldOut.reduce(0) { $0 + curves[candidate][$1].score(at: threshold) }, heldOut)
            }
        }
        let result = Result(entry: entry.name, displayName: entry.displayName, inSample: inSample, thresholds: thresholds,
                            inSampleCandidate: inSampleCandidates["standard"]!, nestedCV: nestedScores,
                            foldCandidates: foldCandidates, foldThresholds: foldThresholds, heldOut: heldOutScores,
                            candidateScores: candidateScores,
                            published: entry.published, postProcessing: entry.postProcessing)
        return (result, inSampleScores, nestedDetections)
    }

    /// The NAB files split, before any development, into a development half
    /// (on which DriftLab's own NAB detectors were designed and compared) and
    /// a held-out half that was never looked at during development: a
    /// ``SplitMix64`` shuffle with seed ``developmentSeed`` of the files in
    /// `labels/combined_windows.json`'s order, the first half development.
    /// Files are matched by name, so a corpus without some of them (a subset)
    /// keeps the same assignment.
    public static func developmentSplit(_ corpus: NABCorpus) -> (development: [Int], heldOut: [Int]) {
        var order = Array(developmentNames.indices)
        var rng = SplitMix64(seed: developmentSeed)
        order.shuffle(using: &rng)
        let development = Set(order.prefix(developmentNames.count / 2).map { developmentNames[$0] })
        let indices = Array(corpus.series.indices)
        return (indices.filter { development.contains(corpus.series[$0].name) },
                indices.filter { !development.contains(corpus.series[$0].name) && developmentNames.contains(corpus.series[$0].name) })
    }

    /// The seed of ``developmentSplit(_:)``, fixed on 2026-11-29 before the
    /// development of ``ContextLikelihoodDetector`` began.
    public static let developmentSeed: UInt64 = 20_261_129

    /// NAB 1.1's 58 files in `labels/combined_windows.json`'s order.
    public static let developmentNames: [String] = [
        "artificialNoAnomaly/art_daily_no_noise.csv",
        "artificialNoAnomaly/art_daily_perfect_square_wave.csv",
        "artificialNoAnomaly/art_daily_small_noise.csv",
        "artificialNoAnomaly/art_flatline.csv",
        "artificialNoAnomaly/art_noisy.csv",
        "artificialWithAnomaly/art_daily_flatmiddle.csv",
        "artificialWithAnomaly/art_daily_jumpsdown.csv",
        "artificialWithAnomaly/art_daily_jumpsup.csv",
        "artificialWithAnomaly/art_daily_nojump.csv",
        "artificialWithAnomaly/art_increase_spike_density.csv",
        "artificialWithAnomaly/art_load_balancer_spikes.csv",
        "realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv",
        "realAWSCloudwatch/ec2_cpu_utilization_53ea38.csv",
        "realAWSCloudwatch/ec2_cpu_utilization_5f5533.csv",
        "realAWSCloudwatch/ec2_cpu_utilization_77c1ca.csv",
        "realAWSCloudwatch/ec2_cpu_utilization_825cc2.csv",
        "realAWSCloudwatch/ec2_cpu_utilization_ac20cd.csv",
        "realAWSCloudwatch/ec2_cpu_utilization_c6585a.csv",
        "realAWSCloudwatch/ec2_cpu_utilization_fe7f93.csv",
        "realAWSCloudwatch/ec2_disk_write_bytes_1ef3de.csv",
        "realAWSCloudwatch/ec2_disk_write_bytes_c0d644.csv",
        "realAWSCloudwatch/ec2_network_in_257a54.csv",
        "realAWSCloudwatch/ec2_network_in_5abac7.csv",
        "realAWSCloudwatch/elb_request_count_8c0756.csv",
        "realAWSCloudwatch/grok_asg_anomaly.csv",
        "realAWSCloudwatch/iio_us-east-1_i-a2eb1cd9_NetworkIn.csv",
        "realAWSCloudwatch/rds_cpu_utilization_cc0c53.csv",
        "realAWSCloudwatch/rds_cpu_utilization_e47b3b.csv",
        "realAdExchange/exchange-2_cpc_results.csv",
        "realAdExchange/exchange-2_cpm_results.csv",
        "realAdExchange/exchange-3_cpc_results.csv",
        "realAdExchange/exchange-3_cpm_results.csv",
        "realAdExchange/exchange-4_cpc_results.csv",
        "realAdExchange/exchange-4_cpm_results.csv",
        "realKnownCause/ambient_temperature_system_failure.csv",
        "realKnownCause/cpu_utilization_asg_misconfiguration.csv",
        "realKnownCause/ec2_request_latency_system_failure.csv",
        "realKnownCause/machine_temperature_system_failure.csv",
        "realKnownCause/nyc_taxi.csv",
        "realKnownCause/rogue_agent_key_hold.csv",
        "realKnownCause/rogue_agent_key_updown.csv",
        "realTraffic/TravelTime_387.csv",
        "realTraffic/TravelTime_451.csv",
        "realTraffic/occupancy_6005.csv",
        "realTraffic/occupancy_t4013.csv",
        "realTraffic/speed_6005.csv",
        "realTraffic/speed_7578.csv",
        "realTraffic/speed_t4013.csv",
        "realTweets/Twitter_volume_AAPL.csv",
        "realTweets/Twitter_volume_AMZN.csv",
        "realTweets/Twitter_volume_CRM.csv",
        "realTweets/Twitter_volume_CVS.csv",
        "realTweets/Twitter_volume_FB.csv",
        "realTweets/Twitter_volume_GOOG.csv",
        "realTweets/Twitter_volume_IBM.csv",
        "realTweets/Twitter_volume_KO.csv",
        "realTweets/Twitter_volume_PFE.csv",
        "realTweets/Twitter_volume_UPS.csv",
    ]

    /// Normalised figures of one profile's per-candidate, per-file curves.
    struct Figures {
        var curves: [[NABScorer.Curve]]
        var nulls: [Double]
        var windows: [Int]
        var scorer: NABScorer

        func normalized(_ raw: Double, _ subset: [Int]) -> Double {
            scorer.normalize(raw, null: subset.reduce(0) { $0 + nulls[$1] }, windows: subset.reduce(0) { $0 + windows[$1] })
        }

        func best(_ c: Int, _ subset: [Int]) -> (threshold: Double, score: Double) {
            NABScorer.optimize(curves: subset.map { curves[c][$0] })
        }

        /// The candidate whose optimised score over `subset` is highest (the first on ties).
        func bestCandidate(_ subset: [Int]) -> Int {
            var chosen = 0, bestScore = -Double.infinity
            for c in curves.indices {
                let score = best(c, subset).score
                if score > bestScore { bestScore = score; chosen = c }
            }
            return chosen
        }

        /// The candidate chosen by a `folds`-fold cross-validation over
        /// `train`: each candidate's threshold is chosen on the inner
        /// training files and scored on the inner held-out ones.
        func crossValidatedCandidate(_ train: [Int], folds: Int, seed: UInt64) -> Int {
            guard curves.count > 1 else { return 0 }
            let inner = NABEvaluation.folds(count: train.count, folds: folds, seed: seed)
            var candidate = 0, bestScore = -Double.infinity
            for c in curves.indices {
                var raw = 0.0
                for j in 0..<folds {
                    let innerTrain = train.indices.filter { inner[$0] != j }.map { train[$0] }
                    let innerTest = train.indices.filter { inner[$0] == j }.map { train[$0] }
                    let threshold = best(c, innerTrain).threshold
                    raw += innerTest.reduce(0) { $0 + curves[c][$1].score(at: threshold) }
                }
                let score = normalized(raw, train)
                if score > bestScore { bestScore = score; candidate = c }
            }
            return candidate
        }
    }

    /// Writes NAB's results layout for one entry's scores:
    /// `<out>/<name>/<folder>/<name>_<file>.csv` with `timestamp,value,anomaly_score,label`,
    /// scores as Python 2's `str` (NAB's stored results).
    public static func writeResults(name: String, scores: [[Double]], corpus: NABCorpus, to out: URL) throws {
        for (series, values) in zip(corpus.series, scores) {
            let folder = out.appendingPathComponent(name).appendingPathComponent(series.folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var text = "timestamp,value,anomaly_score,label\n"
            var window = 0
            for (i, score) in values.enumerated() {
                while window < series.windows.count, series.windows[window].end < i { window += 1 }
                let label = window < series.windows.count && i >= series.windows[window].start ? 1 : 0
                text += "\(series.timestampTexts[i]),\(series.valueTexts[i]),\(NABScorer.resultsText(score)),\(label)\n"
            }
            try Data(text.utf8).write(to: folder.appendingPathComponent("\(name)_\(series.file)"))
        }
    }
}

/// A scalar detector's score on a `Double` stream, type-erased.
public protocol StreamingDetectorOfDouble {
    mutating func score(_ x: Double) -> Double
}

extension CUSUM: StreamingDetectorOfDouble { public mutating func score(_ x: Double) -> Double { update(x).score } }
extension PageHinkley: StreamingDetectorOfDouble { public mutating func score(_ x: Double) -> Double { update(x).score } }
extension ADWIN: StreamingDetectorOfDouble { public mutating func score(_ x: Double) -> Double { update(x).score } }
extension KSWIN: StreamingDetectorOfDouble { public mutating func score(_ x: Double) -> Double { update(x).score } }
extension EWMAChart: StreamingDetectorOfDouble { public mutating func score(_ x: Double) -> Double { update(x).score } }
extension ZScoreChart: StreamingDetectorOfDouble { public mutating func score(_ x: Double) -> Double { update(x).score } }

/// The recommended detector's univariate form, for series such as NAB's:
/// the tail probability of each value under a Gaussian fitted to the
/// preceding `window` values, combined with a two-sided CUSUM of the same
/// z-scores (so that both spikes and level shifts score), reported as the
/// larger of `1 − Q(|z|)` and the CUSUM statistic over its alarm level; then
/// repeats within `refractory` rows are silenced (``suppressRepeats(_:refractory:)``).
/// Its window and refractory are NAB parameters: ``NABEvaluation`` chooses
/// them by nested cross-validation.
public enum UnivariateRecommended {
    /// Keeps a score only when it is a new maximum over the previous
    /// `refractory` rows: the first crossing of any threshold survives, the
    /// echoes of the same event are silenced (NAB counts one detection per
    /// window and charges every other one as a false positive).
    public static func suppressRepeats(_ scores: [Double], refractory: Int) -> [Double] {
        var filter = RepeatFilter(refractory: refractory)
        return scores.map { filter.filter($0) }
    }

    /// - Parameters:
    ///   - window: Values in the sliding Gaussian fit.
    ///   - k, h: The CUSUM's reference value and decision interval, in σ.
    public static func scores(_ values: [Double], window: Int = 1_600, k: Double = 0.5, h: Double = 12) -> [Double] {
        // Centre on the first value so that the running sums of squares keep their digits.
        let offset = values.first ?? 0
        var sum = 0.0, sumSquares = 0.0
        var upper = 0.0, lower = 0.0
        var out: [Double] = []
        out.reserveCapacity(values.count)
        for (i, raw) in values.enumerated() {
            let x = raw - offset
            let count = min(i, window)
            var score = 0.0
            if count >= 30 {
                let n = Double(count)
                let mean = sum / n
                let std = max((sumSquares / n - mean * mean).squareRoot(), 1e-9 * max(1, abs(mean)))
                let z = (x - mean) / std
                let tail = 1 - 0.5 * erfc(abs(z) / 2.0.squareRoot())
                upper = max(0, upper + z - k)
                lower = max(0, lower - z - k)
                let statistic = max(upper, lower) / h
                if statistic > 1 { upper = 0; lower = 0 }
                score = max(tail, statistic / (1 + statistic))
            }
            sum += x; sumSquares += x * x
            if i >= window {
                let old = values[i - window] - offset
                sum -= old; sumSquares -= old * old
            }
            out.append(score)
        }
        return out
    }
}
