import Auth
import Logging
import NIOCore
import NIOHTTP1

/// Adapts `Auth.JWTValidator` into the `auth/validator` endpoint stage (at `StagePosition.authentication`).
///
/// ```json
/// "extra_config": {
///   "auth/validator": {
///     "alg": "ES256", "jwk_url": "https://idp.example.com/.well-known/jwks.json", "cache": true,
///     "issuer": "https://idp.example.com/", "audience": ["orders-api"],
///     "roles_key": "roles", "roles": ["orders-viewer"], "propagate_claims": [["sub", "X-User"]]
///   }
/// }
/// ```
/// Every key and its default is documented on `JWTValidatorConfiguration` and in the README.
///
/// Per request, on the client connection's event loop:
/// - the token comes from `Authorization: Bearer …` (or `auth_header_name`), else from the `cookie_key` cookie;
/// - the validator's synchronous fast path decides with the cached keys (no hop, no suspension);
/// - 401 (`WWW-Authenticate: Bearer error="invalid_token"`, also when no token was sent) or 403
///   (`Bearer error="insufficient_scope"`) is answered by the gateway itself: no backend is called;
/// - an authorized request carries its `propagate_claims` headers to every backend (`request.backendHeaders`).
///
/// Unknown `kid`: the fast path starts a JWKS refresh (at most one per `failed_jwk_key_cooldown`, shared by every
/// caller). A request that finds such a refresh in flight waits for it — bounded by the endpoint's `timeout` — and
/// is then validated again, so the first request signed with a freshly rotated key succeeds. A request whose
/// unknown `kid` arrives while the cooldown forbids a download is answered 401 at once, so a flood of random
/// `kid`s costs neither downloads nor waiting connections beyond the one refresh.
///
/// Allocation on the authorized path: the validator's (token bytes, decoded segments, claims), the `Cookie`
/// header join only when a client sends several, and one header value per propagated claim.
struct JWTValidationMiddleware: EndpointMiddleware {
    let validator: JWTValidator
    /// Longest a request with an unknown `kid` waits for the refresh it found in flight (the endpoint timeout).
    let unknownKeyWait: TimeAmount

    /// A factory for `GatewayExtensions`, validating times against `clock` (injected so tests never sleep).
    static func makeFactory(clock: any AuthClock = SystemAuthClock()) -> GatewayExtensions.EndpointStageFactory {
        { context in try make(context, clock: clock) }
    }

    /// Builds the stage: decodes and checks the namespace (errors name the JSON path), shares the endpoint's key
    /// set with every endpoint using the same JWKS, and registers the claim headers to strip on every route.
    static func make(_ context: StageContext, clock: any AuthClock) throws -> JWTValidationMiddleware {
        let configuration = try context.decode(JWTValidatorConfiguration.self)
        do {
            try configuration.validate()
        } catch {
            throw ConfigurationError(
                file: context.service.fileName,
                path: "\(context.path).\(error.field)",
                message: error.message
            )
        }
        let keyProvider = try JWTValidationKeySources.keyProvider(for: configuration, context: context, clock: clock)
        let validator = JWTValidator(
            configuration: configuration,
            keyProvider: keyProvider,
            clock: clock,
            logger: context.logger
        )
        // A client must never be able to forge a propagated claim, on this route or any other.
        context.resources.stripRequestHeaders(validator.headersToStrip)
        return JWTValidationMiddleware(validator: validator, unknownKeyWait: context.endpoint.timeout.timeAmount)
    }

    func handle(_ request: GatewayRequest, next: @escaping EndpointHandler) -> EventLoopFuture<GatewayResponse> {
        let result = validate(request)
        switch result {
        case .authorized(let claims):
            return proceed(request, claims: claims, next: next)
        case .unauthorized(.unknownKey):
            // The fast path has just asked for a refresh; this returns that download, or nil under the cooldown.
            guard let refresh = validator.keyProvider.refreshForUnknownKey() else {
                return request.eventLoop.makeSucceededFuture(Self.rejection(result, request: request))
            }
            return awaitRefresh(refresh, request: request, next: next)
        case .unauthorized, .forbidden:
            return request.eventLoop.makeSucceededFuture(Self.rejection(result, request: request))
        }
    }

    private func validate(_ request: GatewayRequest) -> ValidationResult {
        let authorization = request.headers.first(name: validator.configuration.authHeaderName)
        var cookieHeader: String? = nil
        if request.headers.contains(name: "cookie") {
            let cookies = request.headers["cookie"]
            cookieHeader = cookies.count == 1 ? cookies[0] : cookies.joined(separator: "; ")
        }
        return validator.validateSynchronously(authorization: authorization, cookieHeader: cookieHeader)
    }

    private func proceed(
        _ request: GatewayRequest,
        claims: Claims,
        next: EndpointHandler
    ) -> EventLoopFuture<GatewayResponse> {
        var request = request
        for (name, value) in validator.propagatedHeaders(from: claims) {
            request.backendHeaders.replaceOrAdd(name: name, value: value)
        }
        return next(request)
    }

    /// Bridges the key provider's download (a Swift task) into the request's event loop without blocking it, then
    /// validates again on the loop. Allocates a promise, a task and a timer.
    private func awaitRefresh(
        _ refresh: Task<Bool, Never>,
        request: GatewayRequest,
        next: @escaping EndpointHandler
    ) -> EventLoopFuture<GatewayResponse> {
        let loop = request.eventLoop
        let refreshed = loop.makePromise(of: Bool.self)
        // First completion wins (NIO ignores the later one): the download, or the end of the wait.
        let timer = loop.scheduleTask(in: unknownKeyWait) { refreshed.succeed(false) }
        refreshed.completeWithTask { await refresh.value }
        return refreshed.futureResult.flatMap { loaded in
            timer.cancel()
            guard loaded else {
                return loop.makeSucceededFuture(Self.rejection(.unauthorized(.unknownKey), request: request))
            }
            let result = validate(request)
            guard case .authorized(let claims) = result else {
                return loop.makeSucceededFuture(Self.rejection(result, request: request))
            }
            return proceed(request, claims: claims, next: next)
        }
    }

    /// The gateway's own 401/403: `WWW-Authenticate` (RFC 6750 §3), no body, nothing about why (that goes to the
    /// log under `operation_debug`).
    private static func rejection(_ result: ValidationResult, request: GatewayRequest) -> GatewayResponse {
        var headers = request.responseHeaders
        if let challenge = result.wwwAuthenticate { headers.replaceOrAdd(name: "WWW-Authenticate", value: challenge) }
        return GatewayResponse(status: HTTPResponseStatus(statusCode: result.status), headers: headers)
    }
}
