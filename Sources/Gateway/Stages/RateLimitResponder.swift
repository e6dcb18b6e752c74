import NIOCore
import NIOHTTP1
import RateLimit

/// Turns rate-limit decisions into HTTP: the rejection response (503 endpoint-wide, 429 per client, as KrakenD)
/// and the quota fields on admitted responses; shared by the local and the cluster endpoint stages.
///
/// With `response_headers: none` (KrakenD's behaviour, the default) an admitted request costs nothing here; a
/// rejection allocates its header strings and the response.
struct RateLimitResponder: Sendable {
    /// Which quota fields to add.
    let style: RateLimitHeaderStyle
    /// The policy name in `RateLimit-Policy` / `RateLimit`.
    let policy: String
    /// Looks up the client key of a request; nil when the limiter has no per-client buckets.
    let keyExtractor: ClientKeyExtractor?

    /// The request's client key: the peer address, a header or a route parameter, by the configured strategy.
    ///
    /// Allocates the peer address text (strategy `ip`) and the looked-up value; nothing without a client limit.
    func clientKey(of request: GatewayRequest) -> String? {
        guard let keyExtractor else { return nil }
        return keyExtractor.extract(
            remoteAddress: request.remoteAddress?.ipAddress,
            header: { request.headers.first(name: $0) },
            param: { request.parameter($0).map(String.init) }
        )
    }

    /// Lets an admitted request through, with the quota fields on its response when configured.
    func admit(
        _ decision: RateLimitDecision,
        _ request: GatewayRequest,
        next: EndpointHandler
    ) -> EventLoopFuture<GatewayResponse> {
        guard style != .none, decision.limit > 0 else { return next(request) }
        var request = request
        for field in decision.headerFields(style: style, policy: policy) {
            request.responseHeaders.add(name: field.name, value: field.value)
        }
        return next(request)
    }

    /// The rejection: KrakenD's status with `Retry-After` (always) and the quota fields (when configured).
    func reject(_ decision: RateLimitDecision) -> GatewayResponse {
        var headers = HTTPHeaders()
        for field in decision.headerFields(style: style, policy: policy) {
            headers.add(name: field.name, value: field.value)
        }
        let status = HTTPResponseStatus(statusCode: decision.statusCode ?? 503)
        return GatewayResponse(status: status, headers: headers)
    }
}
