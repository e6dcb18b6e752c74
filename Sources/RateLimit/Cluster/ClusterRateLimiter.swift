public import Logging
public import NIOCore
import Synchronization

/// KrakenD Enterprise's Redis-backed limiter: one atomic `EVALSHA` decision per request across the cluster.
///
/// Futures complete on the caller's event loop, never later than `operation_timeout` after the call. Redis
/// failures count towards a breaker; while it is open, decisions are made at once by the failure policy, and
/// one probe every 200 ms (default) brings cluster decisions back as soon as Redis answers again. Optional lease
/// mode (see `RedisRateLimitConfiguration`) takes endpoint tokens in batches.
public final class ClusterRateLimiter: Sendable {
    /// The configuration.
    public let configuration: RedisRateLimitConfiguration
    /// Finds the client key of a request; nil without a per-client limit.
    public let keyExtractor: ClientKeyExtractor?
    /// The limiter's metrics.
    public let metrics: RateLimitMetrics

    let pool: RedisConnectionPool
    let clock: any RateLimitClock
    let logger: Logger
    let endpointLimit: BucketLimit?
    let clientLimit: BucketLimit?
    let fallbackEndpoint: LockedTokenBucket?
    let fallbackClients: ClientBucketStore?
    let policy: RedisFailurePolicy
    let timeout: Int64
    private let breaker: Mutex<RedisBreakerStateMachine>
    private let operations = Atomic<Int>(0)
    private let keyPrefix: String
    private let endpointKey: String
    let endpointArguments: (interval: String, tolerance: String)?
    private let clientArguments: (interval: String, tolerance: String)?
    let lease: LeaseBook?

    /// Builds the limiter over a started pool.
    /// - Parameters:
    ///   - configuration: the decoded namespace.
    ///   - scope: what the buckets belong to, e.g. `GET /orders` or the service name; part of the Redis keys,
    ///     so every instance must use the same scope for the same limit.
    ///   - pool: the `connection_name` pool.
    ///   - clock: time source for fallback buckets, leases and the breaker.
    ///   - breakerOptions: breaker tuning.
    /// - Throws: `RateLimitConfigurationError`.
    public init(
        configuration: RedisRateLimitConfiguration,
        scope: String,
        pool: RedisConnectionPool,
        clock: any RateLimitClock = SystemRateLimitClock(),
        breakerOptions: RedisBreakerOptions = RedisBreakerOptions(),
        logger: Logger = Logger(label: "portico.ratelimit.cluster")
    ) throws(RateLimitConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        self.keyExtractor = try configuration.makeKeyExtractor()
        self.metrics = RateLimitMetrics(limiter: scope)
        self.pool = pool
        self.clock = clock
        self.logger = logger
        self.endpointLimit = configuration.endpointLimit
        self.clientLimit = configuration.clientLimit
        self.policy = configuration.effectiveFailurePolicy
        let instances = configuration.expectedInstances
        self.fallbackEndpoint = endpointLimit.map { LockedTokenBucket(limit: $0.share(of: instances)) }
        self.fallbackClients = clientLimit.map { ClientBucketStore(limit: $0.share(of: instances), shardCount: 256) }
        self.timeout = pool.configuration.operationTimeout.nanosecondsClamped
        self.breaker = Mutex(
            RedisBreakerStateMachine(
                failureThreshold: breakerOptions.failureThreshold,
                openDuration: breakerOptions.openDuration.nanosecondsClamped,
                probeTimeout: timeout * 2
            )
        )
        // Braces would end Redis Cluster's hash tag early; the scope is configuration, so this runs once.
        let tag = String(scope.map { $0 == "{" ? "(" : $0 == "}" ? ")" : $0 })
        self.keyPrefix = "portico:rl:{\(tag)"
        self.endpointKey = "portico:rl:{\(tag)}:endpoint"
        let reserve = configuration.usesLeases ? configuration.leaseDuration.nanosecondsClamped : 0
        self.endpointArguments = endpointLimit.map { GCRAScript.arguments(for: $0, reserve: reserve) }
        self.clientArguments = clientLimit.map { GCRAScript.arguments(for: $0) }
        self.lease = configuration.usesLeases ? LeaseBook() : nil
    }

