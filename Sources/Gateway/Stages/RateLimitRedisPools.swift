import Logging
import NIOCore
import RateLimit
import Synchronization

/// The service's `extra_config.redis.connection_pools[]`, decoded and validated once per gateway, and one started
/// `RedisConnectionPool` per pool name, made on first use and shared by every limiter naming it.
///
/// ```json
/// "extra_config": { "redis": { "connection_pools": [
///   { "name": "shared_redis_pool", "address": "127.0.0.1:6379", "pool_size": 4, "operation_timeout": "100ms" } ] } }
/// ```
/// Defaults are `RedisConnectionPoolConfiguration`'s (KrakenD's): `db` 0, `pool_size` 10, `dial_timeout` 5s,
/// backoff 8ms–512ms, Portico's `operation_timeout` 100ms. A pool is shared under the resource key
/// `redis-pool:NAME`; start-up waits (at most `dial_timeout`, capped at 2s) for its first connection so the first
/// requests are decided in the cluster, but never fails because Redis is down (the failure policy decides then);
/// shutdown closes it.
final class RateLimitRedisPools: Sendable {
    /// The decoded namespace; nil when the service has none or it is invalid.
    let configuration: RedisConfiguration?
    /// Why the namespace is invalid, if it is.
    let failure: ConfigurationError?
    private let isReported = Atomic<Bool>(false)

    private init(service: ServiceConfiguration) {
        let path = service.extraConfig.path(of: RedisConfiguration.namespace)
        do {
            let decoded = try service.extraConfig.decode(
                RedisConfiguration.self,
                namespace: RedisConfiguration.namespace
            )
            try decoded?.validate()
            self.configuration = decoded
            self.failure = nil
        } catch {
            self.configuration = nil
            self.failure = ConfigValueDecoder(file: service.fileName, basePath: path).configurationError(from: error)
        }
    }

    /// The gateway's one instance.
    static func shared(_ context: StageContext) throws -> RateLimitRedisPools {
        try context.resources.shared("redis-config") { RateLimitRedisPools(service: context.service) }
    }

    /// Throws the namespace's problem to the first caller only, so start-up reports it once, not per endpoint.
    func reportFailure() throws {
        guard let failure else { return }
        if isReported.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged {
            throw failure
        }
    }

    /// The started pool called `name`, or nil when the `redis` namespace is invalid (reported elsewhere).
    /// - Throws: `ConfigurationError` at `connection_name` when no pool has that name.
    func pool(named name: String, for context: StageContext) throws -> RedisConnectionPool? {
        guard failure == nil else {
            try reportFailure()
            return nil
        }
        guard let poolConfiguration = configuration?.pool(named: name) else {
            let known = configuration?.connectionPools.map { "\"\($0.name)\"" }.joined(separator: ", ") ?? ""
            throw ConfigurationError(
                file: context.service.fileName,
                path: context.path + ".connection_name",
                message: "no redis.connection_pools entry is named \"\(name)\""
                    + (known.isEmpty ? "; the service declares no pools" : "; expected one of \(known)")
            )
        }
        let resources = context.resources
        let logger = context.logger
        return try resources.shared("redis-pool:\(name)") {
            let pool: RedisConnectionPool
            do {
                pool = try RedisConnectionPool(
                    configuration: poolConfiguration,
                    group: resources.eventLoopGroup,
                    logger: logger
                )
            } catch {
                throw ConfigurationError(
                    file: context.service.fileName,
                    path: context.service.extraConfig.path(of: RedisConfiguration.namespace),
                    message: "\(error)"
                )
            }
            let wait = min(poolConfiguration.dialTimeout, .seconds(2))
            resources.addStartupTask {
                let loop = resources.eventLoopGroup.next()
                do {
                    try await pool.waitForConnections(1, on: loop, timeout: wait).get()
                } catch {
                    logger.warning(
                        "redis pool \(name) is not connected yet; rate limits use their failure policy until it is",
                        metadata: ["address": "\(poolConfiguration.address)"]
                    )
                }
            }
            resources.addShutdownTask { try? await pool.shutdown().get() }
            return pool
        }
    }
}
