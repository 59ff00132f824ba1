import MonitorNumerics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Distinct byte strings with dense ids, for labels and model versions read
/// as raw bytes: a string is built once per distinct value, never per line.
///
/// Open addressing over (length, first eight bytes, last eight bytes), which
/// is the whole string up to 16 bytes; longer strings also compare their
/// bytes.
struct ByteInterner {
    private struct Entry {
        var count: Int
        var head: UInt64
        var tail: UInt64
        var offset: Int
    }

    private var entries: [Entry] = []
    private var arena: [UInt8] = []
    /// Ids + 1 by hash slot; 0 is empty.
    private var slots: [UInt32]
    private var mask: Int
    private var lastID: UInt32 = .max
    private var lastKey: (count: Int, head: UInt64, tail: UInt64) = (-1, 0, 0)

    init() {
        slots = Array(repeating: 0, count: 64)
        mask = 63
    }

    /// An interner with no storage, to swap with a real one.
    static var empty: ByteInterner { ByteInterner(slots: [], mask: 0) }

    private init(slots: [UInt32], mask: Int) {
        self.slots = slots
        self.mask = mask
    }

    /// The number of distinct strings.
    var count: Int { entries.count }

    /// The bytes behind `id`, as a string.
    func string(_ id: UInt32) -> String {
        let entry = entries[Int(id)]
        return arena.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[entry.offset..<(entry.offset + entry.count)]), as: UTF8.self)
        }
    }

    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i] = 0 }
        lastID = .max
        lastKey = (-1, 0, 0)
    }

    /// The id of `bytes`, giving the next id to a new string.
    @inline(__always)
    mutating func id(of bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let count = bytes.count
        var head: UInt64 = 0, tail: UInt64 = 0
        if let base = bytes.baseAddress {
            if count >= 8 {
                head = PredictionLineScanner.load64(base)
                tail = PredictionLineScanner.load64(base + count - 8)
            } else {
                for i in 0..<count { head |= UInt64(base[i]) << (8 * UInt64(i)) }
            }
        }
        if count == lastKey.count, head == lastKey.head, tail == lastKey.tail, count <= 16 { return lastID }
        var slot = Int(truncatingIfNeeded: ((head &* 0x9E37_79B9_7F4A_7C15) ^ (tail &* 0xC2B2_AE3D_27D4_EB4F)
                                            ^ UInt64(count)) >> 40) & mask
        while true {
            let stored = slots[slot]
            if stored == 0 { break }
            let id = stored - 1
            let entry = entries[Int(id)]
            if entry.count == count, entry.head == head, entry.tail == tail,
               count <= 16 || arena.withUnsafeBufferPointer({ memcmp($0.baseAddress! + entry.offset, bytes.baseAddress!, count) == 0 }) {
                lastID = id
                lastKey = (count, head, tail)
                return id
            }
            slot = (slot + 1) & mask
        }
        let id = UInt32(entries.count)
        entries.append(Entry(count: count, head: head, tail: tail, offset: arena.count))
        arena.append(contentsOf: bytes)
        slots[slot] = id + 1
        if entries.count * 2 > slots.count { rehash() }
        lastID = id
        lastKey = (count, head, tail)
        return id
    }

    private mutating func rehash() {
        slots = Array(repeating: 0, count: slots.count * 2)
        mask = slots.count - 1
        for (id, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: ((entry.head &* 0x9E37_79B9_7F4A_7C15) ^ (entry.tail &* 0xC2B2_AE3D_27D4_EB4F)
                                                ^ UInt64(entry.count)) >> 40) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt32(id + 1)
        }
    }
}

/// The predictions decoded from one block of a log, before they join a
/// ``MonitorState``: records with labels and model versions as ids of the
/// block's own ``ByteInterner``s, and the lines that needed the general
/// decoder, in file order.
///
/// Blocks can be decoded on any thread; ``merge(into:)`` then adds them to
/// the state in file order, giving labels and model versions their codes at
/// their first appearance, exactly as one sequential pass would.
final class PredictionBatch: @unchecked Sendable {
    /// Label id of a record decoded by the general decoder (its fields are
    /// the next entry of `general`).
    static let generalMarker = UInt32.max

