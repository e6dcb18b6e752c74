/// Where a stage sits in its chain; lower runs first (outermost).
///
/// The canonical order of the built-in stages is written here, once (DESIGN.md §2):
/// endpoint: CORS → JWT validation → endpoint rate limit → extensions → proxy;
/// backend: backend rate limit → circuit breaker → extensions → load balancing and transport.
/// The backend rate limit sits outside the breaker so that a local rejection never counts as a backend failure.
public struct StagePosition: Sendable, Comparable, Hashable {
    /// The rank; ties keep registration order.
    public var rank: Int

    public init(rank: Int) { self.rank = rank }

    /// CORS answers preflights before anything else looks at the request.
    public static let cors = StagePosition(rank: 100)
    /// JWT validation: nothing unauthenticated reaches a limiter's budget or a backend.
    public static let authentication = StagePosition(rank: 200)
    /// Rate limits (endpoint-wide, per client, or cluster-wide); also the backend limiter's place.
    public static let rateLimit = StagePosition(rank: 300)
    /// The circuit breaker, inside the backend limiter.
    public static let circuitBreaker = StagePosition(rank: 400)
    /// Default for user extensions: after every built-in guard, next to the proxy or transport.
    public static let extensions = StagePosition(rank: 500)

    public static func < (lhs: StagePosition, rhs: StagePosition) -> Bool { lhs.rank < rhs.rank }
}
