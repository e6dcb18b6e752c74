import Synchronization

/// A clock that moves only when told to, for tests of breakers and of the stages that wrap them.
public final class ManualBreakerClock: BreakerClock {
    private let current: Mutex<BreakerInstant>

    /// A clock standing at `start` (default: its reference point).
    public init(start: BreakerInstant = .zero) {
        self.current = Mutex(start)
    }

    /// The instant the clock stands at.
    public func now() -> BreakerInstant {
        current.withLock { $0 }
    }

    /// Moves the clock forward (or backward, for a negative duration) by `duration`.
    public func advance(by duration: Duration) {
        current.withLock { $0 = $0.advanced(by: duration) }
    }

    /// Sets the clock to `instant`.
    public func set(to instant: BreakerInstant) {
        current.withLock { $0 = instant }
    }
}
