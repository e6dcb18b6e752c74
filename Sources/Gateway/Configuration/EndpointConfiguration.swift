/// One entry of `endpoints[]`: a route and the backends behind it.
///
/// ```json
/// { "endpoint": "/users/{id}", "method": "GET", "timeout": "800ms",
///   "input_headers": ["Authorization"], "input_query_strings": ["page"],
///   "backend": [ { "url_pattern": "/users/{id}" } ] }
/// ```
///
/// Defaults: `method` GET; `timeout`, `cache_ttl` and `output_encoding` from the service;
/// `input_headers` only `Content-Type`;
/// `input_query_strings` none; `concurrent_calls` 1.
public struct EndpointConfiguration: Sendable, Equatable {
    /// `endpoint`: the route template, e.g. `/users/{id}` or `/static/*`.
    public var path: String
    /// `method`: upper-case HTTP method (default `GET`).
    public var method: String
    /// `backend`: at least one.
    public var backends: [BackendConfiguration]
    /// `timeout`: bounds the whole request (default: the service's).
    public var timeout: Duration
    /// `cache_ttl`: `Cache-Control` max-age for complete responses (default: the service's).
    public var cacheTTL: Duration?
    /// `output_encoding` (default: the service's).
    public var outputEncoding: OutputEncoding
    /// `input_headers`: client headers forwarded to backends; `["*"]` forwards all.
    public var inputHeaders: HeaderSelection
    /// `input_query_strings`: query parameters forwarded to backends; `["*"]` forwards all.
    public var inputQueryStrings: HeaderSelection
    /// `concurrent_calls` (default 1).
    public var concurrentCalls: Int
    /// `extra_config` of this endpoint, every namespace as written.
    public var extraConfig: ExtraConfig
    /// Where this endpoint sits in the file, e.g. `endpoints[3]`, for messages built later.
    public var jsonPath: String

    /// An endpoint; the loader fills `timeout`, `cacheTTL` and `outputEncoding` from the service.
    public init(
        path: String,
        method: String = "GET",
        backends: [BackendConfiguration],
        timeout: Duration = .seconds(2),
        cacheTTL: Duration? = nil,
        outputEncoding: OutputEncoding = .json,
        inputHeaders: HeaderSelection = .default,
        inputQueryStrings: HeaderSelection = .none,
        concurrentCalls: Int = 1,
        extraConfig: ExtraConfig? = nil,
        jsonPath: String = "endpoints[0]"
    ) {
        self.path = path
        self.method = method
        self.backends = backends
        self.timeout = timeout
        self.cacheTTL = cacheTTL
        self.outputEncoding = outputEncoding
        self.inputHeaders = inputHeaders
        self.inputQueryStrings = inputQueryStrings
        self.concurrentCalls = concurrentCalls
        self.extraConfig = extraConfig ?? ExtraConfig(path: jsonPath + ".extra_config")
        self.jsonPath = jsonPath
    }
}

/// Which client headers or query parameters reach the backends.
public enum HeaderSelection: Sendable, Equatable {
    /// Nothing (the default for query strings).
    case none
    /// Only these names (headers compare case-insensitively, query names exactly).
    case only([String])
    /// `["*"]`: everything the client sent.
    case all

    /// The default for `input_headers`: only `Content-Type`.
    public static let `default`: HeaderSelection = .only(["Content-Type"])
}
