/// How a per-client bucket identifies the client (KrakenD's `strategy` + `key`).
public enum ClientKeyStrategy: Sendable, Hashable {
    /// The client's IP address. With a header name (KrakenD's `key` under `strategy: "ip"`) the first address in
    /// that header is used when it parses as an IP, else the peer address.
    case ip(header: String?)
    /// The value of a request header, e.g. `Authorization` or `X-Tenant`.
    case header(String)
    /// The value of a route parameter, e.g. `id_user` for `/user/{id_user}`.
    case param(String)

    /// Builds the strategy from KrakenD's `strategy` and `key` values.
    /// - Throws: `RateLimitConfigurationError` for an unknown strategy or a missing `key` where one is needed.
    public init(strategy: String?, key: String?) throws(RateLimitConfigurationError) {
        let key = key.flatMap { $0.isEmpty ? nil : $0 }
        switch strategy?.lowercased() {
        case "ip":
            self = .ip(header: key)
        case "header":
            guard let key else { throw RateLimitConfigurationError("key: strategy \"header\" needs the header name") }
            self = .header(key)
        case "param":
            guard let key else { throw RateLimitConfigurationError("key: strategy \"param\" needs the parameter name") }
            self = .param(key)
        case nil:
            throw RateLimitConfigurationError(
                "strategy: client_max_rate needs a strategy (\"ip\", \"header\" or \"param\")"
            )
        case let other?:
            throw RateLimitConfigurationError(
                "strategy: expected \"ip\", \"header\" or \"param\", got \"\(other)\""
            )
        }
    }
}
