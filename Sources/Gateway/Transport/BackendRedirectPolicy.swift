/// How a backend exchange treats 3xx answers with a `Location`: Go's `http.Client` rules by default.
///
/// KrakenD follows redirects (Lura's default client); `backend/http/client` may change that:
///
/// ```json
/// "extra_config": { "backend/http/client": { "send_body_on_redirect": false, "no_redirect": false } }
/// ```
///
/// - `send_body_on_redirect` (default false, KrakenD CE): a 307/308 answer to a request with a body is followed
///   with the body sent again. Without it, such an answer is returned as it is (Go cannot rewind a body it did not
///   buffer: `GetBody` is nil in Lura's requests).
/// - `no_redirect` (default false, KrakenD EE): every 3xx is returned as it is (use `no-op` to pass it on).
public struct BackendRedirectPolicy: Sendable, Equatable {
    /// Whether redirects are followed at all.
    public var follow: Bool
    /// Whether a 307/308 re-sends the request body (it must then be buffered).
    public var sendBodyOnRedirect: Bool
    /// Redirects followed before the exchange fails (Go's `http.Client`: 10).
    public var maxRedirects: Int

    /// A policy; the defaults are Go's.
    public init(follow: Bool = true, sendBodyOnRedirect: Bool = false, maxRedirects: Int = 10) {
        self.follow = follow
        self.sendBodyOnRedirect = sendBodyOnRedirect
        self.maxRedirects = maxRedirects
    }

    /// Go's `http.Client` default: follow up to 10, no body on 307/308.
    public static let follow = BackendRedirectPolicy()
}
