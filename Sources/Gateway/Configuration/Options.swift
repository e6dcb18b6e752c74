/// KrakenD's `extra_config.router` options that Portico implements (Lura's gin engine options).
///
/// ```json
/// "router": {
///   "health_path": "/__health", "disable_health": false, "disable_access_log": false,
///   "return_error_msg": false, "disable_redirect_trailing_slash": false, "disable_redirect_fixed_path": false,
///   "remove_extra_slash": false, "auto_options": false, "disable_handle_method_not_allowed": false,
///   "disable_path_decoding": false, "hide_version_header": false, "max_payload": 0,
///   "error_body": { "404": { "msg": "unknown endpoint" }, "405": { "msg": "method not allowed" } }
/// }
/// ```
///
/// Defaults are KrakenD's: trailing-slash and fixed-path (case-insensitive) redirects on, 405 with `Allow` on,
/// encoded path parameters rejected, the health check at `/__health`, gin's plain-text 404 and 405 bodies.
public struct RouterOptions: Sendable, Equatable {
    /// `health_path` (default `/__health`).
    public var healthPath: String
    /// `disable_health` (default false): no health endpoint at all.
    public var disableHealth: Bool
    /// `disable_access_log` (default false): no access-log line per request.
    public var disableAccessLog: Bool
    /// `return_error_msg` (default false): error responses carry the error text as `text/plain`.
    public var returnErrorMessage: Bool
    /// `disable_redirect_trailing_slash` (default false): no `/users/` ↔ `/users` redirect (301 GET, 307 others).
    public var disableRedirectTrailingSlash: Bool
    /// `disable_redirect_fixed_path` (default false): no case-insensitive, cleaned-path redirect (`/USERS` → `/users`).
    public var disableRedirectFixedPath: Bool
    /// `remove_extra_slash` (default false): route `//users///7` as `/users/7`.
    public var removeExtraSlash: Bool
    /// `auto_options` (default false): `OPTIONS` on any endpoint path answers 200 with `Allow`.
    public var autoOptions: Bool
    /// `disable_handle_method_not_allowed` (default false): a known path with another method answers 404, not 405.
    public var disableHandleMethodNotAllowed: Bool
    /// `disable_path_decoding` (default false): path parameters are not checked for encoded characters.
    public var disablePathDecoding: Bool
    /// `hide_version_header` (default false): `X-Portico: Version undefined` instead of the real version.
    public var hideVersionHeader: Bool
    /// `error_body["404"]`: a JSON body (compact text) for 404 instead of gin's `404 page not found`.
    public var notFoundBody: String?
    /// `error_body["405"]`: a JSON body (compact text) for 405 instead of gin's `405 method not allowed`.
    public var methodNotAllowedBody: String?
    /// `max_payload` (default none): request bodies larger answer 413 (the smaller of it and `max_body_bytes`).
    public var maxPayload: Int?
    /// `logger_skip_paths` (default none): request paths (exact, without the query) that get no access-log line.
    public var loggerSkipPaths: [String] = []

    /// Router options; every default is KrakenD's.
    public init(
        healthPath: String = "/__health",
        disableAccessLog: Bool = false,
        returnErrorMessage: Bool = false,
        disableHealth: Bool = false,
        disableRedirectTrailingSlash: Bool = false,
        disableRedirectFixedPath: Bool = false,
        removeExtraSlash: Bool = false,
        autoOptions: Bool = false,
        disableHandleMethodNotAllowed: Bool = false,
        disablePathDecoding: Bool = false,
        hideVersionHeader: Bool = false,
        notFoundBody: String? = nil,
        methodNotAllowedBody: String? = nil,
        maxPayload: Int? = nil
    ) {
        self.healthPath = healthPath
        self.disableAccessLog = disableAccessLog
        self.returnErrorMessage = returnErrorMessage
        self.disableHealth = disableHealth
        self.disableRedirectTrailingSlash = disableRedirectTrailingSlash
        self.disableRedirectFixedPath = disableRedirectFixedPath
        self.removeExtraSlash = removeExtraSlash
        self.autoOptions = autoOptions
        self.disableHandleMethodNotAllowed = disableHandleMethodNotAllowed
        self.disablePathDecoding = disablePathDecoding
        self.hideVersionHeader = hideVersionHeader
        self.notFoundBody = notFoundBody
        self.methodNotAllowedBody = methodNotAllowedBody
        self.maxPayload = maxPayload
    }
}

