import NIOCore
import RateLimit

/// Adapts `BackendRateLimiter` into the `qos/ratelimit/proxy` backend stage (KrakenD CE's backend limit).
///
/// ```json
/// "backend": [{ "url_pattern": "/orders", "extra_config": {
///   "qos/ratelimit/proxy": { "max_rate": 50, "capacity": 50, "every": "1s" } } }]
/// ```
/// Defaults: no limiter for `max_rate` 0, capacity the per-second rate, `every` 1s. A rejection is a failed
/// backend call (`GatewayError.unavailable`: 500, or 503 in precise mode; inside an aggregate the other backends
/// still answer). The stage sits at `.rateLimit`, outside the circuit breaker, so a rejection never reaches the
/// breaker and never counts as a backend failure. Allocation-free when admitted.
struct RateLimitBackendMiddleware: BackendMiddleware {
    let limiter: BackendRateLimiter
    let name: String

    /// Builds the stage, or nil when `max_rate` is 0.
    static func make(_ context: StageContext, clock: any RateLimitClock) throws -> RateLimitBackendMiddleware? {
        let configuration = try context.decode(ProxyRateLimitConfiguration.self)
        let name = "\(context.endpoint.method) \(context.endpoint.path) → \(context.backend?.urlPattern ?? "?")"
        do {
            guard let limiter = try BackendRateLimiter(configuration: configuration, name: name, clock: clock) else {
                return nil
            }
            return RateLimitBackendMiddleware(limiter: limiter, name: name)
        } catch {
            throw context.rateLimitConfigurationError(error)
        }
    }

    func handle(_ request: BackendRequest, next: @escaping BackendHandler) -> EventLoopFuture<BackendResponse> {
        guard limiter.decide().isAllowed else {
            return request.eventLoop.makeFailedFuture(
                GatewayError.unavailable("rate limit of \(name) exceeded", backend: request.uri)
            )
        }
        return next(request)
    }
}
