import Foundation

/// NAB's "CAD OSE", the Contextual Anomaly Detector, Open Source Edition
/// (Mikhail Smirnov, 2016; `nab/detectors/context_ose`), ported step for step.
///
/// Each value is quantised into `2^3` levels of the file's range and encoded
/// as three sensory facts (bit j set or not: `2j + bit`). A context pairs a
/// left semi-context (the previous step's facts: sensory facts plus the
/// "neurons", facts `2³¹ + id` of the up to 15 most used contexts that were
/// active) with a right one (the current sensory facts). A context is active
/// when both halves are wholly present; new contexts are learnt from the
/// intersections of zero-level contexts with the input. The raw score is
/// `(1 − active/selected + new/potential)/2`; it is reported only when no raw
/// score of the last `restPeriod` steps (probation/5) reached 0.75, and 0
/// otherwise (the detector's own post-processing).
///
/// Semi-contexts are keyed by Python's `hash` of their fact tuples, and the
/// active contexts are ranked by (uses, left hash, right hash); the port uses
/// CPython 3's tuple hash (`tupleHash`) and insertion-ordered maps, as NAB's
/// code behaves under Python 3. NAB's stored results were produced under
/// Python 2, whose tuple hash and dict order differ, so rows can differ where
/// a tie between contexts was broken differently.
public struct ContextOSEDetector: Sendable {
    public let minValue: Double
    public let maxValue: Double
    public let baseThreshold: Double
    public let restPeriod: Double
    public let maxLeftSemiContextsLength: Int
    public let maxActiveNeurons: Int
    public let numNormValueBits: Int
    private let minValueStep: Double

    private var leftFactsGroup: [Int] = []
    private var operatorState = ContextOperator()
    private var scoresHistory: [Double] = [1.0]

    public init(minValue: Double, maxValue: Double, restPeriod: Double, baseThreshold: Double = 0.75,
                maxLeftSemiContextsLength: Int = 7, maxActiveNeurons: Int = 15, numNormValueBits: Int = 3) {
        self.minValue = minValue
        self.maxValue = maxValue
        self.restPeriod = restPeriod
        self.baseThreshold = baseThreshold
        self.maxLeftSemiContextsLength = maxLeftSemiContextsLength
        self.maxActiveNeurons = maxActiveNeurons
        self.numNormValueBits = numNormValueBits
        let maxBinValue = Double(1 << numNormValueBits) - 1
        var fullRange = maxValue - minValue
        if fullRange == 0 { fullRange = maxBinValue }
        minValueStep = fullRange / maxBinValue
        operatorState.maxLeftSemiContextsLength = maxLeftSemiContextsLength
    }

    /// Scores a whole series as NAB does: the file's minimum and maximum, and
    /// a rest period of a fifth of the probationary period.
    public static func scores(_ values: [Double]) -> [Double] {
        guard let lo = values.min(), let hi = values.max() else { return [] }
        let probation = min((0.15 * Double(values.count)).rounded(.down), 0.15 * 5000)
        var detector = ContextOSEDetector(minValue: lo, maxValue: hi, restPeriod: probation / 5)
        return values.map { detector.update($0) }
    }

    public mutating func update(_ value: Double) -> Double {
        let normalised = Int(((value - minValue) / minValueStep).rounded(.towardZero))
        // bin(n).lstrip("0b").rjust(bits, "0"), read from its last character:
        // fact 2j + (bit j of n); a value past the top level keeps its extra bits.
        var bits = normalised == 0 ? 0 : (Int.bitWidth - normalised.leadingZeroBitCount)
        bits = max(bits, numNormValueBits)
        var facts: [Int] = []
        for j in 0..<bits { facts.append(j * 2 + ((normalised >> j) & 1)) }
        let current = rawScore(facts: Set(facts))
        let n = Int(restPeriod)
        let recent = n == 0 ? scoresHistory[...] : scoresHistory[max(0, scoresHistory.count - n)...]
        let returned = recent.max()! < baseThreshold ? current : 0.0
        scoresHistory.append(current)
        return returned
    }

    /// The context memory's raw score of one step's sensory facts,
    /// `(1 − active/selected + new/potential)/2`, learning from them (no
    /// quantisation and no rest period: ``update(_:)`` adds both).
    ///
    /// - Parameter facts: Non-negative sensory facts below 2³¹.
    public mutating func rawScore(facts: Set<Int>) -> Double {
        let (active, added) = step(facts)
        return (1.0 - active + added) / 2.0
    }

