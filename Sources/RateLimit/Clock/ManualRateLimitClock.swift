import Synchronization

/// A clock that moves only when told to, for tests of anything that takes a `RateLimitClock`.
public final class ManualRateLimitClock: RateLimitClock {
    private let now: Atomic<Int64>

    /// Creates a clock reading `start` nanoseconds.
    public init(start: Int64 = 1_000_000_000) {
        self.now = Atomic(start)
    }

    /// The current reading.
    public func nanoseconds() -> Int64 {
        now.load(ordering: .acquiring)
    }

    /// Moves the clock forward by `duration` (negative durations are ignored: the clock is monotonic).
    public func advance(by duration: Duration) {
        let step = duration.nanosecondsClamped
        guard step > 0 else { return }
        now.wrappingAdd(step, ordering: .acquiringAndReleasing)
    }
}
