/// One entry of `redis.connection_pools`: a named set of pipelined connections to one Redis.
///
/// ```json
/// { "name": "ratelimit_counters", "address": "127.0.0.1:6379", "db": 2, "password": "s3cret",
///   "user_name": "gateway", "client_name": "portico", "pool_size": 4, "dial_timeout": "5s",
///   "min_retry_backoff": "8ms", "max_retry_backoff": "512ms", "operation_timeout": "100ms" }
/// ```
/// - `name`, `address` (`host:port`): required.
/// - `db` (alias `database`, default 0), `password`, `user_name`, `client_name` (default none).
/// - `pool_size` (default 10, as KrakenD; 0 means 10): connections; every one pipelines many requests.
/// - `dial_timeout` (default `5s`): bound on opening a connection (never on the request path: requests made
///   while no connection is up fail at once and the failure policy decides).
/// - `min_retry_backoff` / `max_retry_backoff` (defaults `8ms` / `512ms`, KrakenD's): reconnect backoff bounds.
/// - Portico `operation_timeout` (default `100ms`): bound on every Redis operation, and so on the time a request
///   waits for a cluster decision.
public struct RedisConnectionPoolConfiguration: Decodable, Sendable, Hashable {
    /// `name`.
    public var name: String
    /// `address`, `host:port`.
    public var address: String
    /// `db` (default 0).
    public var database: Int
    /// `password` (default none).
    public var password: String?
    /// `user_name` (default none).
    public var userName: String?
    /// `client_name` (default none).
    public var clientName: String?
    /// `pool_size` (default 10).
    public var poolSize: Int
    /// `dial_timeout` (default 5s).
    public var dialTimeout: Duration
    /// `min_retry_backoff` (default 8ms).
    public var minRetryBackoff: Duration
    /// `max_retry_backoff` (default 512ms).
    public var maxRetryBackoff: Duration
    /// Portico `operation_timeout` (default 100ms).
    public var operationTimeout: Duration

    /// Creates a pool configuration with KrakenD's defaults for everything not given.
    public init(
        name: String,
        address: String,
        database: Int = 0,
        password: String? = nil,
        userName: String? = nil,
        clientName: String? = nil,
        poolSize: Int = 10,
        dialTimeout: Duration = .seconds(5),
        minRetryBackoff: Duration = .milliseconds(8),
        maxRetryBackoff: Duration = .milliseconds(512),
        operationTimeout: Duration = .milliseconds(100)
    ) {
        self.name = name
        self.address = address
        self.database = database
        self.password = password
        self.userName = userName
        self.clientName = clientName
        self.poolSize = poolSize
        self.dialTimeout = dialTimeout
        self.minRetryBackoff = minRetryBackoff
        self.maxRetryBackoff = maxRetryBackoff
        self.operationTimeout = operationTimeout
    }

    enum CodingKeys: String, CodingKey {
        case name
        case address
        case db
        case database
        case password
        case userName = "user_name"
        case clientName = "client_name"
        case poolSize = "pool_size"
        case dialTimeout = "dial_timeout"
        case minRetryBackoff = "min_retry_backoff"
        case maxRetryBackoff = "max_retry_backoff"
        case operationTimeout = "operation_timeout"
    }

    /// Decodes one pool object.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let poolSize = try container.decodeIfPresent(Int.self, forKey: .poolSize) ?? 10
        self.init(
            name: try container.decode(String.self, forKey: .name),
            address: try container.decode(String.self, forKey: .address),
            database: try container.decodeIfPresent(Int.self, forKey: .db)
                ?? container.decodeIfPresent(Int.self, forKey: .database) ?? 0,
            password: try container.decodeIfPresent(String.self, forKey: .password),
            userName: try container.decodeIfPresent(String.self, forKey: .userName),
            clientName: try container.decodeIfPresent(String.self, forKey: .clientName),
            poolSize: poolSize == 0 ? 10 : poolSize,
            dialTimeout: try container.decodeGoDurationIfPresent(forKey: .dialTimeout) ?? .seconds(5),
            minRetryBackoff: try container.decodeGoDurationIfPresent(forKey: .minRetryBackoff) ?? .milliseconds(8),
            maxRetryBackoff: try container.decodeGoDurationIfPresent(forKey: .maxRetryBackoff)
                ?? .milliseconds(512),
            operationTimeout: try container.decodeGoDurationIfPresent(forKey: .operationTimeout)
                ?? .milliseconds(100)
        )
    }

    /// `address` split into host and port.
    /// - Throws: `RateLimitConfigurationError` when it is not `host:port`.
    public func hostAndPort() throws(RateLimitConfigurationError) -> (host: String, port: Int) {
        var host = Substring(address)
        guard let colon = host.lastIndex(of: ":"), let port = Int(host[host.index(after: colon)...]),
            (1...65_535).contains(port)
        else {
            throw RateLimitConfigurationError("address: expected host:port, got \"\(address)\"")
        }
        host = host[..<colon]
        if host.hasPrefix("[") && host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty else { throw RateLimitConfigurationError("address: missing host in \"\(address)\"") }
        return (String(host), port)
    }

    /// Checks every value; the message names the key.
    /// - Throws: `RateLimitConfigurationError`.
    public func validate() throws(RateLimitConfigurationError) {
        guard !name.isEmpty else { throw RateLimitConfigurationError("name: must not be empty") }
        _ = try hostAndPort()
        guard database >= 0 else { throw RateLimitConfigurationError("db: must not be negative, got \(database)") }
        guard poolSize >= 1, poolSize <= 1_024 else {
            throw RateLimitConfigurationError("pool_size: must be between 1 and 1024, got \(poolSize)")
        }
        guard operationTimeout > .zero else { throw RateLimitConfigurationError("operation_timeout: must be above 0") }
        guard dialTimeout > .zero else { throw RateLimitConfigurationError("dial_timeout: must be above 0") }
        guard minRetryBackoff > .zero, maxRetryBackoff >= minRetryBackoff else {
            throw RateLimitConfigurationError(
                "max_retry_backoff: must be at least min_retry_backoff, and both above 0"
            )
        }
    }
}