    private mutating func step(_ input: Set<Int>) -> (Double, Double) {
        let currSensFacts = input.sorted()
        var uniquePotential = Set<ContextOperator.FactPair>()
        var newContextFlag = false
        if !leftFactsGroup.isEmpty, !currSensFacts.isEmpty {
            let pair = ContextOperator.FactPair(left: leftFactsGroup, right: currSensFacts)
            uniquePotential.insert(pair)
            newContextFlag = operatorState.getContextByFacts([pair], zeroLevel: true) == 1
        }
        let (activeContexts, numSelected, potentialNew) = operatorState.crossRight(currSensFacts, newContextFlag: newContextFlag)
        uniquePotential.formUnion(potentialNew)
        let percentActive = numSelected > 0 ? Double(activeContexts.count) / Double(numSelected) : 0
        // sorted(key=(uses, leftHash, rightHash)), a stable sort; the last 15.
        let sorted = activeContexts.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            if x.uses != y.uses { return x.uses < y.uses }
            if x.leftHash != y.leftHash { return x.leftHash < y.leftHash }
            if x.rightHash != y.rightHash { return x.rightHash < y.rightHash }
            return a.offset < b.offset
        }.map(\.element)
        let neurons = sorted.suffix(maxActiveNeurons).map { (1 << 31) + $0.id }
        leftFactsGroup = Set(currSensFacts).union(neurons).sorted()
        var numNew = operatorState.crossLeft(leftFactsGroup, potentialNew: potentialNew)
        if newContextFlag { numNew += 1 }
        let percentAdded = newContextFlag && !uniquePotential.isEmpty ? Double(numNew) / Double(uniquePotential.count) : 0
        return (percentActive, percentAdded)
    }

    /// CPython 3.8+'s `hash` of a tuple of non-negative ints below 2⁶¹ − 1
    /// (each int hashes to itself), on 64 bits.
    public static func tupleHash(_ items: [Int]) -> Int {
        let prime1: UInt64 = 11_400_714_785_074_694_791
        let prime2: UInt64 = 14_029_467_366_897_019_727
        let prime5: UInt64 = 2_870_177_450_012_600_261
        var acc = prime5
        for item in items {
            acc = acc &+ UInt64(bitPattern: Int64(item)) &* prime2
            acc = (acc << 31) | (acc >> 33)
            acc = acc &* prime1
        }
        acc = acc &+ (UInt64(items.count) ^ (prime5 ^ 3_527_539))
        if acc == UInt64.max { return 1_546_275_796 }
        return Int(Int64(bitPattern: acc))
    }
}

/// The context memory of CAD OSE (`context_operator.py`).
struct ContextOperator: Sendable {
    struct FactPair: Hashable {
        var left: [Int]
        var right: [Int]
    }

    struct LeftSemiContext {
        var crossedFacts: [Int] = []
        var size: Int
        var crossed = 0
        /// right semi-context id → context id, in insertion order.
        var contextKeys: [Int] = []
        var contextIDs: [Int] = []
        var contextLookup: [Int: Int] = [:]
    }

    struct RightSemiContext {
        var crossedFacts: [Int] = []
        var size: Int
        var crossed = 0
    }

    struct Context {
        var uses = 0
        var zeroLevel: Bool
        var leftHash: Int
        var rightHash: Int
    }

    struct Active {
        var id: Int
        var uses: Int
        var leftHash: Int
        var rightHash: Int
    }

    var maxLeftSemiContextsLength = 7
    var leftIDs: [Int: Int] = [:]
    var rightIDs: [Int: Int] = [:]
    var lefts: [LeftSemiContext] = []
    var rights: [RightSemiContext] = []
    var leftFacts: [Int: [Int]] = [:]
    var rightFacts: [Int: [Int]] = [:]
    var crossedLefts: [Int] = []
    var crossedRights: [Int] = []
    var contexts: [Context] = []
    /// Python's `False` compares equal to context 0, so "no new context" is 0.
    var newContextID = 0

