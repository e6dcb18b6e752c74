/// The production clock: Swift's `ContinuousClock` (monotonic, never jumps with wall-clock changes).
public struct SystemBreakerClock: BreakerClock {
    private let reference: ContinuousClock.Instant

    /// A clock whose reference point is the moment it was created.
    public init() {
        self.reference = ContinuousClock.now
    }

    /// Nanoseconds since this clock was created; no allocation, one `clock_gettime`.
    public func now() -> BreakerInstant {
        BreakerInstant(nanoseconds: BreakerInstant.nanoseconds(of: ContinuousClock.now - reference))
    }
}
