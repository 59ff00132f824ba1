import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MonitorLoader {
    /// Loads one file of `predictions.json` (the log or a rotated copy).
    ///
    /// A file of at least ``parallelMinimumBytes`` is cut at line breaks
    /// into pieces of about ``pieceBytes``; two threads read (`pread`) and
    /// decode pieces as they claim them, each into its slot's
    /// ``PredictionBatch`` (at most ``piecesInFlight`` ahead of the merge),
    /// and merge them in file order as they complete, so the state is the
    /// one a sequential pass gives (the tests check it on every fixture and on
    /// random logs). The pieces end at the last newline the file had when it
    /// was opened; what follows (a torn last line, lines appended since) is
    /// read sequentially to the end, as a smaller file is.
    func loadPredictionLog(_ path: String, into state: inout MonitorState, report: inout LoadReport.FileCounts,
                           reader: inout LogReader, batch: PredictionBatch,
                           after cutoff: Int64, notAfter latest: Int64) throws(MonitorError) {
        guard let (descriptor, size) = try LogReader.openRegularFile(path) else { return }
        defer { close(descriptor) }
        // Reference lines are about 300 bytes; a shorter guess only reserves
        // address space that is never touched.
        state.columns.reserveCapacity(state.columns.count + size / 128)
        var offset = 0
        if size >= parallelMinimumBytes, let end = Self.lastLineEnd(descriptor, size: size) {
            let pieces = Self.pieceStarts(descriptor, end: end, pieceBytes: pieceBytes)
            offset = try decodeInParallel(descriptor, path: path, pieces: pieces, into: &state, report: &report,
                                          after: cutoff, notAfter: latest)
        }
        _ = try reader.forEachBlock(of: descriptor, path: path, from: offset, afterRead: afterRead) { block in
            batch.removeAll()
            batch.decode(block, after: cutoff, notAfter: latest)
            report.add(batch.merge(into: &state))
        }
    }

    /// One past the last `\n` in the first `size` bytes, or `nil` when there
    /// is none (a file of `\r` line ends, or one line).
    static func lastLineEnd(_ descriptor: Int32, size: Int) -> Int? {
        var end = size
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while end > 0 {
            let start = max(0, end - buffer.count)
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, end - start, off_t(start)) }
            guard count == end - start else { return nil }
            if let index = buffer[0..<count].lastIndex(of: 0x0A) { return start + index + 1 }
            end = start
        }
        return nil
    }

    /// Piece boundaries over `[0, end)`: each piece starts just after a `\n`
    /// at or after a multiple of `pieceBytes` (so no line is cut, and no
    /// `\r\n` either); the last element is `end`.
    static func pieceStarts(_ descriptor: Int32, end: Int, pieceBytes: Int) -> [Int] {
        var starts = [0]
        var nominal = pieceBytes
        var probe = [UInt8](repeating: 0, count: 1 << 14)
        search: while nominal < end {
            var position = nominal - 1
            while position < end {
                let wanted = min(probe.count, end - position)
                let count = probe.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, wanted, off_t(position)) }
                guard count > 0 else { break search }
                if let index = probe[0..<count].firstIndex(of: 0x0A) {
                    let start = position + index + 1
                    if start < end { starts.append(start) }
                    nominal = start + pieceBytes
                    continue search
                }
                position += count
            }
            break
        }
        starts.append(end)
        return starts
    }

    /// Decodes the pieces on two threads and merges them in file order as
    /// they complete; returns the offset where sequential reading goes on.
    ///
    /// A pipeline rather than steps: each worker claims the next piece,
    /// decodes it into the batch of its slot (piece mod
    /// ``piecesInFlight``), then merges every piece that is next in file
    /// order and decoded, unless the other worker is merging. So the merge
    /// (sequential by nature) overlaps the other worker's decoding, and no
    /// worker waits at a barrier for the slower one. A worker waits only
    /// when its slot still holds a piece not merged yet.
    private func decodeInParallel(_ descriptor: Int32, path: String, pieces: [Int], into state: inout MonitorState,
                                  report: inout LoadReport.FileCounts,
                                  after cutoff: Int64, notAfter latest: Int64) throws(MonitorError) -> Int {
        let pieceCount = pieces.count - 1
        let slots = max(1, min(piecesInFlight, pieceCount))
        let batches = (0..<slots).map { _ in PredictionBatch() }
        // Each worker reads its pieces in blocks small enough to stay in the
        // core's cache between the copy and the decoding.
        nonisolated(unsafe) var reader0 = LogReader(chunkSize: 1 << 18)
        nonisolated(unsafe) var reader1 = LogReader(chunkSize: 1 << 18)
        let pipeline = Mutex(MergePipeline(slots: slots))
        let next = Atomic<Int>(0)
        // Only the worker that holds `merging` touches these.
        nonisolated(unsafe) var merged = state
        nonisolated(unsafe) var mergedReport = report
        state = MonitorState(capacity: 1, metricsHistoryCapacity: 1)  // the state moves into the pipeline and back

        /// Merges the decoded pieces that are next in file order, unless the
        /// other worker is merging (it then merges them itself: a piece is
        /// marked decoded under the same lock that releases the merge).
        @Sendable func mergeReady() {
            while let piece = pipeline.withLock({ $0.claimMerge(pieceCount: pieceCount) }) {
                mergedReport.add(batches[piece % slots].merge(into: &merged))
                pipeline.withLock { $0.finishMerge() }
            }
        }
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            func work(_ reader: inout LogReader) {
                while true {
                    let piece = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard piece < pieceCount, !pipeline.withLock({ $0.failure != nil }) else { return }
                    // The slot's previous piece must be merged first (never,
                    // if the other worker failed to read it).
                    while pipeline.withLock({ $0.nextMerge }) <= piece - slots {
                        if pipeline.withLock({ $0.failure != nil }) { return }
                        mergeReady()
                        if pipeline.withLock({ $0.nextMerge }) <= piece - slots { sched_yield() }
                    }
                    let batch = batches[piece % slots]
                    batch.removeAll()
                    do {
                        _ = try reader.forEachBlock(of: descriptor, path: path, from: pieces[piece], upTo: pieces[piece + 1]) {
                            batch.decode($0, after: cutoff, notAfter: latest)
                        }
                    } catch {
                        pipeline.withLock { $0.failure = error }
                        return
                    }
                    pipeline.withLock { $0.decoded[piece % slots] = piece }
                    mergeReady()
                }
            }
            if worker == 0 { work(&reader0) } else { work(&reader1) }
        }
        // Both workers have returned, so every decoded piece is merged
        // (the last marking of a piece was followed by its worker's merge).
        mergeReady()
        state = merged
        report = mergedReport
        if let error = pipeline.withLock({ $0.failure }) { throw error }
        return pieces[pieceCount]
    }
}

/// The bookkeeping of ``MonitorLoader``'s decode-and-merge pipeline: which
/// piece each batch slot holds decoded, the next piece to merge, and whether
/// a worker is merging.
struct MergePipeline: ~Copyable {
    /// The piece decoded in each slot (-1: none yet).
    var decoded: [Int]
    /// The next piece to merge, in file order.
    var nextMerge = 0
    /// Whether a worker is merging now.
    var merging = false
    /// The first read error.
    var failure: MonitorError?

    init(slots: Int) { decoded = Array(repeating: -1, count: slots) }

    /// The next piece to merge when it is decoded and no worker is merging;
    /// the caller then merges it and calls ``finishMerge()``.
    mutating func claimMerge(pieceCount: Int) -> Int? {
        guard !merging, failure == nil, nextMerge < pieceCount, decoded[nextMerge % decoded.count] == nextMerge else { return nil }
        merging = true
        return nextMerge
    }

    mutating func finishMerge() {
        merging = false
        nextMerge += 1
    }
}
