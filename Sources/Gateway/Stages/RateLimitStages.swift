public import RateLimit

extension GatewayExtensions {
    /// Registers Portico's rate limits: `qos/ratelimit/router`, `qos/ratelimit/router/redis` and the service-wide
    /// `qos/ratelimit/service/redis` as endpoint stages at `.rateLimit`, `qos/ratelimit/proxy` as a backend stage at
    /// `.rateLimit` (outside the circuit breaker), and the service-level `redis` connection pools.
    /// - Parameter clock: the limiters' time source (tests may inject a `ManualRateLimitClock`).
    public mutating func registerRateLimiting(clock: any RateLimitClock = SystemRateLimitClock()) {
        // Validates `redis.connection_pools` at start-up even when no limiter names a pool (adds no stage).
        registerServiceEndpointStage(namespace: RedisConfiguration.namespace, position: .rateLimit) { context in
            try RateLimitRedisPools.shared(context).reportFailure()
            return nil
        }
        // Service-wide first: a request the whole service cannot afford is refused before an endpoint's budget.
        registerServiceEndpointStage(namespace: RedisRateLimitConfiguration.serviceNamespace, position: .rateLimit) {
            try RateLimitClusterMiddleware.makeService($0, clock: clock)
        }
        registerEndpointStage(namespace: RouterRateLimitConfiguration.namespace, position: .rateLimit) {
            try RateLimitEndpointMiddleware.make($0, clock: clock)
        }
        registerEndpointStage(namespace: RedisRateLimitConfiguration.namespace, position: .rateLimit) {
            try RateLimitClusterMiddleware.makeEndpoint($0, clock: clock)
        }
        // Outside the breaker (`.rateLimit` < `.circuitBreaker`): a local rejection never counts as a backend failure.
        registerBackendStage(namespace: ProxyRateLimitConfiguration.namespace, position: .rateLimit) {
            try RateLimitBackendMiddleware.make($0, clock: clock)
        }
    }
}

extension StageContext {
    /// A rate-limit configuration problem (`"capacity: must be …"`) reported at that key under this namespace.
    func rateLimitConfigurationError(_ error: any Error) -> ConfigurationError {
        ConfigValueDecoder(file: service.fileName, basePath: path).configurationError(from: error)
    }
}
