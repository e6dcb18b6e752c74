/// KrakenD Enterprise's service-level Redis pools, `extra_config["redis"]`.
///
/// ```json
/// "redis": {
///   "connection_pools": [
///     { "name": "shared_redis_pool", "address": "127.0.0.1:6379", "db": 0, "pool_size": 10,
///       "dial_timeout": "5s", "min_retry_backoff": "8ms", "max_retry_backoff": "512ms",
///       "operation_timeout": "100ms" }
///   ]
/// }
/// ```
/// Only `connection_pools` is implemented (no Redis Cluster `clusters`, no TLS: hiredis 0.14 has neither).
public struct RedisConfiguration: Decodable, Sendable, Hashable {
    /// The `extra_config` namespace.
    public static let namespace = "redis"

    /// `connection_pools` (default empty).
    public var connectionPools: [RedisConnectionPoolConfiguration]

    /// Creates a configuration.
    public init(connectionPools: [RedisConnectionPoolConfiguration]) {
        self.connectionPools = connectionPools
    }

    enum CodingKeys: String, CodingKey {
        case connectionPools = "connection_pools"
    }

    /// Decodes the namespace's object.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.connectionPools =
            try container.decodeIfPresent([RedisConnectionPoolConfiguration].self, forKey: .connectionPools) ?? []
    }

    /// The pool called `name`.
    public func pool(named name: String) -> RedisConnectionPoolConfiguration? {
        connectionPools.first { $0.name == name }
    }

    /// Checks every pool and that names are unique; the message names the pool's index and key.
    /// - Throws: `RateLimitConfigurationError`.
    public func validate() throws(RateLimitConfigurationError) {
        var seen: Set<String> = []
        for (index, pool) in connectionPools.enumerated() {
            do {
                try pool.validate()
            } catch {
                throw RateLimitConfigurationError("connection_pools[\(index)].\(error.message)")
            }
            guard seen.insert(pool.name).inserted else {
                throw RateLimitConfigurationError("connection_pools[\(index)].name: \"\(pool.name)\" is used twice")
            }
        }
    }
}