    var endpointKeyName: String { endpointKey }

    /// Redis operations this limiter has sent (script calls, including `NOSCRIPT` retries and lease refills).
    public var redisOperationCount: Int { operations.load(ordering: .relaxed) }

    /// The request's client key (see `ClientKeyExtractor.extract`); nil without a per-client limit.
    public func clientKey(
        remoteAddress: String?,
        header: (String) -> String?,
        param: (String) -> String?
    ) -> String? {
        keyExtractor?.extract(remoteAddress: remoteAddress, header: header, param: param)
    }

    /// Decides one request; the future completes on `eventLoop` within `operation_timeout`.
    /// - Parameters:
    ///   - clientKey: the request's client key; nil when it has none (refused with 429 when a client limit is set).
    ///   - eventLoop: the caller's event loop.
    public func decide(clientKey: String?, on eventLoop: any EventLoop) -> EventLoopFuture<RateLimitDecision> {
        if clientLimit != nil && clientKey == nil, let store = fallbackClients {
            let decision = EndpointRateLimiter.clientDecision(store: store, key: nil, now: 0, source: .cluster)
            metrics.rejected.increment()
            return eventLoop.makeSucceededFuture(decision)
        }
        let start = clock.nanoseconds()
        if let lease {
            return leaseDecision(lease, start: start, on: eventLoop)
        }
        let permission = breaker.withLock { $0.permission(now: start) }
        guard permission != .fallback else {
            return eventLoop.makeSucceededFuture(fallbackDecision(clientKey: clientKey, now: start))
        }
        var keys: [String] = []
        var bucketArguments: [String] = []
        if let clientKey, let clientArguments {
            keys.append(endpointArguments == nil ? "\(keyPrefix):\(clientKey)}" : "\(endpointKey):client:\(clientKey)")
            bucketArguments += [clientArguments.interval, clientArguments.tolerance]
        }
        if let endpointArguments {
            keys.append(endpointKey)
            bucketArguments += [endpointArguments.interval, endpointArguments.tolerance]
        }
        let bucketCount = keys.count
        return runScript(keys: keys, arguments: ["1", "1"] + bucketArguments, start: start, on: eventLoop)
            .flatMapThrowing { value in try GCRAScript.Reply(value, bucketCount: bucketCount) }
            .map { reply in
                self.recordRedis(success: true, permission: permission)
                let decision = self.decision(from: reply, hasClient: clientKey != nil && self.clientLimit != nil)
                self.finish(decision, start: start)
                return decision
            }
            .recover { error in
                self.recordRedis(success: false, permission: permission, error: error)
                let decision = self.fallbackDecision(clientKey: clientKey, now: self.clock.nanoseconds())
                self.finish(decision, start: start)
                return decision
            }
    }

    /// Removes idle buckets of the local fallback; run every `cleanup_period` like the local limiter's.
    @discardableResult
    public func evictIdle() -> Int {
        fallbackClients?.evictIdle(now: clock.nanoseconds()) ?? 0
    }