    private(set) var records: [EncodedPrediction] = []
    private(set) var general: [PredictionLineDecoder.Fields] = []
    private(set) var labels = ByteInterner()
    private(set) var modelVersions = ByteInterner()
    /// Lines, records, skipped and expired lines, whether the block ends
    /// without a newline (evictions are counted by the merge).
    private(set) var counts = LoadReport.FileCounts()
    /// Records stamped no later than the load's latest time.
    private(set) var totalPredictions = 0
    private var dates = PredictionLineScanner.DateCache()

    init() {}

    func removeAll() {
        records.removeAll(keepingCapacity: true)
        general.removeAll(keepingCapacity: true)
        labels.removeAll()
        modelVersions.removeAll()
        counts = LoadReport.FileCounts()
        totalPredictions = 0
    }

    /// Decodes the lines of `bytes` (whole lines; the last may lack its
    /// newline), keeping the records stamped after `cutoff` and no later than
    /// `latest`.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, after cutoff: Int64, notAfter latest: Int64) {
        // The loop works on locals: a class's stored properties would be
        // checked for exclusive access at every use.
        var records: [EncodedPrediction] = [], general: [PredictionLineDecoder.Fields] = []
        var labels = ByteInterner.empty, modelVersions = ByteInterner.empty
        var dates = self.dates, counts = self.counts, totalPredictions = self.totalPredictions
        swap(&records, &self.records)
        swap(&general, &self.general)
        swap(&labels, &self.labels)
        swap(&modelVersions, &self.modelVersions)
        defer {
            swap(&records, &self.records)
            swap(&general, &self.general)
            swap(&labels, &self.labels)
            swap(&modelVersions, &self.modelVersions)
            self.dates = dates
            self.counts = counts
            self.totalPredictions = totalPredictions
        }
        counts.endsWithoutNewline = counts.endsWithoutNewline || MonitorLoader.endsWithoutNewline(bytes)
        guard let base = bytes.baseAddress else { return }
        let end = base + bytes.count

