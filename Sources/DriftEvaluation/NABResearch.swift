import DriftDetection
import Foundation
import MonitorNumerics

/// Research harness (temporary): variant streams on a corpus, each with its
/// in-sample and threshold-only nested figures.
public enum NABResearch {
    public struct Row: Sendable { public var label: String; public var inSample: Double; public var nested: Double; public var threshold: Double; public var flat: String }

    static func memoryRaw(_ values: [Double], bits: Int, fileRange: Bool, padding: Double = 0) -> [Double] {
        let key = "\(values.count)-\(values.reduce(0, +))-\(values.first ?? 0)-\(bits)-\(fileRange)-\(padding)"
        let url = URL(fileURLWithPath: "/tmp/nab3cache/" + key.filter { $0.isNumber || $0 == "-" || $0 == "." || $0 == "e" || $0 == "t" || $0 == "f" } + ".bin")
        if let data = try? Data(contentsOf: url), data.count == values.count * 8 {
            return data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        }
        let r = memoryRawUncached(values, bits: bits, fileRange: fileRange, padding: padding)
        try? FileManager.default.createDirectory(atPath: "/tmp/nab3cache", withIntermediateDirectories: true)
        try? r.withUnsafeBytes { Data($0) }.write(to: url)
        return r
    }

    static func memoryRawUncached(_ values: [Double], bits: Int, fileRange: Bool, padding: Double = 0) -> [Double] {
        let probation = ContextLikelihoodDetector.probation(rows: values.count)
        let head = fileRange ? values : Array(values.prefix(max(1, probation)))
        var low = head.min() ?? 0, high = head.max() ?? 0
        let pad = (high - low) * padding
        low -= pad; high += pad
        let levels = Double((1 << bits) - 1)
        let step = high > low ? (high - low) / levels : 1
        var memory = ContextOSEDetector(minValue: 0, maxValue: 1, restPeriod: 0, numNormValueBits: bits)
        return values.map { value in
            let scaled = ((value - low) / step).rounded(.down)
            let level = scaled.isFinite ? Int(max(-1e9, min(1e9, scaled))) : 0
            let magnitude = level < 0 ? -level : level
            var b = magnitude == 0 ? 0 : Int.bitWidth - magnitude.leadingZeroBitCount
            b = max(b, bits)
            var facts = Set<Int>()
            for j in 0..<b { facts.insert(j * 2 + ((magnitude >> j) & 1)) }
            if level < 0 { facts.insert(1_000) }
            return memory.rawScore(facts: facts)
        }
    }

    /// ARTime's chomp: a value within `fraction` of the probationary range of the running median becomes the median.
    static func chomped(_ values: [Double], fraction: Double) -> [Double] {
        let probation = ContextLikelihoodDetector.probation(rows: values.count)
        let head = values.prefix(max(1, probation))
        let width = (head.max() ?? 0) - (head.min() ?? 0)
        var sorted: [Double] = []
        return values.map { v in
            let i = sorted.partitioningIndex(where: { $0 >= v })
            sorted.insert(v, at: i)
            let median = sorted[sorted.count / 2]
            return abs(v - median) < fraction * width ? median : v
        }
    }

    /// One memory over the union of several encodings' facts.
    static func unionRaw(_ values: [Double], bitsList: [Int], derivative: Bool = false) -> [Double] {
        let probation = ContextLikelihoodDetector.probation(rows: values.count)
        let head = Array(values.prefix(max(1, probation)))
        let low = head.min() ?? 0, high = head.max() ?? 0
        var memory = ContextOSEDetector(minValue: 0, maxValue: 1, restPeriod: 0, numNormValueBits: 3)
        var previous = values.first ?? 0
        return values.map { value in
            var facts = Set<Int>()
            for (n, bits) in bitsList.enumerated() {
                let levels = Double((1 << bits) - 1)
                let step = high > low ? (high - low) / levels : 1
                let scaled = ((value - low) / step).rounded(.down)
                let level = scaled.isFinite ? Int(max(-1e9, min(1e9, scaled))) : 0
                let magnitude = level < 0 ? -level : level
                var b = magnitude == 0 ? 0 : Int.bitWidth - magnitude.leadingZeroBitCount
                b = max(b, bits)
                for j in 0..<b { facts.insert(n * 200 + j * 2 + ((magnitude >> j) & 1)) }
                if level < 0 { facts.insert(n * 200 + 150) }
            }
            if derivative {
                let d = value - previous
                let unit = high > low ? (high - low) / 7 : 1
                facts.insert(d > unit / 2 ? 1_001 : d < -unit / 2 ? 1_002 : 1_003)
            }
            previous = value
            return memory.rawScore(facts: facts)
        }
    }

