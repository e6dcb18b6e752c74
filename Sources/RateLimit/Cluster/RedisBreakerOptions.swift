/// Tuning of the breaker around Redis (Portico-internal; the defaults meet "resume within a second").
public struct RedisBreakerOptions: Sendable, Hashable {
    /// Consecutive failed operations that open the breaker (default 3).
    public var failureThreshold: Int
    /// How long decisions stay local before one request probes Redis again (default 200 ms).
    public var openDuration: Duration

    /// Creates options.
    public init(failureThreshold: Int = 3, openDuration: Duration = .milliseconds(200)) {
        self.failureThreshold = failureThreshold
        self.openDuration = openDuration
    }
}
