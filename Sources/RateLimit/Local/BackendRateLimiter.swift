/// KrakenD CE's backend limiter (`qos/ratelimit/proxy`): one bucket in front of one backend.
public final class BackendRateLimiter: Sendable {
    /// The backend's bucket.
    public let bucket: LockedTokenBucket
    /// The limiter's metrics.
    public let metrics: RateLimitMetrics
    private let clock: any RateLimitClock

    /// Builds the limiter, or returns nil when `max_rate` is 0 (KrakenD adds no limiter then).
    /// - Throws: `RateLimitConfigurationError` when the configuration is invalid.
    public init?(
        configuration: ProxyRateLimitConfiguration,
        name: String,
        clock: any RateLimitClock = SystemRateLimitClock()
    ) throws(RateLimitConfigurationError) {
        try configuration.validate()
        guard let limit = configuration.limit else { return nil }
        self.bucket = LockedTokenBucket(limit: limit)
        self.metrics = RateLimitMetrics(limiter: name)
        self.clock = clock
    }

    /// Decides one backend call; allocation-free.
    public func decide() -> RateLimitDecision {
        let result = bucket.take(now: clock.nanoseconds())
        let decision = RateLimitDecision(result, limit: bucket.limit, rejection: .rejectedBackend, source: .local)
        metrics.record(decision)
        return decision
    }
}
