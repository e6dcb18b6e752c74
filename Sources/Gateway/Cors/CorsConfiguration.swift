/// KrakenD's `security/cors` namespace (service level), as krakend-cors hands it to rs/cors v1.11.
///
/// ```json
/// "security/cors": {
///   "allow_origins": ["https://app.example.com", "https://*.example.com"],
///   "allow_methods": ["GET", "HEAD", "POST"],
///   "allow_headers": ["Authorization", "Content-Type"],
///   "expose_headers": ["Content-Length", "X-Request-Id"],
///   "max_age": "12h",
///   "allow_credentials": false,
///   "allow_private_network": false,
///   "options_passthrough": false,
///   "options_success_status": 204,
///   "debug": false
/// }
/// ```
///
/// Defaults (rs/cors's): every origin (`*`); methods `GET`, `POST`, `HEAD`; request headers `Accept`,
/// `Content-Type`, `X-Requested-With`; nothing exposed; no `Access-Control-Max-Age`; no credentials; no private
/// network access; preflights answered by the gateway with 204. Origin entries are matched case-insensitively and may
/// hold one `*` standing for any run of characters (`https://*.example.com`); a lone `*` allows every origin.
public struct CorsConfiguration: Sendable, Equatable {
    /// The namespace string.
    public static let namespace = "security/cors"

    /// `allow_origins`: allowed origins (empty or containing `*`: all).
    public var allowOrigins: [String]
    /// `allow_methods`: methods allowed cross-origin (empty: `GET`, `POST`, `HEAD`); compared case-sensitively.
    public var allowMethods: [String]
    /// `allow_headers`: request headers allowed (empty: `Accept`, `Content-Type`, `X-Requested-With`; `*`: all).
    public var allowHeaders: [String]
    /// `expose_headers`: response headers scripts may read (`Access-Control-Expose-Headers`).
    public var exposeHeaders: [String]
    /// `max_age`: how long browsers may cache a preflight answer (nil or zero: no header).
    public var maxAge: Duration?
    /// `allow_credentials` (default false): `Access-Control-Allow-Credentials: true`.
    public var allowCredentials: Bool
    /// `allow_private_network` (default false): answers Private Network Access preflights.
    public var allowPrivateNetwork: Bool
    /// `options_passthrough` (default false): preflights get CORS headers, then go on to the route table.
    public var optionsPassthrough: Bool
    /// `options_success_status` (default 204): the status of a preflight answered by the gateway.
    public var optionsSuccessStatus: Int
    /// `debug` (default false): logs every CORS decision.
    public var debug: Bool

    /// A CORS configuration; every default is rs/cors's.
    public init(
        allowOrigins: [String] = [],
        allowMethods: [String] = [],
        allowHeaders: [String] = [],
        exposeHeaders: [String] = [],
        maxAge: Duration? = nil,
        allowCredentials: Bool = false,
        allowPrivateNetwork: Bool = false,
        optionsPassthrough: Bool = false,
        optionsSuccessStatus: Int = 204,
        debug: Bool = false
    ) {
        self.allowOrigins = allowOrigins
        self.allowMethods = allowMethods
        self.allowHeaders = allowHeaders
        self.exposeHeaders = exposeHeaders
        self.maxAge = maxAge
        self.allowCredentials = allowCredentials
        self.allowPrivateNetwork = allowPrivateNetwork
        self.optionsPassthrough = optionsPassthrough
        self.optionsSuccessStatus = optionsSuccessStatus
        self.debug = debug
    }
}