    static func knnRaw(_ values: [Double]) -> [Double] {
        let probation = min((0.15 * Double(values.count)).rounded(.down), 0.15 * 5000)
        var d = KNNCADDetector(probation: probation)
        return values.map { _ = d.update($0); return d.lastRaw }
    }

    /// ARTime's downsampling: blocks of `step` rows, each the block's extreme
    /// away from a moving average (or the mean when within 10% of it).
    static func downsampled(_ values: [Double], step: Int) -> [Double] {
        var out: [Double] = []
        var average = 0.0
        var k = 0
        while (k + 1) * step <= values.count {
            let block = values[(k * step)..<((k + 1) * step)]
            let mean = block.reduce(0, +) / Double(step)
            let hi = block.max()!, lo = block.min()!
            if k == 0 { average = mean }
            average = (average + mean) / 2
            var ds = abs(hi - average) < abs(lo - average) ? lo : hi
            if abs(ds - mean) < 0.1 * mean { ds = mean }
            out.append(ds)
            k += 1
        }
        return out
    }

    /// The context likelihood on ARTime's downsampled series, a score at each block's last row.
    static func downsampledLikelihood(_ values: [Double], bits: Int = 3, padding: Double = 0) -> [Double] {
        let probation = ContextLikelihoodDetector.probation(rows: values.count)
        let even = probation - probation % 2
        let step = max(1, Int((Double(even) / Double(8 * 13)).rounded()))
        let ds = downsampled(values, step: step)
        let head = Array(values.prefix(max(1, probation)))
        var low = head.min() ?? 0, high = head.max() ?? 0
        let pad = (high - low) * padding
        low -= pad; high += pad
        let levels = Double((1 << bits) - 1)
        let stepSize = high > low ? (high - low) / levels : 1
        var memory = ContextOSEDetector(minValue: 0, maxValue: 1, restPeriod: 0, numNormValueBits: bits)
        let raw = ds.map { value -> Double in
            let scaled = ((value - low) / stepSize).rounded(.down)
            let level = scaled.isFinite ? Int(max(-1e9, min(1e9, scaled))) : 0
            let magnitude = level < 0 ? -level : level
            var b = magnitude == 0 ? 0 : Int.bitWidth - magnitude.leadingZeroBitCount
            b = max(b, bits)
            var facts = Set<Int>()
            for j in 0..<b { facts.insert(j * 2 + ((magnitude >> j) & 1)) }
            if level < 0 { facts.insert(1_000) }
            return memory.rawScore(facts: facts)
        }
        let p = probation / step, learning = p / 2
        var l = AnomalyLikelihood(learningPeriod: learning, estimationSamples: max(0, p - learning))
        var out = [Double](repeating: 0, count: values.count)
        for (k, r) in raw.enumerated() { out[(k + 1) * step - 1] = AnomalyLikelihood.logLikelihood(l.probability(value: ds[k], rawScore: r)) }
        return out
    }

    static func likelihood(_ values: [Double], _ raw: [Double], averaging: Int = 10) -> [Double] {
        let probation = ContextLikelihoodDetector.probation(rows: values.count)
        let learning = probation / 2
        var l = AnomalyLikelihood(learningPeriod: learning, estimationSamples: max(0, probation - learning), averagingWindow: averaging)
        return zip(values, raw).map { AnomalyLikelihood.logLikelihood(l.probability(value: $0, rawScore: $1)) }
    }

    static func spatial(_ values: [Double], tolerance: Double = 0.05) -> [Bool] {
        var lo = Double.nan, hi = Double.nan
        return values.map { v in
            if lo.isNaN { lo = v; hi = v; return false }
            let t = (hi - lo) * tolerance
            let s = lo != hi && (v > hi + t || v < lo - t)
            lo = min(lo, v); hi = max(hi, v)
            return s
        }
    }

    static func rest(_ values: [Double], _ raw: [Double]) -> [Double] {
        let n = ContextLikelihoodDetector.probation(rows: values.count) / 5
        var out: [Double] = []
        var history: [Double] = [1]
        for r in raw {
            let recent = n == 0 ? history[...] : history[max(0, history.count - n)...]
            out.append(recent.max()! < 0.75 ? r : 0)
            history.append(r)
        }
        return out
    }

    static func withSpatial(_ s: [Double], _ sp: [Bool]) -> [Double] { zip(s, sp).map { $1 ? 1 : $0 } }

