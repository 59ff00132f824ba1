/// What a detector says after each input: a score (larger is more
/// anomalous; its scale is the detector's) and whether it raises an alarm.
public struct Detection: Sendable, Equatable {
    public var score: Double
    public var alarm: Bool

    public init(score: Double, alarm: Bool) {
        self.score = score
        self.alarm = alarm
    }

    public static let quiet = Detection(score: 0, alarm: false)
}

/// A streaming detector: fed one input at a time, in stream order.
///
/// Scalar detectors (``PageHinkley``, ``CUSUM``, ``ADWIN``, ``KSWIN``, the
/// control charts) take a `Double`; distribution detectors take a window
/// summary. Detectors are values: copy one to fork its state.
public protocol StreamingDetector<Input>: Sendable {
    associatedtype Input
    /// A short, stable name (used on the command line and in results).
    var name: String { get }
    /// Feeds one input.
    ///
    /// - Complexity: Amortised O(1) unless the detector documents otherwise.
    mutating func update(_ input: Input) -> Detection
    /// Forgets everything seen.
    mutating func reset()
}
