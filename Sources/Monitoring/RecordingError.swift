/// Why a prediction was refused; nothing is recorded when one is thrown.
public enum RecordingError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptyLabel
    case confidenceNotFinite(Double)
    case confidenceOutOfRange(Double)
    case processingTimeInvalid(Double)

    public var description: String {
        switch self {
        case .emptyLabel: return "the prediction label is empty"
        case .confidenceNotFinite(let c): return "confidence \(c) is not a finite number"
        case .confidenceOutOfRange(let c): return "confidence \(c) is outside [0, 1]"
        case .processingTimeInvalid(let t): return "processing time \(t) is not a finite, non-negative number"
        }
    }
}
