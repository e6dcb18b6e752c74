/// KrakenD CE's backend rate limit, `extra_config["qos/ratelimit/proxy"]` on a backend.
///
/// ```json
/// "qos/ratelimit/proxy": { "max_rate": 100, "capacity": 100, "every": "1s" }
/// ```
/// - `max_rate` (0 or absent: no limiter, as KrakenD): requests to this backend per `every`.
/// - `capacity` (default: the per-second rate, at least 1, as KrakenD): the burst.
/// - `every` (default `1s`): the refill window (no one-second floor here, as KrakenD's proxy limiter).
public struct ProxyRateLimitConfiguration: Decodable, Sendable, Hashable {
    /// The `extra_config` namespace.
    public static let namespace = "qos/ratelimit/proxy"

    /// `max_rate`.
    public var maxRate: Double
    /// `capacity`; nil or 0 means KrakenD's default.
    public var capacity: Int?
    /// `every` (default 1s).
    public var every: Duration

    /// Creates a configuration.
    public init(maxRate: Double, capacity: Int? = nil, every: Duration = .seconds(1)) {
        self.maxRate = maxRate
        self.capacity = capacity
        self.every = every
    }

    enum CodingKeys: String, CodingKey {
        case maxRate = "max_rate"
        case capacity
        case every
    }

    /// Decodes the namespace's object.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            maxRate: try container.decodeIfPresent(Double.self, forKey: .maxRate) ?? 0,
            capacity: try container.decodeIfPresent(Int.self, forKey: .capacity),
            every: try container.decodeGoDurationIfPresent(forKey: .every) ?? .seconds(1)
        )
    }

    /// The backend's bucket, or nil when `max_rate` is 0 (KrakenD adds no limiter then).
    public var limit: BucketLimit? {
        guard maxRate > 0 else { return nil }
        return BucketLimit(
            maxRate: maxRate,
            every: every,
            capacity: RateLimitDefaults.capacity(capacity, maxRate: maxRate, every: every)
        )
    }

    /// Checks every value; the message names the key.
    /// - Throws: `RateLimitConfigurationError`.
    public func validate() throws(RateLimitConfigurationError) {
        try RateLimitDefaults.checkRate(maxRate, key: "max_rate")
        try RateLimitDefaults.checkCapacity(capacity, key: "capacity")
        try RateLimitDefaults.checkEvery(every)
    }
}
