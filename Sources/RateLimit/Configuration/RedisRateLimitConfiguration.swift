/// KrakenD Enterprise's cluster-wide rate limit, `qos/ratelimit/router/redis` (endpoint) and
/// `qos/ratelimit/service/redis` (service), with Portico's failure policy and lease mode.
///
/// ```json
/// "qos/ratelimit/router/redis": {
///   "connection_name": "shared_redis_pool",
///   "max_rate": 100, "capacity": 100, "every": "1s",
///   "client_max_rate": 10, "client_capacity": 10, "strategy": "header", "key": "Authorization",
///   "on_failure_allow": false,
///   "failure_policy": "local", "expected_instances": 3,
///   "lease_tokens": 0, "lease_duration": "50ms",
///   "trusted_proxies": [], "response_headers": "ietf"
/// }
/// ```
/// - `connection_name` (required; `connection_pool` is KrakenD's deprecated alias): a `redis.connection_pools`
///   entry.
/// - `max_rate`, `capacity`, `client_max_rate`, `client_capacity`, `every` (default `1s`), `strategy`, `key`:
///   as in `qos/ratelimit/router`, but counted in Redis across every instance.
/// - `on_failure_allow` (default false, KrakenD's): with Redis failing, allow (true) or refuse (false).
/// - Portico `failure_policy` (`allow` | `deny` | `local`; default from `on_failure_allow`): `local` falls back to
///   an in-process bucket of `limit / expected_instances`. KrakenD's deny stays the default because it is the
///   only policy that can never over-admit; `local` is the better choice when the instance count is known, as
///   the cluster then admits about its limit while Redis is down.
/// - Portico `expected_instances` (default 1): the divisor for `local`.
/// - Portico `lease_tokens` (default 0: off): take this many endpoint-wide tokens per Redis call and spend them
///   locally for at most `lease_duration` (default `50ms`). Redis keeps `rate × lease_duration` tokens of the
///   burst in reserve so the cluster still never admits more than `capacity + rate·t`; unused leased tokens
///   lapse (slight under-admission). Endpoint-wide limits only: not combined with `client_max_rate`.
public struct RedisRateLimitConfiguration: Decodable, Sendable, Hashable {
    /// The endpoint namespace.
    public static let namespace = "qos/ratelimit/router/redis"
    /// The service namespace (same keys, one limiter for every endpoint).
    public static let serviceNamespace = "qos/ratelimit/service/redis"

    /// `connection_name` (or `connection_pool`).
    public var connectionName: String
    /// `max_rate` (default 0: no endpoint-wide bucket).
    public var maxRate: Double
    /// `capacity`; nil or 0 means KrakenD's default.
    public var capacity: Int?
    /// `client_max_rate` (default 0: no per-client buckets).
    public var clientMaxRate: Double
    /// `client_capacity`; nil or 0 means KrakenD's default.
    public var clientCapacity: Int?
    /// `strategy`.
    public var strategy: String?
    /// `key`.
    public var key: String?
    /// `every` (default 1s).
    public var every: Duration
    /// `on_failure_allow` (default false).
    public var onFailureAllow: Bool
    /// Portico `failure_policy` (default: from `on_failure_allow`).
    public var failurePolicy: RedisFailurePolicy?
    /// Portico `expected_instances` (default 1).
    public var expectedInstances: Int
    /// Portico `lease_tokens` (default 0).
    public var leaseTokens: Int
    /// Portico `lease_duration` (default 50ms).
    public var leaseDuration: Duration
    /// Portico `trusted_proxies` (default empty).
    public var trustedProxies: [String]
    /// Portico `response_headers` (default `none`).
    public var responseHeaders: RateLimitHeaderStyle

    /// Creates a configuration with the defaults above for everything not given.
    public init(
        connectionName: String,
        maxRate: Double = 0,
        capacity: Int? = nil,
        clientMaxRate: Double = 0,
        clientCapacity: Int? = nil,
        strategy: String? = nil,
        key: String? = nil,
        every: Duration = .seconds(1),
        onFailureAllow: Bool = false,
        failurePolicy: RedisFailurePolicy? = nil,
        expectedInstances: Int = 1,
        leaseTokens: Int = 0,
        leaseDuration: Duration = .milliseconds(50),
        trustedProxies: [String] = [],
        responseHeaders: RateLimitHeaderStyle = .none
    ) {
        self.connectionName = connectionName
        self.maxRate = maxRate
        self.capacity = capacity
        self.clientMaxRate = clientMaxRate
        self.clientCapacity = clientCapacity
        self.strategy = strategy
        self.key = key
        self.every = every
        self.onFailureAllow = onFailureAllow
        self.failurePolicy = failurePolicy
        self.expectedInstances = expectedInstances
        self.leaseTokens = leaseTokens
        self.leaseDuration = leaseDuration
        self.trustedProxies = trustedProxies
        self.responseHeaders = responseHeaders
    }

    enum CodingKeys: String, CodingKey {
        case connectionName = "connection_name"
        case connectionPool = "connection_pool"
        case maxRate = "max_rate"
        case capacity
        case clientMaxRate = "client_max_rate"
        case clientCapacity = "client_capacity"
        case strategy
        case key
        case every
        case onFailureAllow = "on_failure_allow"
        case failurePolicy = "failure_policy"
        case expectedInstances = "expected_instances"
        case leaseTokens = "lease_tokens"
        case leaseDuration = "lease_duration"
        case trustedProxies = "trusted_proxies"
        case responseHeaders = "response_headers"
    }