        var position = base
        while position < end {
            // The reference's line shape is scanned in place, line break
            // included; anything else is split off and decided as a line.
            if position.pointee == UInt8(ascii: "{"),
               let (fields, next) = PredictionLineScanner.scanLine(position, end, dates: &dates) {
                counts.lines += 1
                Self.keep(fields, after: cutoff, notAfter: latest, records: &records, labels: &labels, modelVersions: &modelVersions,
                          counts: &counts, totalPredictions: &totalPredictions)
                position = next
                continue
            }
            var lines = LogLines.Iterator(bytes: bytes, position: position - base)
            guard let line = lines.next() else { break }
            position = base + lines.position
            if line.isEmpty { continue }
            counts.lines += 1
            if let fields = PredictionLineScanner.scan(line, dates: &dates) {
                Self.keep(fields, after: cutoff, notAfter: latest, records: &records, labels: &labels, modelVersions: &modelVersions,
                          counts: &counts, totalPredictions: &totalPredictions)
            } else if let fields = try? PredictionLineDecoder.decode(line) {
                counts.records += 1
                let stamp = fields.timestamp.microseconds
                if stamp <= latest { totalPredictions += 1 }
                guard stamp > cutoff, stamp <= latest else {
                    counts.expired += 1
                    continue
                }
                records.append(EncodedPrediction(
                    timestamp: stamp, confidence: fields.confidence, processingTime: fields.processingTime,
                    label: Self.generalMarker, modelVersion: Self.generalMarker,
                    textLength: fields.textLength, wordCount: fields.wordCount))
                general.append(fields)
            } else {
                counts.skipped += 1
            }
        }
    }

    /// Counts a fast-path line and keeps its record when it is in the
    /// window. (A static function on the caller's locals: a nested function
    /// capturing them would check exclusive access dynamically at each call.)
    @inline(__always)
    private static func keep(_ fields: PredictionLineScanner.RawFields, after cutoff: Int64, notAfter latest: Int64,
                             records: inout [EncodedPrediction], labels: inout ByteInterner,
                             modelVersions: inout ByteInterner, counts: inout LoadReport.FileCounts,
                             totalPredictions: inout Int) {
        counts.records += 1
        if fields.timestamp <= latest { totalPredictions += 1 }
        guard fields.timestamp > cutoff, fields.timestamp <= latest else {
            counts.expired += 1
            return
        }
        records.append(EncodedPrediction(
            timestamp: fields.timestamp, confidence: fields.confidence, processingTime: fields.processingTime,
            label: labels.id(of: fields.label), modelVersion: modelVersions.id(of: fields.modelVersion),
            textLength: fields.textLength, wordCount: fields.wordCount))
    }

    /// Adds the records to `state` in order, and returns the block's counts
    /// with the evictions. A batch is merged once (then emptied or decoded
    /// anew).
    func merge(into state: inout MonitorState) -> LoadReport.FileCounts {
        var counts = self.counts
        state.totalPredictions += totalPredictions
        // The bulk path, when the per-record loop below could neither prune
        // the dictionaries (they stay under the limit even if every string of
        // the block is new), nor evict, nor meet a line of the general
        // decoder: the interners' ids are in first-appearance order, so
        // encoding them in id order gives each string the code the loop
        // would, and the records go into the columns one column at a time.
        if general.isEmpty, state.columns.count + records.count <= state.columns.capacity,
           state.labels.count + self.labels.count < state.dictionaryLimit,
           state.modelVersions.count + self.modelVersions.count < state.dictionaryLimit {
            let labelCodes = (0..<self.labels.count).map { state.labels.encode(self.labels.string(UInt32($0))) }
            let versionCodes = (0..<self.modelVersions.count).map { state.modelVersions.encode(self.modelVersions.string(UInt32($0))) }
            records.withUnsafeMutableBufferPointer { records in
                for i in records.indices {
                    records[i].label = labelCodes[Int(records[i].label)]
                    records[i].modelVersion = versionCodes[Int(records[i].modelVersion)]
                }
                state.columns.append(contentsOf: UnsafeBufferPointer(records))
            }
            records.removeAll(keepingCapacity: true)  // the codes are the state's now
            return counts
        }
        var labelCodes = [UInt32](repeating: Self.generalMarker, count: labels.count)
        var versionCodes = [UInt32](repeating: Self.generalMarker, count: modelVersions.count)
        // The state's dictionary generation each cached code belongs to: a pruning renumbers codes.
        var labelGenerations = [Int](repeating: -1, count: labels.count)
        var versionGenerations = [Int](repeating: -1, count: modelVersions.count)
        let labels = self.labels, modelVersions = self.modelVersions, general = self.general
        var nextGeneral = 0
        for var record in records {
            if state.columns.count == state.columns.capacity { counts.evicted += 1 }
            state.pruneDictionariesIfNeeded()  // before any code is assigned or predicted below
            let generation = state.dictionaryGeneration
            if record.label == Self.generalMarker {
                let fields = general[nextGeneral]
                nextGeneral += 1
                if let label = fields.nonStringLabel, state.labels.code(of: label.identity) == nil {
                    state.labelDisplays[UInt32(state.labels.count)] = label
                }
                record.label = state.labels.encode(fields.prediction)
                record.modelVersion = state.modelVersions.encode(fields.modelVersion)
            } else {
                let label = Int(record.label), version = Int(record.modelVersion)
                if labelGenerations[label] != generation {
                    labelCodes[label] = state.labels.encode(labels.string(record.label))
                    labelGenerations[label] = generation
                }
                if versionGenerations[version] != generation {
                    versionCodes[version] = state.modelVersions.encode(modelVersions.string(record.modelVersion))
                    versionGenerations[version] = generation
                }
                record.label = labelCodes[label]
                record.modelVersion = versionCodes[version]
            }
            state.columns.append(record)
        }
        return counts
    }
}
