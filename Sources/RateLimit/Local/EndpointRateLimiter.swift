/// KrakenD CE's endpoint limiter (`qos/ratelimit/router`): an endpoint-wide bucket and per-client buckets.
///
/// Synchronous and allocation-free per decision for a client already tracked. The client bucket is checked
/// first and the endpoint bucket second, as KrakenD nests them, so a client refused with 429 does not spend an
/// endpoint-wide token.
public final class EndpointRateLimiter: Sendable {
    /// The configuration this limiter was built from.
    public let configuration: RouterRateLimitConfiguration
    /// Finds the client key of a request; nil when there is no per-client limit.
    public let keyExtractor: ClientKeyExtractor?
    /// Per-client buckets; nil when there is no per-client limit.
    public let clientBuckets: ClientBucketStore?
    /// The endpoint-wide bucket; nil when `max_rate` is 0.
    public let endpointBucket: LockedTokenBucket?
    /// The limiter's metrics.
    public let metrics: RateLimitMetrics
    private let clock: any RateLimitClock

    /// Builds the limiter; validates the configuration first.
    /// - Parameters:
    ///   - configuration: the decoded namespace.
    ///   - name: names the limiter in metrics (e.g. the endpoint path).
    ///   - clock: time source; tests pass a `ManualRateLimitClock`.
    /// - Throws: `RateLimitConfigurationError`.
    public init(
        configuration: RouterRateLimitConfiguration,
        name: String,
        clock: any RateLimitClock = SystemRateLimitClock()
    ) throws(RateLimitConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        self.keyExtractor = try configuration.makeKeyExtractor()
        self.clientBuckets = configuration.clientLimit.map {
            ClientBucketStore(
                limit: $0,
                shardCount: configuration.numShards,
                maxKeysPerShard: configuration.maxKeysPerShard
            )
        }
        self.endpointBucket = configuration.endpointLimit.map { LockedTokenBucket(limit: $0) }
        self.metrics = RateLimitMetrics(limiter: name)
        self.clock = clock
    }

    /// Whether `decide` needs a client key.
    public var needsClientKey: Bool { clientBuckets != nil }

    /// The request's client key (see `ClientKeyExtractor.extract`); nil without a per-client limit.
    public func clientKey(
        remoteAddress: String?,
        header: (String) -> String?,
        param: (String) -> String?
    ) -> String? {
        keyExtractor?.extract(remoteAddress: remoteAddress, header: header, param: param)
    }

    /// Decides one request. Allocation-free unless the client key is new (then its bucket is stored).
    /// - Parameter clientKey: the request's client key; nil when it has none (refused with 429, as KrakenD).
    public func decide(clientKey: String?) -> RateLimitDecision {
        let now = clock.nanoseconds()
        var decision: RateLimitDecision?
        if let clientBuckets {
            let clientDecision = Self.clientDecision(store: clientBuckets, key: clientKey, now: now, source: .local)
            guard clientDecision.isAllowed else {
                metrics.rejected.increment()
                return clientDecision
            }
            decision = clientDecision
        }
        if let endpointBucket {
            let result = endpointBucket.take(now: now)
            let endpointDecision = RateLimitDecision(
                result,
                limit: endpointBucket.limit,
                rejection: .rejectedEndpoint,
                source: .local
            )
            decision = decision.map { $0.tighter(than: endpointDecision) } ?? endpointDecision
        }
        let final = decision ?? .unlimited(source: .local)
        metrics.record(final)
        return final
    }

    /// Removes idle client buckets; run every `cleanup_period` by the gateway's service.
    @discardableResult
    public func evictIdle() -> Int {
        clientBuckets?.evictIdle(now: clock.nanoseconds()) ?? 0
    }

    /// Runs `evictIdle` every `cleanup_period` until the task is cancelled (for the gateway's service).
    public func runEviction() async {
        guard clientBuckets != nil else { return }
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: configuration.effectiveCleanupPeriod)
            } catch {
                return
            }
            evictIdle()
        }
    }

    /// A client-bucket decision, shared with the cluster limiter's local fallback.
    static func clientDecision(
        store: ClientBucketStore,
        key: String?,
        now: Int64,
        source: RateLimitDecision.Source
    ) -> RateLimitDecision {
        guard let key else {
            return rejection(limit: store.limit, retryAfter: store.limit.interval, source: source)
        }
        switch store.take(key: key, now: now) {
        case .bucket(let result):
            return RateLimitDecision(result, limit: store.limit, rejection: .rejectedClient, source: source)
        case .tableFull:
            // Idle entries free up within one refill of the tightest tracked bucket; a second is a fair hint.
            return rejection(limit: store.limit, retryAfter: 1_000_000_000, source: source)
        }
    }

    private static func rejection(
        limit: BucketLimit,
        retryAfter: Int64,
        source: RateLimitDecision.Source
    ) -> RateLimitDecision {
        RateLimitDecision(
            outcome: .rejectedClient,
            source: source,
            limit: limit.quota,
            window: limit.every.nanosecondsClamped,
            remaining: 0,
            resetAfter: retryAfter,
            retryAfter: retryAfter
        )
    }
}