/// Server connection limits and timeouts: KrakenD's service-level keys with KrakenD's defaults.
///
/// ```json
/// { "version": 3, "read_timeout": "10s", "read_header_timeout": "2s", "write_timeout": "10s",
///   "idle_timeout": "60s", "max_header_bytes": 65536 }
/// ```
///
/// `read_timeout`, `write_timeout`, `idle_timeout`, `read_header_timeout` (durations; KrakenD's default `"0s"`
/// means none, and the loader turns `"0s"` into nil), and `max_header_bytes` (0 or absent: 1 MiB, Go's
/// `http.DefaultMaxHeaderBytes`; KrakenD's schema prints it as 1000000, but Go applies 1 << 20).
/// As in Go's `http.Server`, an unset `idle_timeout` falls back to `read_timeout` and an unset `read_header_timeout`
/// to `read_timeout`; where Go then has no bound, Portico closes idle keep-alive connections after 60s.
public struct ServerOptions: Sendable, Equatable {
    /// `read_timeout`: the whole request must arrive within it (nil: none).
    public var readTimeout: Duration?
    /// `write_timeout`: a response must be written within it (nil: none).
    public var writeTimeout: Duration?
    /// `idle_timeout`: keep-alive connections idle longer are closed (nil: `read_timeout`, else a 60s safety bound).
    public var idleTimeout: Duration?
    /// `read_header_timeout`: request headers must arrive within it (nil: `read_timeout`).
    public var readHeaderTimeout: Duration?
    /// `max_header_bytes`: a larger request head answers 431 (default 1 MiB).
    public var maxHeaderBytes: Int

    /// Server options; every default is KrakenD's (Go's `http.Server`).
    public init(
        readTimeout: Duration? = nil,
        writeTimeout: Duration? = nil,
        idleTimeout: Duration? = nil,
        readHeaderTimeout: Duration? = nil,
        maxHeaderBytes: Int = 1 << 20
    ) {
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
        self.idleTimeout = idleTimeout
        self.readHeaderTimeout = readHeaderTimeout
        self.maxHeaderBytes = maxHeaderBytes
    }
}

/// Portico-only data-path options, `extra_config["portico/http"]` at service level.
///
/// ```json
/// "portico/http": { "status_codes": "precise", "max_body_bytes": 10485760,
///                   "max_backend_response_bytes": 10485760, "backend_idle_timeout": "90s",
///                   "max_idle_connections_per_host": 250 }
/// ```
///
/// The loader requires sizes and counts to be positive integers and durations to be positive; unknown keys warn.
public struct PorticoHTTPOptions: Sendable, Equatable {
    /// `status_codes`: `krakend` (default: every failure is 500) or `precise` (502 / 503 / 504).
    public var statusCodes: StatusCodeMode
    /// `max_body_bytes`: larger request bodies answer 413 (default 10 MiB).
    public var maxBodyBytes: Int
    /// `max_backend_response_bytes`: a larger backend body is a backend failure (default 10 MiB).
    public var maxBackendResponseBytes: Int
    /// `backend_idle_timeout`: idle pooled backend connections are closed after it (default 90s, as Go's transport).
    public var backendIdleTimeout: Duration
    /// `max_idle_connections_per_host`: idle pooled connections kept per host and event loop (default 250, KrakenD's default).
    public var maxIdleConnectionsPerHost: Int
    /// `connect_timeout`: bound on opening a backend connection (default 3s; the endpoint timeout still applies).
    public var connectTimeout: Duration

    /// Portico data-path options with their defaults.
    public init(
        statusCodes: StatusCodeMode = .krakend,
        maxBodyBytes: Int = 10 << 20,
        maxBackendResponseBytes: Int = 10 << 20,
        backendIdleTimeout: Duration = .seconds(90),
        maxIdleConnectionsPerHost: Int = 250,
        connectTimeout: Duration = .seconds(3)
    ) {
        self.statusCodes = statusCodes
        self.maxBodyBytes = maxBodyBytes
        self.maxBackendResponseBytes = maxBackendResponseBytes
        self.backendIdleTimeout = backendIdleTimeout
        self.maxIdleConnectionsPerHost = maxIdleConnectionsPerHost
        self.connectTimeout = connectTimeout
    }
}

/// How failures map to status codes.
public enum StatusCodeMode: String, Sendable, CaseIterable {
    /// KrakenD's: a failed single backend, all backends failed or a timeout all answer 500.
    case krakend
    /// Portico's: 502 backend failure, 504 timeout, 503 open breaker or unavailable backend.
    case precise
}
