import Logging
import NIOHTTP1

/// A compiled `security/cors` configuration: decides preflights and decorates actual responses (rs/cors v1.11's
/// algorithm, which krakend-cors wraps for gin).
///
/// The router consults it before the route table, so preflights are answered for any path and every response —
/// errors, 404 and 405 included — carries the allow-origin headers, as with KrakenD's engine-wide middleware.
/// Per request it allocates only the headers it adds (and a lower-cased copy of the `Origin` when origins are listed).
struct CorsPolicy: Sendable {
    private let allowsAllOrigins: Bool
    private let origins: [CorsOriginPattern]
    private let methods: [String]
    private let allowsAllHeaders: Bool
    /// Lower-cased allowed request header names.
    private let headers: Set<String>
    private let exposeHeaders: String?
    private let maxAge: String?
    private let allowCredentials: Bool
    private let allowPrivateNetwork: Bool
    /// Whether a preflight goes on to the route table after its headers are computed.
    let optionsPassthrough: Bool
    /// The status of a preflight answered here.
    let optionsSuccessStatus: HTTPResponseStatus
    private let preflightVary: String
    private let logger: Logger?

    /// Compiles `configuration`; `logger` receives the decisions when `debug` is on.
    init(_ configuration: CorsConfiguration, logger: Logger? = nil) {
        let entries = configuration.allowOrigins
        allowsAllOrigins = entries.isEmpty || entries.contains("*")
        origins = allowsAllOrigins ? [] : entries.map(CorsOriginPattern.init)
        methods = configuration.allowMethods.isEmpty ? ["GET", "POST", "HEAD"] : configuration.allowMethods
        if configuration.allowHeaders.isEmpty {
            allowsAllHeaders = false
            headers = ["accept", "content-type", "x-requested-with"]
        } else {
            allowsAllHeaders = configuration.allowHeaders.contains("*")
            headers = Set(configuration.allowHeaders.map { $0.lowercased() })
        }
        exposeHeaders =
            configuration.exposeHeaders.isEmpty
            ? nil : configuration.exposeHeaders.map(Self.canonicalHeaderName).joined(separator: ", ")
        // krakend-cors passes whole seconds (`int(MaxAge.Seconds())`); under a second means no header.
        let seconds = configuration.maxAge?.components.seconds ?? 0
        maxAge = seconds > 0 ? String(seconds) : nil
        allowCredentials = configuration.allowCredentials
        allowPrivateNetwork = configuration.allowPrivateNetwork
        optionsPassthrough = configuration.optionsPassthrough
        optionsSuccessStatus = HTTPResponseStatus(statusCode: configuration.optionsSuccessStatus)
        preflightVary =
            configuration.allowPrivateNetwork
            ? "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network"
            : "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
        self.logger = configuration.debug ? logger : nil
    }

    /// A preflight: `OPTIONS` with `Access-Control-Request-Method`.
    static func isPreflight(method: HTTPMethod, headers: HTTPHeaders) -> Bool {
        method == .OPTIONS && !(headers.first(name: "access-control-request-method") ?? "").isEmpty
    }

    /// The headers of a preflight's answer: always `Vary`; the allow headers only when origin, method and headers
    /// are all allowed (otherwise the browser blocks the actual request, which is the point).
    func preflightHeaders(for request: HTTPHeaders) -> HTTPHeaders {
        var response = HTTPHeaders()
        response.add(name: "Vary", value: preflightVary)
        guard let origin = request.first(name: "origin"), !origin.isEmpty else {
            log("preflight aborted: empty origin")
            return response
        }
        guard isAllowed(origin: origin) else {
            log("preflight aborted: origin \(origin) not allowed")
            return response
        }
        let method = request.first(name: "access-control-request-method") ?? ""
        guard isAllowed(method: method) else {
            log("preflight aborted: method \(method) not allowed")
            return response
        }
        let requested = request[canonicalForm: "access-control-request-headers"]
        guard allowsAllHeaders || requested.allSatisfy({ headers.contains($0.lowercased()) }) else {
            log("preflight aborted: headers \(requested) not allowed")
            return response
        }
        response.add(name: "Access-Control-Allow-Origin", value: allowsAllOrigins ? "*" : origin)
        // As rs/cors (and the spec allows): echo the requested method and headers rather than the whole lists.
        response.add(name: "Access-Control-Allow-Methods", value: method)
        let rawRequested = request["access-control-request-headers"]
        if let first = rawRequested.first, !first.isEmpty {
            response.add(name: "Access-Control-Allow-Headers", value: rawRequested.joined(separator: ", "))
        }
        if allowCredentials { response.add(name: "Access-Control-Allow-Credentials", value: "true") }
        if allowPrivateNetwork, request.first(name: "access-control-request-private-network") == "true" {
            response.add(name: "Access-Control-Allow-Private-Network", value: "true")
        }
        if let maxAge { response.add(name: "Access-Control-Max-Age", value: maxAge) }
        log("preflight allowed for origin \(origin), method \(method)")
        return response
    }

    /// Adds the actual-request headers to `response`: always `Vary: Origin`; the allow-origin, expose and
    /// credentials headers when the origin and method are allowed. The gateway's answer replaces any a backend sent,
    /// so a CORS-aware backend behind a `no-op` endpoint cannot produce duplicate (browser-rejected) headers.
    func decorate(_ response: inout HTTPHeaders, method: HTTPMethod, request: HTTPHeaders) {
        response.add(name: "Vary", value: "Origin")
        guard let origin = request.first(name: "origin"), !origin.isEmpty else { return }
        guard isAllowed(origin: origin) else {
            log("actual request: origin \(origin) not allowed")
            return
        }
        guard isAllowed(method: method.rawValue) else {
            log("actual request: method \(method.rawValue) not allowed")
            return
        }
        response.replaceOrAdd(name: "Access-Control-Allow-Origin", value: allowsAllOrigins ? "*" : origin)
        if let exposeHeaders { response.replaceOrAdd(name: "Access-Control-Expose-Headers", value: exposeHeaders) }
        if allowCredentials { response.replaceOrAdd(name: "Access-Control-Allow-Credentials", value: "true") }
    }

    /// True when `origin` is allowed.
    func isAllowed(origin: String) -> Bool {
        if allowsAllOrigins { return true }
        let lowered = origin.lowercased()
        return origins.contains { $0.matches(lowercased: lowered) }
    }

    /// True when `method` may be used cross-origin; `OPTIONS` always may (rs/cors).
    func isAllowed(method: String) -> Bool {
        method == "OPTIONS" || methods.contains(method)
    }

    private func log(_ message: @autoclosure () -> String) {
        logger?.info("[CORS] \(message())")
    }

    /// Go's `http.CanonicalHeaderKey` for the names rs/cors canonicalises (`x-request-id` → `X-Request-Id`).
    static func canonicalHeaderName(_ name: String) -> String {
        var result = ""
        var upper = true
        for character in name {
            result.append(upper ? Character(character.uppercased()) : Character(character.lowercased()))
            upper = character == "-"
        }
        return result
    }
}
