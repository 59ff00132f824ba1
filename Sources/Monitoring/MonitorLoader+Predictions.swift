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
    /// into pieces of about ``pieceBytes``; in steps of
    /// ``piecesPerStep`` pieces, two threads read (`pread`) and decode
    /// pieces as they claim them, each into its own ``PredictionBatch``; the
    /// batches are then merged in file order, so the state is the one a
    /// sequential pass gives (the tests check it on every fixture and on
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

    /// Decodes the pieces on two threads and merges them in order; returns
    /// the offset where sequential reading goes on.
    private func decodeInParallel(_ descriptor: Int32, path: String, pieces: [Int], into state: inout MonitorState,
                                  report: inout LoadReport.FileCounts,
                                  after cutoff: Int64, notAfter latest: Int64) throws(MonitorError) -> Int {
        let pieceCount = pieces.count - 1
        let perStep = max(1, piecesPerStep)
        let batches = (0..<min(perStep, pieceCount)).map { _ in PredictionBatch() }
        // Each worker reads its pieces in blocks small enough to stay in the
        // core's cache between the copy and the decoding.
        nonisolated(unsafe) var reader0 = LogReader(chunkSize: 1 << 18)
        nonisolated(unsafe) var reader1 = LogReader(chunkSize: 1 << 18)
        let failure = Mutex<MonitorError?>(nil)
        var step = 0
        var reached = 0
        while step < pieceCount {
            let stepEnd = min(pieceCount, step + perStep)
            let next = Atomic<Int>(step)
            let first = step
            DispatchQueue.concurrentPerform(iterations: 2) { worker in
                func work(_ reader: inout LogReader) {
                    while true {
                        let piece = next.wrappingAdd(1, ordering: .relaxed).oldValue
                        guard piece < stepEnd else { return }
                        let batch = batches[piece - first]
                        batch.removeAll()
                        do {
                            _ = try reader.forEachBlock(of: descriptor, path: path, from: pieces[piece], upTo: pieces[piece + 1]) {
                                batch.decode($0, after: cutoff, notAfter: latest)
                            }
                        } catch {
                            failure.withLock { $0 = error }
                            return
                        }
                    }
                }
                if worker == 0 { work(&reader0) } else { work(&reader1) }
            }
            if let error = failure.withLock({ $0 }) { throw error }
            for piece in first..<stepEnd { report.add(batches[piece - first].merge(into: &state)) }
            reached = pieces[stepEnd]
            step = stepEnd
        }
        return reached
    }
}