    static func variants(_ values: [Double]) -> [(String, [Double])] {
        let p3 = memoryRaw(values, bits: 3, fileRange: false)
        let sp = spatial(values)
        let lp3 = likelihood(values, p3)
        return [
            ("L(p3)+sp [baseline]", withSpatial(lp3, sp)),
            ("L(union 3,2)+sp", withSpatial(likelihood(values, unionRaw(values, bitsList: [3, 2])), sp)),
            ("L(union 3,4)+sp", withSpatial(likelihood(values, unionRaw(values, bitsList: [3, 4])), sp)),
            ("L(3 + direction)+sp", withSpatial(likelihood(values, unionRaw(values, bitsList: [3], derivative: true)), sp)),
        ].flatMap { label, s -> [(String, [Double])] in
            [(label + " r0", s), (label + " r60", UnivariateRecommended.suppressRepeats(s, refractory: 60))]
        }
    }

    public static func run(corpus: NABCorpus, seed: UInt64 = 20_151_209) -> [Row] {
        let entry = NABEvaluation.Entry(name: "research", displayName: "research", resultsName: "research",
                                        candidates: variants(Array(repeating: 0, count: 10)).map(\.0), postProcessing: "",
                                        published: nil) { values in variants(values).map(\.1) }
        let scores = NABEvaluation().candidateScores(entry, corpus: corpus)
        let scorer = NABScorer(profile: .standard)
        let files = corpus.series.map { NABScorer.File(name: $0.name, scores: [Double](repeating: 0, count: $0.values.count), windows: $0.windows.map { ($0.start, $0.end) }) }
        let curves: [[NABScorer.Curve]] = scores.indices.map { c in files.indices.map { f in var file = files[f]; file.scores = scores[c][f]; return scorer.curve(file) } }
        let nulls = files.map { scorer.nullScore($0) }
        let figures = NABEvaluation.Figures(curves: curves, nulls: nulls, windows: files.map(\.windows.count), scorer: scorer)
        let all = Array(files.indices)
        let outer = NABEvaluation.folds(count: files.count, folds: 5, seed: seed)
        if let d = ProcessInfo.processInfo.environment["NAB_DIAG"].flatMap(Int.init) {
            let (t, _) = figures.best(d, all)
            print("diagnostics of \(entry.candidates[d]) at \(t)")
            var lines: [(Double, String)] = []
            for f in all {
                let rows = scorer.rows(NABScorer.File(name: files[f].name, scores: scores[d][f], windows: files[f].windows.map { ($0.start, $0.end) }))
                var detected = Set<Int>(), fp = 0, fpCost = 0.0
                for r in rows where r.anomalyScore >= t { if let w = r.window { detected.insert(w) } else { fp += 1; fpCost += r.sweepScore } }
                let gain = curves[d][f].score(at: t) - nulls[f]
                let loss = Double(files[f].windows.count) - nulls[f] - gain
                lines.append((loss, String(format: "%-60@ windows %d detected %d fp %d fpcost %.2f raw %.2f loss %.2f", files[f].name as NSString, files[f].windows.count, detected.count, fp, fpCost, curves[d][f].score(at: t), loss)))
            }
            for l in lines.sorted(by: { $0.0 > $1.0 }) { print(l.1) }
        }
        if let set = ProcessInfo.processInfo.environment["NAB_SET"]?.split(separator: ",").compactMap({ Int($0) }) {
            let sub = NABEvaluation.Figures(curves: set.map { curves[$0] }, nulls: nulls, windows: files.map(\.windows.count), scorer: scorer)
            var held = 0.0
            for k in 0..<5 {
                let train = all.filter { outer[$0] != k }, test = all.filter { outer[$0] == k }
                let c = sub.crossValidatedCandidate(train, folds: 4, seed: seed &+ UInt64(k + 1))
                let th = sub.best(c, train).threshold
                print("fold \(k): \(entry.candidates[set[c]]) at \(th)")
                held += test.reduce(0) { $0 + sub.curves[c][$1].score(at: th) }
            }
            print(String(format: "set %@: in-sample %.2f nested %.2f", "\(set)", sub.normalized(sub.best(sub.bestCandidate(all), all).score, all), sub.normalized(held, all)))
        }
        return entry.candidates.indices.map { c in
            let (t, raw) = figures.best(c, all)
            var held = 0.0
            for k in 0..<5 {
                let train = all.filter { outer[$0] != k }, test = all.filter { outer[$0] == k }
                let th = figures.best(c, train).threshold
                held += test.reduce(0) { $0 + curves[c][$1].score(at: th) }
            }
            // Flatness: the in-sample score at fixed thresholds.
            let flat = stride(from: 0.3, through: 0.9, by: 0.1).map { th in
                String(format: "%.1f", figures.normalized(all.reduce(0) { $0 + curves[c][$1].score(at: th) }, all))
            }.joined(separator: " ")
            return Row(label: entry.candidates[c], inSample: figures.normalized(raw, all), nested: figures.normalized(held, all), threshold: t, flat: flat)
        }
    }
}