    /// `getContextByFacts`: for a zero-level context, 1 when it is new and 0
    /// when it existed; otherwise the number of contexts added.
    mutating func getContextByFacts(_ list: [FactPair], zeroLevel: Bool = false) -> Int {
        var added = 0
        for pair in list {
            let leftHash = ContextOSEDetector.tupleHash(pair.left)
            let rightHash = ContextOSEDetector.tupleHash(pair.right)
            let leftID: Int
            if let id = leftIDs[leftHash] { leftID = id } else {
                leftID = lefts.count
                leftIDs[leftHash] = leftID
                lefts.append(LeftSemiContext(size: pair.left.count))
                for fact in pair.left { leftFacts[fact, default: []].append(leftID) }
            }
            let rightID: Int
            if let id = rightIDs[rightHash] { rightID = id } else {
                rightID = rights.count
                rightIDs[rightHash] = rightID
                rights.append(RightSemiContext(size: pair.right.count))
                for fact in pair.right { rightFacts[fact, default: []].append(rightID) }
            }
            if let contextID = lefts[leftID].contextLookup[rightID] {
                if zeroLevel {
                    contexts[contextID].zeroLevel = true
                    return 0
                }
            } else {
                let contextID = contexts.count
                lefts[leftID].contextLookup[rightID] = contextID
                lefts[leftID].contextKeys.append(rightID)
                lefts[leftID].contextIDs.append(contextID)
                added += 1
                contexts.append(Context(zeroLevel: zeroLevel, leftHash: leftHash, rightHash: rightHash))
                if zeroLevel {
                    newContextID = contextID
                    return 1
                }
            }
        }
        return added
    }

    /// `contextCrosser(leftOrRight=1, …)` then `updateContextsAndGetActive`.
    mutating func crossRight(_ facts: [Int], newContextFlag: Bool) -> ([Active], Int, [FactPair]) {
        for id in crossedRights { rights[id].crossedFacts.removeAll(keepingCapacity: true); rights[id].crossed = 0 }
        var touched: [Int] = []
        for fact in facts {
            for id in rightFacts[fact] ?? [] {
                if rights[id].crossedFacts.isEmpty { touched.append(id) }
                rights[id].crossedFacts.append(fact)
            }
        }
        crossedRights = touched.sorted()
        for id in crossedRights { rights[id].crossed = rights[id].crossedFacts.count }
        return updateContextsAndGetActive(newContextFlag)
    }

    /// `contextCrosser(leftOrRight=0, …)`: learns the potential new contexts,
    /// then crosses the left semi-contexts with the new left facts.
    mutating func crossLeft(_ facts: [Int], potentialNew: [FactPair]) -> Int {
        let added = potentialNew.isEmpty ? 0 : getContextByFacts(potentialNew)
        for id in crossedLefts { lefts[id].crossedFacts.removeAll(keepingCapacity: true); lefts[id].crossed = 0 }
        var touched: [Int] = []
        for fact in facts {
            for id in leftFacts[fact] ?? [] {
                if lefts[id].crossedFacts.isEmpty { touched.append(id) }
                lefts[id].crossedFacts.append(fact)
            }
        }
        // In semi-context order, as Python's scan of every semi-context gives them.
        crossedLefts = touched.sorted()
        for id in crossedLefts { lefts[id].crossed = lefts[id].crossedFacts.count }
        return added
    }

    mutating func updateContextsAndGetActive(_ newContextFlag: Bool) -> ([Active], Int, [FactPair]) {
        var active: [Active] = []
        var selected = 0
        var potential: [FactPair] = []
        for leftID in crossedLefts {
            let size = lefts[leftID].size, leftCrossed = lefts[leftID].crossed
            let keys = lefts[leftID].contextKeys, ids = lefts[leftID].contextIDs
            for index in keys.indices where newContextID != ids[index] {
                let rightID = keys[index], contextID = ids[index]
                let rightCrossed = rights[rightID].crossed
                if size == leftCrossed {
                    selected += 1
                    if rightCrossed > 0 {
                        if rights[rightID].size == rightCrossed {
                            contexts[contextID].uses += 1
                            let c = contexts[contextID]
                            active.append(Active(id: contextID, uses: c.uses, leftHash: c.leftHash, rightHash: c.rightHash))
                        } else if contexts[contextID].zeroLevel, newContextFlag, leftCrossed <= maxLeftSemiContextsLength {
                            potential.append(FactPair(left: lefts[leftID].crossedFacts, right: rights[rightID].crossedFacts))
                        }
                    }
                } else if contexts[contextID].zeroLevel, newContextFlag, rightCrossed > 0,
                          leftCrossed <= maxLeftSemiContextsLength {
                    potential.append(FactPair(left: lefts[leftID].crossedFacts, right: rights[rightID].crossedFacts))
                }
            }
        }
        newContextID = 0
        return (active, selected, potential)
    }
}
