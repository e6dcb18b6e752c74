/// KrakenD CE's endpoint rate limit, `extra_config["qos/ratelimit/router"]`, with Portico's extensions.
///
/// ```json
/// "qos/ratelimit/router": {
///   "max_rate": 100, "capacity": 100, "every": "1s",
///   "client_max_rate": 10, "client_capacity": 10, "strategy": "ip",
///   "key": "X-Forwarded-For", "trusted_proxies": ["10.0.0.0/8"],
///   "num_shards": 2048, "cleanup_period": "1m", "max_keys_per_shard": 512,
///   "response_headers": "ietf"
/// }
/// ```
/// - `max_rate` (default 0: no endpoint-wide bucket): tokens per `every` for all clients together; empty → 503.
/// - `capacity` (default: the per-second rate, at least 1, as KrakenD): the endpoint bucket's burst.
/// - `client_max_rate` (default 0: no per-client buckets): tokens per `every` for each client; empty → 429.
/// - `client_capacity` (default: the per-second client rate, at least 1): each client's burst.
/// - `every` (default `1s`; as KrakenD CE, anything shorter than 1s counts as 1s): the refill window.
/// - `strategy` (`ip` | `header` | `param`; required with `client_max_rate`), `key` (header or param name; with
///   `ip`, a header holding the client address, read as KrakenD does: its first entry).
/// - `num_shards` (default 2048), `cleanup_period` (default `1m`, at least 1s), `cleanup_threads` (default 1,
///   accepted for compatibility; one sweeper is enough) tune per-client storage as in KrakenD.
/// - Portico: `trusted_proxies` (default none): CIDR ranges allowed to set the forwarding header; when set, the
///   header is honoured only from those peers and read from the right. `max_keys_per_shard` (default 512):
///   clients kept per shard. `response_headers` (`none` default, `ietf`, `legacy`, `both`): rate-limit headers.
public struct RouterRateLimitConfiguration: Decodable, Sendable, Hashable {
    /// The `extra_config` namespace.
    public static let namespace = "qos/ratelimit/router"

    /// `max_rate`: endpoint-wide tokens per `every`; 0 means no endpoint-wide limit.
    public var maxRate: Double
    /// `capacity`: endpoint-wide burst; nil or 0 means KrakenD's default.
    public var capacity: Int?
    /// `client_max_rate`: per-client tokens per `every`; 0 means no per-client limit.
    public var clientMaxRate: Double
    /// `client_capacity`: per-client burst; nil or 0 means KrakenD's default.
    public var clientCapacity: Int?
    /// `strategy`: `ip`, `header` or `param`.
    public var strategy: String?
    /// `key`: the header or parameter name.
    public var key: String?
    /// `every`: the refill window as written (default 1s).
    public var every: Duration
    /// `num_shards` (default 2048).
    public var numShards: Int
    /// `cleanup_period` (default 1m).
    public var cleanupPeriod: Duration
    /// `cleanup_threads` (default 1; accepted, not used).
    public var cleanupThreads: Int
    /// Portico `max_keys_per_shard` (default 512).
    public var maxKeysPerShard: Int
    /// Portico `trusted_proxies` (default empty).
    public var trustedProxies: [String]
    /// Portico `response_headers` (default `none`).
    public var responseHeaders: RateLimitHeaderStyle

    /// Creates a configuration with KrakenD's defaults for everything not given.
    public init(
        maxRate: Double = 0,
        capacity: Int? = nil,
        clientMaxRate: Double = 0,
        clientCapacity: Int? = nil,
        strategy: String? = nil,
        key: String? = nil,
        every: Duration = .seconds(1),
        numShards: Int = 2048,
        cleanupPeriod: Duration = .seconds(60),
        cleanupThreads: Int = 1,
        maxKeysPerShard: Int = 512,
        trustedProxies: [String] = [],
        responseHeaders: RateLimitHeaderStyle = .none
    ) {
        self.maxRate = maxRate
        self.capacity = capacity
        self.clientMaxRate = clientMaxRate
        self.clientCapacity = clientCapacity
        self.strategy = strategy
        self.key = key
        self.every = every
        self.numShards = numShards
        self.cleanupPeriod = cleanupPeriod
        self.cleanupThreads = cleanupThreads
        self.maxKeysPerShard = maxKeysPerShard
        self.trustedProxies = trustedProxies
        self.responseHeaders = responseHeaders
    }

    enum CodingKeys: String, CodingKey {
        case maxRate = "max_rate"
        case capacity
        case clientMaxRate = "client_max_rate"
        case clientCapacity = "client_capacity"
        case strategy
        case key
        case every
        case numShards = "num_shards"
        case cleanupPeriod = "cleanup_period"
        case cleanupThreads = "cleanup_threads"
        case maxKeysPerShard = "max_keys_per_shard"
        case trustedProxies = "trusted_proxies"
        case responseHeaders = "response_headers"
    }

