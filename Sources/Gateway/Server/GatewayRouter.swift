import Logging
import NIOCore
import NIOHTTP1

/// Where a request enters the gateway's logic, in the order of KrakenD's gin engine: CORS (engine-wide, so
/// preflights are answered for any path and every answer carries the allow-origin headers), then the health,
/// debug and echo endpoints, then the route table and the endpoint's compiled pipeline (see `PipelineBuilder`).
///
/// A miss follows gin: a trailing-slash redirect, then a case-insensitive fixed-path redirect (both looking only
/// at routes of the request's method), then 405 with `Allow` when the path exists for other methods, else 404.
/// Portico additions, each noted where it happens: `HEAD` runs the `GET` route (KrakenD answers 405), and encoded
/// `/` in a parameter is refused like Lura's double-encoding check.
struct GatewayRouter: Sendable {
    private let table: RouteTable<EndpointHandler>
    private let options: RouterOptions
    /// Lower-cased client header names removed before routing (see `GatewayResources.stripRequestHeaders`).
    private let strippedHeaders: [String]
    private let cors: CorsPolicy?
    private let debugEndpoint: DebugEndpoint?
    private let echoEndpoint: EchoEndpoint?
    /// `X-Portico`'s value, as Lura's `X-KrakenD: Version …` (`Version undefined` with `hide_version_header`).
    private let versionHeader: String

    /// The name of the version header every endpoint response carries.
    static let versionHeaderName = "X-Portico"

    /// The version header's value: `Version 0.1.0`, or `Version undefined` under `router.hide_version_header`.
    static func versionHeader(hidden: Bool) -> String {
        hidden ? "Version undefined" : "Version \(PorticoVersion.current)"
    }

    init(
        endpoints: [PipelineBuilder.CompiledEndpoint],
        router: RouterOptions,
        strippedHeaders: Set<String> = [],
        file: String,
        cors: CorsConfiguration? = nil,
        debugEndpoint: Bool = false,
        echoEndpoint: Bool = false,
        logger: Logger = Logger(label: "portico")
    ) throws(ConfigurationError) {
        do {
            table = try RouteTable(endpoints.map { ($0.template, $0.method, $0.handler) })
        } catch {
            throw ConfigurationError(problems: [
                ConfigurationProblem(file: file, path: "endpoints", message: "\(error)")
            ])
        }
        options = router
        self.strippedHeaders = strippedHeaders.sorted()
        self.cors = cors.map { CorsPolicy($0, logger: logger) }
        self.debugEndpoint = debugEndpoint ? DebugEndpoint(logger: logger) : nil
        self.echoEndpoint = echoEndpoint ? EchoEndpoint() : nil
        versionHeader = Self.versionHeader(hidden: router.hideVersionHeader)
    }

    /// Answers one request; the future never fails.
    func respond(to request: GatewayRequest) -> EventLoopFuture<GatewayResponse> {
        guard let cors else { return route(request) }
        let method = request.method
        let requestHeaders = request.headers
        if CorsPolicy.isPreflight(method: method, headers: requestHeaders) {
            let headers = cors.preflightHeaders(for: requestHeaders)
            guard cors.optionsPassthrough else {
                return request.eventLoop.makeSucceededFuture(
                    GatewayResponse(status: cors.optionsSuccessStatus, headers: headers)
                )
            }
            return route(request).map { response in
                var response = response
                response.headers.add(contentsOf: headers)
                return response
            }
        }
        // One extra future per request, only where CORS is configured.
        return route(request).map { response in
            var response = response
            cors.decorate(&response.headers, method: method, request: requestHeaders)
            return response
        }
    }