    /// Decodes the namespace's object.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard
            let connection = try container.decodeIfPresent(String.self, forKey: .connectionName)
                ?? container.decodeIfPresent(String.self, forKey: .connectionPool)
        else {
            throw DecodingError.keyNotFound(
                CodingKeys.connectionName,
                DecodingError.Context(
                    codingPath: container.codingPath,
                    debugDescription: "connection_name is required: the name of a redis.connection_pools entry"
                )
            )
        }
        self.init(
            connectionName: connection,
            maxRate: try container.decodeIfPresent(Double.self, forKey: .maxRate) ?? 0,
            capacity: try container.decodeIfPresent(Int.self, forKey: .capacity),
            clientMaxRate: try container.decodeIfPresent(Double.self, forKey: .clientMaxRate) ?? 0,
            clientCapacity: try container.decodeIfPresent(Int.self, forKey: .clientCapacity),
            strategy: try container.decodeIfPresent(String.self, forKey: .strategy),
            key: try container.decodeIfPresent(String.self, forKey: .key),
            every: try container.decodeGoDurationIfPresent(forKey: .every) ?? .seconds(1),
            onFailureAllow: try container.decodeIfPresent(Bool.self, forKey: .onFailureAllow) ?? false,
            failurePolicy: try container.decodeIfPresent(RedisFailurePolicy.self, forKey: .failurePolicy),
            expectedInstances: try container.decodeIfPresent(Int.self, forKey: .expectedInstances) ?? 1,
            leaseTokens: try container.decodeIfPresent(Int.self, forKey: .leaseTokens) ?? 0,
            leaseDuration: try container.decodeGoDurationIfPresent(forKey: .leaseDuration) ?? .milliseconds(50),
            trustedProxies: try container.decodeIfPresent([String].self, forKey: .trustedProxies) ?? [],
            responseHeaders: try container.decodeIfPresent(RateLimitHeaderStyle.self, forKey: .responseHeaders)
                ?? .none
        )
    }

    /// The policy in force: `failure_policy`, else KrakenD's `on_failure_allow`.
    public var effectiveFailurePolicy: RedisFailurePolicy {
        failurePolicy ?? (onFailureAllow ? .allow : .deny)
    }

    /// The endpoint-wide bucket, or nil when `max_rate` is 0.
    public var endpointLimit: BucketLimit? {
        guard maxRate > 0 else { return nil }
        return BucketLimit(
            maxRate: maxRate,
            every: every,
            capacity: RateLimitDefaults.capacity(capacity, maxRate: maxRate, every: every)
        )
    }

    /// The per-client bucket, or nil when `client_max_rate` is 0.
    public var clientLimit: BucketLimit? {
        guard clientMaxRate > 0 else { return nil }
        return BucketLimit(
            maxRate: clientMaxRate,
            every: every,
            capacity: RateLimitDefaults.capacity(clientCapacity, maxRate: clientMaxRate, every: every)
        )
    }

    /// Whether lease mode is on.
    public var usesLeases: Bool { leaseTokens > 0 }

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

    /// Checks every value; the message names the key.
    /// - Throws: `RateLimitConfigurationError`.
    public func validate() throws(RateLimitConfigurationError) {
        guard !connectionName.isEmpty else { throw RateLimitConfigurationError("connection_name: must not be empty") }
        try RateLimitDefaults.checkRate(maxRate, key: "max_rate")
        try RateLimitDefaults.checkRate(clientMaxRate, key: "client_max_rate")
        guard maxRate > 0 || clientMaxRate > 0 else {
            throw RateLimitConfigurationError("max_rate: set max_rate or client_max_rate above 0")
        }
        try RateLimitDefaults.checkCapacity(capacity, key: "capacity")
        try RateLimitDefaults.checkCapacity(clientCapacity, key: "client_capacity")
        try RateLimitDefaults.checkEvery(every)
        guard expectedInstances >= 1 else {
            throw RateLimitConfigurationError("expected_instances: must be at least 1, got \(expectedInstances)")
        }
        _ = try makeKeyExtractor()
        guard leaseTokens >= 0 else {
            throw RateLimitConfigurationError("lease_tokens: must not be negative, got \(leaseTokens)")
        }
        if usesLeases {
            guard clientMaxRate == 0 else {
                throw RateLimitConfigurationError("lease_tokens: leases apply to max_rate only, not client_max_rate")
            }
            guard leaseDuration > .zero else {
                throw RateLimitConfigurationError("lease_duration: must be above 0 with lease_tokens")
            }
            if let limit = endpointLimit {
                let reserve = leaseDuration.nanosecondsClamped
                let usable = limit.tolerance - reserve
                guard usable / limit.interval >= Int64(leaseTokens) else {
                    throw RateLimitConfigurationError(
                        "lease_tokens: capacity \(limit.capacity) minus the tokens refilled during lease_duration "
                            + "must hold at least \(leaseTokens) tokens"
                    )
                }
            }
        }
    }
}

/// What a cluster limiter decides while Redis is failing or its breaker is open.
public enum RedisFailurePolicy: String, Sendable, Hashable, Decodable, CaseIterable {
    /// Let every request through (KrakenD's `on_failure_allow: true`).
    case allow
    /// Refuse every request (KrakenD's default).
    case deny
    /// Decide with an in-process bucket of `limit / expected_instances`.
    case local
}