    /// Decodes the namespace's object; durations are Go duration strings.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            maxRate: try container.decodeIfPresent(Double.self, forKey: .maxRate) ?? 0,
            capacity: try container.decodeIfPresent(Int.self, forKey: .capacity),
            clientMaxRate: try container.decodeIfPresent(Double.self, forKey: .clientMaxRate) ?? 0,
            clientCapacity: try container.decodeIfPresent(Int.self, forKey: .clientCapacity),
            strategy: try container.decodeIfPresent(String.self, forKey: .strategy),
            key: try container.decodeIfPresent(String.self, forKey: .key),
            every: try container.decodeGoDurationIfPresent(forKey: .every) ?? .seconds(1),
            numShards: try container.decodeIfPresent(Int.self, forKey: .numShards) ?? 2048,
            cleanupPeriod: try container.decodeGoDurationIfPresent(forKey: .cleanupPeriod) ?? .seconds(60),
            cleanupThreads: try container.decodeIfPresent(Int.self, forKey: .cleanupThreads) ?? 1,
            maxKeysPerShard: try container.decodeIfPresent(Int.self, forKey: .maxKeysPerShard) ?? 512,
            trustedProxies: try container.decodeIfPresent([String].self, forKey: .trustedProxies) ?? [],
            responseHeaders: try container.decodeIfPresent(RateLimitHeaderStyle.self, forKey: .responseHeaders)
                ?? .none
        )
    }

    /// Whether any bucket is configured; KrakenD adds no limiter when both rates are 0.
    public var isEnabled: Bool {
        maxRate > 0 || clientMaxRate > 0
    }

    /// The refill window in force: KrakenD CE treats anything below one second as one second.
    public var effectiveEvery: Duration {
        max(every, .seconds(1))
    }

    /// The endpoint-wide bucket, or nil when `max_rate` is 0.
    public var endpointLimit: BucketLimit? {
        guard maxRate > 0 else { return nil }
        return BucketLimit(
            maxRate: maxRate,
            every: effectiveEvery,
            capacity: RateLimitDefaults.capacity(capacity, maxRate: maxRate, every: effectiveEvery)
        )
    }

    /// The per-client bucket, or nil when `client_max_rate` is 0.
    public var clientLimit: BucketLimit? {
        guard clientMaxRate > 0 else { return nil }
        return BucketLimit(
            maxRate: clientMaxRate,
            every: effectiveEvery,
            capacity: RateLimitDefaults.capacity(clientCapacity, maxRate: clientMaxRate, every: effectiveEvery)
        )
    }

    /// The client key extractor, or nil when there is no per-client limit.
    /// - Throws: `RateLimitConfigurationError` for a bad `strategy`, `key` or `trusted_proxies`.
    public func makeKeyExtractor() throws(RateLimitConfigurationError) -> ClientKeyExtractor? {
        guard clientMaxRate > 0 else { return nil }
        let proxies = trustedProxies.isEmpty ? nil : try TrustedProxies(trustedProxies)
        return ClientKeyExtractor(
            strategy: try ClientKeyStrategy(strategy: strategy, key: key),
            trustedProxies: proxies
        )
    }

    /// The sweep period in force (at least one second, as KrakenD).
    public var effectiveCleanupPeriod: Duration {
        max(cleanupPeriod, .seconds(1))
    }

    /// Checks every value; the message names the key.
    /// - Throws: `RateLimitConfigurationError`.
    public func validate() throws(RateLimitConfigurationError) {
        try RateLimitDefaults.checkRate(maxRate, key: "max_rate")
        try RateLimitDefaults.checkRate(clientMaxRate, key: "client_max_rate")
        try RateLimitDefaults.checkEvery(effectiveEvery)
        try RateLimitDefaults.checkCapacity(capacity, key: "capacity")
        try RateLimitDefaults.checkCapacity(clientCapacity, key: "client_capacity")
        guard numShards >= 1, numShards <= 1 << 20 else {
            throw RateLimitConfigurationError("num_shards: must be between 1 and 1048576, got \(numShards)")
        }
        guard maxKeysPerShard >= 1 else {
            throw RateLimitConfigurationError("max_keys_per_shard: must be at least 1, got \(maxKeysPerShard)")
        }
        guard cleanupThreads >= 0 else {
            throw RateLimitConfigurationError("cleanup_threads: must not be negative, got \(cleanupThreads)")
        }
        _ = try makeKeyExtractor()
    }
}
