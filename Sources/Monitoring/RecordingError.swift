/// Why a prediction was refused; nothing is recorded when one is thrown.
public enum RecordingError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptyLabel
    case confidenceNotFinite(Double)
    case confidenceOutOfRange(Double)
    case processingTimeInvalid(Double)
    /// Writes of the predictions log fail (a full disk) and
    /// ``MonitorConfiguration/FlushPolicy/maxPendingLines`` lines already wait
    /// in memory: the record is refused rather than held without bound or dropped.
    case logBacklogFull(pendingLines: Int, reason: String)

    public var description: String {
        switch self {
        case .emptyLabel: return "the prediction label is empty"
        case .confidenceNotFinite(let c): return "confidence \(c) is not a finite number"
        case .confidenceOutOfRange(let c): return "confidence \(c) is outside [0, 1]"
        case .processingTimeInvalid(let t): return "processing time \(t) is not a finite, non-negative number"
        case .logBacklogFull(let pending, let reason):
            return "\(pending) log lines wait to be written, the limit: \(reason)"
        }
    }
}
