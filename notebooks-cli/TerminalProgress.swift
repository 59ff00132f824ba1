import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Progress of a long command on standard error, one line rewritten in place,
/// only when standard error is a terminal (never in a pipe, a file or CI logs).
/// `nab`, `heuristics`, `simulate` and `replay` use it.
struct TerminalProgress {
    /// Whether progress is shown: standard error is a terminal.
    static var isEnabled: Bool { isatty(STDERR_FILENO) == 1 }

    let label: String
    let isEnabled: Bool
    /// Progress is drawn only after this many seconds, so short runs print nothing.
    let delay: Double
    private let started = Date()
    private var drawnPercent: Int?

    init(_ label: String, enabled: Bool = TerminalProgress.isEnabled, delay: Double = 0) {
        self.label = label
        self.isEnabled = enabled
        self.delay = delay
    }

    /// Redraws the line when the whole percentage changed.
    mutating func update(_ fraction: Double, detail: String = "") {
        guard isEnabled else { return }
        let percent = Self.percent(fraction)
        guard percent != drawnPercent, Date().timeIntervalSince(started) >= delay else { return }
        drawnPercent = percent
        Self.draw(label + detail, fraction)
    }

    /// Erases the line (before other output goes to the same terminal); the next update redraws it.
    mutating func clear() {
        guard drawnPercent != nil else { return }
        drawnPercent = nil
        writeAll("\r\u{1B}[K", to: STDERR_FILENO)
    }

    /// Ends the line, if one was drawn, keeping its last state on screen.
    mutating func finish() {
        guard drawnPercent != nil else { return }
        drawnPercent = nil
        writeAll("\n", to: STDERR_FILENO)
    }

    /// `label: NN%` over the current line, for callers without state (worker threads).
    static func draw(_ label: String, _ fraction: Double) {
        writeAll("\r\(label): \(percent(fraction))%\u{1B}[K", to: STDERR_FILENO)
    }

    static func percent(_ fraction: Double) -> Int {
        guard fraction.isFinite else { return 0 }
        return min(max(Int((fraction * 100).rounded(.down)), 0), 100)
    }
}
