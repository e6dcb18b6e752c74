import Logging
import NIOCore
import RateLimit
import Synchronization

/// Adapts `ClusterRateLimiter` into the cluster-wide endpoint stages: `qos/ratelimit/router/redis` (one limit
/// per endpoint) and `qos/ratelimit/service/redis` (one limit shared by every endpoint of the service).
///
/// ```json
/// "extra_config": { "qos/ratelimit/router/redis": {
///   "connection_name": "shared_redis_pool", "max_rate": 100, "capacity": 100, "every": "1s",
///   "client_max_rate": 10, "strategy": "header", "key": "X-Api-Key",
///   "failure_policy": "local", "expected_instances": 3, "response_headers": "ietf" } }
/// ```
/// Defaults are `RedisRateLimitConfiguration`'s: KrakenD's `on_failure_allow: false` (deny while Redis fails —
/// the only policy that can never over-admit), no leases, no quota headers. Statuses as the local stage: 503
/// endpoint-wide, 429 per client, with `Retry-After`. A decision waits for Redis at most the pool's
/// `operation_timeout`; the limiter's futures complete on the request's event loop. Per request: the Redis
/// command and its promise and timer (none in lease mode while leased tokens last).
struct RateLimitClusterMiddleware: EndpointMiddleware {
    let limiter: ClusterRateLimiter
    let responder: RateLimitResponder

    /// Builds the `qos/ratelimit/router/redis` stage of one endpoint; its buckets are scoped `METHOD /path`.
    static func makeEndpoint(_ context: StageContext, clock: any RateLimitClock) throws -> RateLimitClusterMiddleware? {
        try build(context, scope: "\(context.endpoint.method) \(context.endpoint.path)", clock: clock)
    }

    /// Builds the `qos/ratelimit/service/redis` stage for one endpoint; every endpoint shares one limiter.
    static func makeService(_ context: StageContext, clock: any RateLimitClock) throws -> RateLimitClusterMiddleware? {
        let slot = try context.resources.shared("ratelimit-service-redis") { ServiceLimiterSlot() }
        return try slot.stage {
            try build(context, scope: "service \(context.service.name ?? "portico")", clock: clock)
        }
    }

    private static func build(
        _ context: StageContext,
        scope: String,
        clock: any RateLimitClock
    ) throws -> RateLimitClusterMiddleware? {
        let configuration = try context.decode(RedisRateLimitConfiguration.self)
        do {
            try configuration.validate()
        } catch {
            throw context.rateLimitConfigurationError(error)
        }
        guard let pool = try RateLimitRedisPools.shared(context).pool(named: configuration.connectionName, for: context)
        else { return nil }
        let limiter: ClusterRateLimiter
        do {
            limiter = try ClusterRateLimiter(
                configuration: configuration,
                scope: scope,
                pool: pool,
                clock: clock,
                logger: context.logger
            )
        } catch {
            throw context.rateLimitConfigurationError(error)
        }
        if configuration.clientMaxRate > 0 {
            // Only the local fallback keeps per-client state in process; Redis expires its own keys.
            context.resources.addBackgroundTask(name: "rate-limit fallback eviction \(scope)") {
                while !Task.isCancelled {
                    do { try await Task.sleep(for: .seconds(60)) } catch { return }
                    limiter.evictIdle()
                }
            }
        }
        let responder = RateLimitResponder(
            style: configuration.responseHeaders,
            policy: "default",
            keyExtractor: limiter.keyExtractor
        )
        return RateLimitClusterMiddleware(limiter: limiter, responder: responder)
    }

    func handle(_ request: GatewayRequest, next: @escaping EndpointHandler) -> EventLoopFuture<GatewayResponse> {
        let responder = self.responder
        return limiter.decide(clientKey: responder.clientKey(of: request), on: request.eventLoop).flatMap { decision in
            guard decision.isAllowed else {
                return request.eventLoop.makeSucceededFuture(responder.reject(decision))
            }
            return responder.admit(decision, request, next: next)
        }
    }
}

/// The service-wide stage, built once for the first endpoint and reused by the others; a configuration problem is
/// reported once, not once per endpoint.
private final class ServiceLimiterSlot: Sendable {
    private enum State {
        case empty
        case built(RateLimitClusterMiddleware?)
        case failed
    }

    private let state = Mutex(State.empty)

    func stage(_ make: () throws -> RateLimitClusterMiddleware?) throws -> RateLimitClusterMiddleware? {
        switch state.withLock({ $0 }) {
        case .built(let stage): return stage
        case .failed: return nil
        case .empty: break
        }
        // Pipelines are built once, on one thread, so the slot cannot be filled concurrently.
        do {
            let stage = try make()
            state.withLock { $0 = .built(stage) }
            return stage
        } catch {
            state.withLock { $0 = .failed }
            throw error
        }
    }
}
