/// Which rate-limit response headers a limiter emits (Portico's `response_headers`).
public enum RateLimitHeaderStyle: String, Sendable, Hashable, Decodable, CaseIterable {
    /// No rate-limit headers (KrakenD's behaviour); rejections still carry `Retry-After`.
    case none
    /// The IETF draft's `RateLimit-Policy` and `RateLimit` structured fields.
    case ietf
    /// The older `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`.
    case legacy
    /// Both sets.
    case both
}
