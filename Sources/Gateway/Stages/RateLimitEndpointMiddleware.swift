import NIOCore
import RateLimit

/// Adapts `EndpointRateLimiter` into the `qos/ratelimit/router` endpoint stage (KrakenD CE's endpoint limit).
///
/// ```json
/// "extra_config": { "qos/ratelimit/router": {
///   "max_rate": 100, "capacity": 100, "client_max_rate": 10, "client_capacity": 10,
///   "strategy": "ip", "every": "1s", "response_headers": "ietf" } }
/// ```
/// Defaults are `RouterRateLimitConfiguration`'s (KrakenD's): no bucket for a rate of 0, `every` 1s, capacity
/// the per-second rate, no quota headers. An empty endpoint bucket answers 503, an empty client bucket (or a
/// request without a client key) 429, both with `Retry-After`. The decision is synchronous on the event loop
/// and allocation-free for a known client; idle client buckets are evicted by a background task.
struct RateLimitEndpointMiddleware: EndpointMiddleware {
    let limiter: EndpointRateLimiter
    let responder: RateLimitResponder

    /// Builds the stage, or nil when both rates are 0 (KrakenD adds no limiter then).
    static func make(_ context: StageContext, clock: any RateLimitClock) throws -> RateLimitEndpointMiddleware? {
        let configuration = try context.decode(RouterRateLimitConfiguration.self)
        let limiter: EndpointRateLimiter
        do {
            // Validated before the enabled check, so a negative rate is an error rather than "no limit".
            try configuration.validate()
            guard configuration.isEnabled else { return nil }
            limiter = try EndpointRateLimiter(
                configuration: configuration,
                name: "\(context.endpoint.method) \(context.endpoint.path)",
                clock: clock
            )
        } catch {
            throw context.rateLimitConfigurationError(error)
        }
        if limiter.needsClientKey {
            context.resources.addBackgroundTask(name: "rate-limit eviction \(context.endpoint.path)") {
                await limiter.runEviction()
            }
        }
        let responder = RateLimitResponder(
            style: configuration.responseHeaders,
            policy: "default",
            keyExtractor: limiter.keyExtractor
        )
        return RateLimitEndpointMiddleware(limiter: limiter, responder: responder)
    }

    func handle(_ request: GatewayRequest, next: @escaping EndpointHandler) -> EventLoopFuture<GatewayResponse> {
        let decision = limiter.decide(clientKey: responder.clientKey(of: request))
        guard decision.isAllowed else {
            return request.eventLoop.makeSucceededFuture(responder.reject(decision))
        }
        return responder.admit(decision, request, next: next)
    }
}
