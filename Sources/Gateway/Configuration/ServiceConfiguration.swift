/// The validated, typed form of a KrakenD `"version": 3` service file, built once at start-up.
///
/// ```json
/// {
///   "version": 3,
///   "name": "portico-demo",
///   "port": 8080,
///   "timeout": "3s",
///   "host": ["http://127.0.0.1:9001"],
///   "extra_config": { "router": { "return_error_msg": true } },
///   "endpoints": [ { "endpoint": "/users/{id}", "backend": [ { "url_pattern": "/users/{id}" } ] } ]
/// }
/// ```
///
/// Defaults (KrakenD's): `port` 8080, `listen_ip` all interfaces, `timeout` 2s, `output_encoding` `json`,
/// no `cache_ttl`, no default `host`.
public struct ServiceConfiguration: Sendable, Equatable {
    /// The file this configuration was read from, as given to the loader (for messages built after loading).
    public var fileName: String = "configuration"
    /// `name`: a label used in logs only.
    public var name: String?
    /// `port`: the listening port (default 8080).
    public var port: Int
    /// `listen_ip`: the address to bind (default `0.0.0.0`).
    public var listenAddress: String
    /// `host`: default backend hosts, used by every backend that declares none.
    public var host: [String]
    /// `timeout`: default endpoint timeout (default 2s).
    public var timeout: Duration
    /// `cache_ttl`: default `Cache-Control: public, max-age=N` for complete responses (none by default).
    public var cacheTTL: Duration?
    /// `output_encoding`: default endpoint output encoding (default `json`).
    public var outputEncoding: OutputEncoding
    /// Server-side connection limits and timeouts: KrakenD's service keys plus `portico/http`.
    public var server: ServerOptions
    /// `extra_config.router`: KrakenD router options.
    public var router: RouterOptions
    /// `extra_config["portico/http"]`: Portico-only data-path options.
    public var http: PorticoHTTPOptions
    /// `dns_cache_ttl` (default 30s, as Lura's `sd/dnssrv`): how often `"sd": "dns"` backends re-resolve.
    public var dnsCacheTTL: Duration = .seconds(30)
    /// `debug_endpoint` (default false; `portico run -d` turns it on): `/__debug/*` logs requests, answers pong.
    public var debugEndpoint = false
    /// `echo_endpoint` (default false): `/__echo/*` answers the request it received as JSON.
    public var echoEndpoint = false
    /// `extra_config["security/cors"]`: CORS, answered by the router before the route table (nil: no CORS).
    public var cors: CorsConfiguration?
    /// `endpoints`: in file order.
    public var endpoints: [EndpointConfiguration]
    /// `extra_config` at service level, every namespace as written (known and unknown).
    public var extraConfig: ExtraConfig
    /// Non-fatal findings (unknown namespaces, ignored keys), one line each, with their JSON path.
    public var warnings: [ConfigurationWarning]

    /// A service; every default is KrakenD's.
    public init(
        name: String? = nil,
        port: Int = 8080,
        listenAddress: String = "0.0.0.0",
        host: [String] = [],
        timeout: Duration = .seconds(2),
        cacheTTL: Duration? = nil,
        outputEncoding: OutputEncoding = .json,
        server: ServerOptions = .init(),
        router: RouterOptions = .init(),
        http: PorticoHTTPOptions = .init(),
        endpoints: [EndpointConfiguration] = [],
        extraConfig: ExtraConfig = .init(path: "extra_config"),
        warnings: [ConfigurationWarning] = []
    ) {
        self.name = name
        self.port = port
        self.listenAddress = listenAddress
        self.host = host
        self.timeout = timeout
        self.cacheTTL = cacheTTL
        self.outputEncoding = outputEncoding
        self.server = server
        self.router = router
        self.http = http
        self.endpoints = endpoints
        self.extraConfig = extraConfig
        self.warnings = warnings
    }
}

/// A non-fatal configuration finding, such as an `extra_config` namespace no stage handles.
public struct ConfigurationWarning: Sendable, Equatable, CustomStringConvertible {
    /// The JSON path the warning is about, e.g. `endpoints[0].extra_config["auth/signer"]`.
    public var path: String
    /// What was found, in words.
    public var message: String
    /// True for unknown `extra_config` namespaces, which `portico check --strict` turns into errors.
    public var isUnknownNamespace: Bool

    /// A warning about the value at `path`.
    public init(path: String, message: String, isUnknownNamespace: Bool = false) {
        self.path = path
        self.message = message
        self.isUnknownNamespace = isUnknownNamespace
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
