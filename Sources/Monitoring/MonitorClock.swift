import Synchronization

/// Where a monitor reads the time and how it waits: the system clock in
/// production, a ``ManualMonitorClock`` in tests and replays.
public protocol MonitorClock: Sendable {
    /// The current naive local time.
    func now() -> LocalTimestamp
    /// Suspends for `duration` of this clock's time; throws when cancelled.
    func sleep(for duration: Duration) async throws
}

/// The machine's wall clock in its local time zone, as the reference's
/// `datetime.now()`.
public struct SystemMonitorClock: MonitorClock {
    public init() {}
    public func now() -> LocalTimestamp { LocalTimestamp.now() }
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

/// A clock that moves only when told to: sleepers wake when ``advance(by:)``
/// passes their deadline. For tests and for replaying recorded traffic.
public final class ManualMonitorClock: MonitorClock {
    private struct Sleeper {
        var id: Int
        var deadline: Int64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: LocalTimestamp
        var sleepers: [Sleeper] = []
        var nextID = 0
    }

    private let state: Mutex<State>

    /// - Parameter start: The initial reading.
    public init(start: LocalTimestamp) { state = Mutex(State(now: start)) }

    public func now() -> LocalTimestamp { state.withLock { $0.now } }

    /// Moves the clock to `timestamp` (never backwards) and wakes the
    /// sleepers whose deadline has come.
    public func set(_ timestamp: LocalTimestamp) {
        let due: [Sleeper] = state.withLock { state in
            state.now = max(state.now, timestamp)
            let now = state.now.microseconds
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Moves the clock forward by `duration`.
    public func advance(by duration: Duration) {
        set(now().adding(microseconds: duration.microseconds))
    }

    /// The number of tasks sleeping on this clock.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    public func sleep(for duration: Duration) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Bool = state.withLock { state in
                    if Task.isCancelled { return true }
                    let deadline = state.now.microseconds + duration.microseconds
                    if deadline <= state.now.microseconds { return true }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return false
                }
                if resumeNow {
                    if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }
}

extension Duration {
    /// The duration in whole microseconds (truncated).
    public var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