    private func route(_ request: GatewayRequest) -> EventLoopFuture<GatewayResponse> {
        let loop = request.eventLoop
        // gin's RemoveExtraSlash routes on the cleaned path; the request itself (and its URI) is left as received.
        let path: Substring = options.removeExtraSlash ? RoutePath.clean(request.path)[...] : request.path
        if !options.disableHealth, path == options.healthPath, request.method == .GET || request.method == .HEAD {
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            return loop.makeSucceededFuture(
                GatewayResponse(status: .ok, headers: headers, body: .buffer(ByteBuffer(string: #"{"status":"ok"}"#)))
            )
        }
        if let debugEndpoint, RoutePath.isUnder(path, DebugEndpoint.prefix) {
            return debugEndpoint.respond(to: request)
        }
        if let echoEndpoint, RoutePath.isUnder(path, EchoEndpoint.prefix) {
            return echoEndpoint.respond(to: request)
        }
        switch table.match(path: path, method: request.method.rawValue) {
        case .found(let handler, let parameters):
            return dispatch(request, to: handler, parameters: parameters)
        case .methodNotAllowed(let allowed):
            // Portico: HEAD runs the GET pipeline; the server drops the body and keeps its Content-Length.
            if request.method == .HEAD,
                case .found(let handler, let parameters) = table.match(path: path, method: "GET")
            {
                return dispatch(request, to: handler, parameters: parameters)
            }
            if request.method == .OPTIONS, options.autoOptions {
                // Lura's auto_options route: 200, no body, `Allow` with the path's endpoint methods.
                var response = GatewayResponse(status: .ok)
                response.headers.add(name: "Allow", value: allowed.joined(separator: ", "))
                response.headers.add(name: Self.versionHeaderName, value: versionHeader)
                return loop.makeSucceededFuture(response)
            }
            if let redirect = redirect(request, path: path) { return loop.makeSucceededFuture(redirect) }
            if options.disableHandleMethodNotAllowed { return loop.makeSucceededFuture(notFound()) }
            var response =
                options.methodNotAllowedBody.map { Self.json(.methodNotAllowed, $0) }
                ?? .make(
                    status: .methodNotAllowed,
                    contentType: "text/plain; charset=utf-8",
                    text: "405 method not allowed"
                )
            response.headers.add(name: "Allow", value: allowed.joined(separator: ", "))
            return loop.makeSucceededFuture(response)
        case .notFound:
            if let redirect = redirect(request, path: path) { return loop.makeSucceededFuture(redirect) }
            return loop.makeSucceededFuture(notFound())
        }
    }

    private func dispatch(
        _ request: GatewayRequest,
        to handler: EndpointHandler,
        parameters: [(name: String, value: Substring)]
    ) -> EventLoopFuture<GatewayResponse> {
        if !options.disablePathDecoding {
            for parameter in parameters
            where !RoutePath.isAcceptableParameter(parameter.value, isWildcard: parameter.name == "*") {
                // Lura's paramChecker answers 400 with this text.
                return request.eventLoop.makeSucceededFuture(
                    .make(
                        status: .badRequest,
                        contentType: "text/plain; charset=utf-8",
                        text: "error: encoded url params"
                    )
                )
            }
        }
        var request = request
        // Forged copies of headers the gateway itself derives never reach any stage or backend.
        for name in strippedHeaders { request.headers.remove(name: name) }
        request.parameters = parameters
        // Lura's `X-KrakenD: Version …` header is added by the `ResponseRenderer`, on every response it renders.
        return handler(request)
    }

    /// gin's redirects for a miss: trailing slash first, then the fixed (cleaned, case-insensitive) path. Like gin,
    /// only routes of the request's own method count (Portico: HEAD looks at GET's), never for `/` or `CONNECT`.
    /// 301 for GET, 307 for every other method (HEAD too), so the method and body survive; the query string is kept.
    private func redirect(_ request: GatewayRequest, path: Substring) -> GatewayResponse? {
        guard path != "/", request.method != .CONNECT else { return nil }
        let method = request.method == .HEAD ? "GET" : request.method.rawValue
        guard table.methods.contains(method) else { return nil }
        var target: String?
        if !options.disableRedirectTrailingSlash, path.count > 1 {
            let alternative = path.last == "/" ? String(path.dropLast()) : path + "/"
            if case .found = table.match(path: alternative[...], method: method) { target = alternative }
        }
        if target == nil, !options.disableRedirectFixedPath {
            target = table.caseInsensitivePath(RoutePath.clean(path)[...], method: method, fixTrailingSlash: true)
        }
        guard let target, target != String(path) else { return nil }
        let location = request.query.isEmpty ? target : target + "?" + request.query
        // gin's redirectRequest: 301 for GET only, 307 for every other method (HEAD included).
        var response = GatewayResponse(status: request.method == .GET ? .movedPermanently : .temporaryRedirect)
        response.headers.add(name: "Location", value: location)
        if request.method == .GET || request.method == .HEAD {
            // Go's http.Redirect: a tiny HTML body for GET (HEAD gets the headers only).
            response.headers.add(name: "Content-Type", value: "text/html; charset=utf-8")
            let text = "<a href=\"\(Self.htmlEscaped(location))\">Moved Permanently</a>.\n\n"
            response.body = .buffer(ByteBuffer(string: text))
        }
        return response
    }

    private func notFound() -> GatewayResponse {
        var response =
            options.notFoundBody.map { Self.json(.notFound, $0) }
            ?? .make(status: .notFound, contentType: "text/plain; charset=utf-8", text: "404 page not found")
        // Lura's NoRoute handler marks the answer incomplete.
        response.headers.add(name: "X-Krakend-Completed", value: "false")
        return response
    }

    private static func json(_ status: HTTPResponseStatus, _ text: String) -> GatewayResponse {
        .make(status: status, contentType: "application/json; charset=utf-8", text: text)
    }

    /// Go's `html.EscapeString` subset used by `http.Redirect`.
    private static func htmlEscaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&#34;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