    /// `EVALSHA`, and on `NOSCRIPT` (Redis restarted, failed over or flushed its scripts) `EVAL` with the source,
    /// which also reloads it; both share one deadline.
    func runScript(
        keys: [String],
        arguments: [String],
        start: Int64,
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<RedisValue> {
        let tail = [String(keys.count)] + keys + arguments
        operations.wrappingAdd(1, ordering: .relaxed)
        metrics.redisOperations.increment()
        return pool.send(["EVALSHA", GCRAScript.sha1] + tail, on: eventLoop, timeout: .nanoseconds(timeout))
            .flatMap { value in
                guard case .error(let message) = value, message.hasPrefix("NOSCRIPT") else {
                    return eventLoop.makeSucceededFuture(value)
                }
                let left = self.timeout - (self.clock.nanoseconds() - start)
                guard left > 0 else { return eventLoop.makeFailedFuture(RedisError.timeout) }
                self.operations.wrappingAdd(1, ordering: .relaxed)
                self.metrics.redisOperations.increment()
                return self.pool.send(["EVAL", GCRAScript.source] + tail, on: eventLoop, timeout: .nanoseconds(left))
            }
    }

    func recordRedis(
        success: Bool,
        permission: RedisBreakerStateMachine.Permission,
        error: (any Error)? = nil
    ) {
        if !success { metrics.redisErrors.increment() }
        let now = clock.nanoseconds()
        let transition = breaker.withLock { $0.record(success: success, permission: permission, now: now) }
        switch transition {
        case .opened?:
            logger.warning(
                "redis rate limiter breaker opened; deciding locally",
                metadata: ["policy": "\(policy.rawValue)", "error": "\(error.map { "\($0)" } ?? "none")"]
            )
        case .closed?:
            logger.info("redis rate limiter breaker closed; deciding in the cluster again")
        case nil:
            break
        }
    }

    func breakerPermission(now: Int64) -> RedisBreakerStateMachine.Permission {
        breaker.withLock { $0.permission(now: now) }
    }

    func finish(_ decision: RateLimitDecision, start: Int64) {
        metrics.record(decision)
        metrics.decisionLatency.recordNanoseconds(clock.nanoseconds() - start)
    }

    private func decision(from reply: GCRAScript.Reply, hasClient: Bool) -> RateLimitDecision {
        // Bucket 1 is the client's when there is one; the endpoint's is last.
        var limits: [(BucketLimit, RateLimitDecision.Outcome)] = []
        if hasClient, let clientLimit { limits.append((clientLimit, .rejectedClient)) }
        if let endpointLimit { limits.append((endpointLimit, .rejectedEndpoint)) }
        guard reply.granted == 0 else {
            var tightest: RateLimitDecision?
            for (index, (limit, rejection)) in limits.enumerated() {
                let state = reply.buckets[index]
                let decision = RateLimitDecision(
                    BucketResult(
                        isAllowed: true,
                        remaining: state.remaining,
                        retryAfter: 0,
                        resetAfter: state.resetMicroseconds * 1_000
                    ),
                    limit: limit,
                    rejection: rejection,
                    source: .cluster
                )
                tightest = tightest.map { $0.tighter(than: decision) } ?? decision
            }
            return tightest ?? .unlimited(source: .cluster)
        }
        let index = max(reply.limitingBucket - 1, 0)
        guard index < limits.count else { return .unlimited(source: .cluster) }
        let (limit, rejection) = limits[index]
        return RateLimitDecision(
            BucketResult(
                isAllowed: false,
                remaining: reply.buckets[index].remaining,
                retryAfter: reply.retryMicroseconds * 1_000,
                resetAfter: reply.buckets[index].resetMicroseconds * 1_000
            ),
            limit: limit,
            rejection: rejection,
            source: .cluster
        )
    }

    /// The failure policy's decision; allocation-free.
    func fallbackDecision(clientKey: String?, now: Int64) -> RateLimitDecision {
        metrics.fallbackDecisions.increment()
        switch policy {
        case .allow:
            return .unlimited(source: .fallback)
        case .deny:
            let limit = endpointLimit ?? clientLimit ?? BucketLimit(maxRate: 1, capacity: 1)
            return RateLimitDecision(
                outcome: endpointLimit != nil ? .rejectedEndpoint : .rejectedClient,
                source: .fallback,
                limit: limit.quota,
                window: limit.every.nanosecondsClamped,
                remaining: 0,
                resetAfter: 1_000_000_000,
                retryAfter: 1_000_000_000
            )
        case .local:
            var decision: RateLimitDecision?
            if let fallbackClients {
                let client = EndpointRateLimiter.clientDecision(
                    store: fallbackClients,
                    key: clientKey,
                    now: now,
                    source: .fallback
                )
                guard client.isAllowed else { return client }
                decision = client
            }
            if let fallbackEndpoint {
                let endpoint = RateLimitDecision(
                    fallbackEndpoint.take(now: now),
                    limit: fallbackEndpoint.limit,
                    rejection: .rejectedEndpoint,
                    source: .fallback
                )
                decision = decision.map { $0.tighter(than: endpoint) } ?? endpoint
            }
            return decision ?? .unlimited(source: .fallback)
        }
    }
}
