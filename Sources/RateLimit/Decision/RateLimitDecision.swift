/// One rate-limit decision with what the response needs: status, `Retry-After` and quota numbers.
///
/// A small value type: producing one allocates nothing; only `headerFields` formats strings.
public struct RateLimitDecision: Sendable, Hashable {
    /// What was decided.
    public enum Outcome: Sendable, Hashable {
        /// Let the request through.
        case allowed
        /// The endpoint-wide bucket is empty (KrakenD answers 503).
        case rejectedEndpoint
        /// The client's bucket is empty, or the request carries no client key (KrakenD answers 429).
        case rejectedClient
        /// A backend's bucket is empty (a failed backend call as far as the proxy layer is concerned).
        case rejectedBackend
    }

    /// Where the decision was made.
    public enum Source: Sendable, Hashable {
        /// In this process, by design (local limiters).
        case local
        /// By Redis, for the whole cluster (or from a lease Redis granted).
        case cluster
        /// In this process because Redis was slow or down (the failure policy).
        case fallback
    }

    /// What was decided.
    public var outcome: Outcome
    /// Where it was decided.
    public var source: Source
    /// The binding bucket's quota per window (`max_rate`, at least 1), for `q` and `X-RateLimit-Limit`.
    public var limit: Int
    /// The binding bucket's window in nanoseconds (`every`), for `w`.
    public var window: Int64
    /// Whole tokens left in the binding bucket.
    public var remaining: Int
    /// Nanoseconds until the binding bucket is full again.
    public var resetAfter: Int64
    /// Nanoseconds until a retry could succeed (0 when allowed).
    public var retryAfter: Int64

    /// Creates a decision.
    public init(
        outcome: Outcome,
        source: Source,
        limit: Int,
        window: Int64,
        remaining: Int,
        resetAfter: Int64,
        retryAfter: Int64
    ) {
        self.outcome = outcome
        self.source = source
        self.limit = limit
        self.window = window
        self.remaining = remaining
        self.resetAfter = resetAfter
        self.retryAfter = retryAfter
    }

    /// Creates a decision from a bucket result.
    public init(_ result: BucketResult, limit: BucketLimit, rejection: Outcome, source: Source) {
        self.init(
            outcome: result.isAllowed ? .allowed : rejection,
            source: source,
            limit: limit.quota,
            window: limit.every.nanosecondsClamped,
            remaining: result.remaining,
            resetAfter: result.resetAfter,
            retryAfter: result.retryAfter
        )
    }

    /// An allowed decision with no quota information (no limiter applied, or the `allow` failure policy).
    public static func unlimited(source: Source) -> RateLimitDecision {
        RateLimitDecision(
            outcome: .allowed,
            source: source,
            limit: 0,
            window: 0,
            remaining: 0,
            resetAfter: 0,
            retryAfter: 0
        )
    }

    /// Whether the request may proceed.
    public var isAllowed: Bool { outcome == .allowed }

    /// KrakenD's status for a rejection: 503 for the endpoint bucket, 429 for a client bucket; nil when allowed.
    ///
    /// Backend rejections have no status of their own: the proxy layer treats them as a failed backend call.
    public var statusCode: Int? {
        switch outcome {
        case .allowed, .rejectedBackend: nil
        case .rejectedEndpoint: 503
        case .rejectedClient: 429
        }
    }

    /// `Retry-After` in whole seconds, rounded up, at least 1 for a rejection; nil when allowed.
    public var retryAfterSeconds: Int? {
        guard !isAllowed else { return nil }
        return max(Self.secondsRoundedUp(retryAfter), 1)
    }

    /// The rule that picks which of two buckets' numbers describe an allowed request: the tighter one.
    public func tighter(than other: RateLimitDecision) -> RateLimitDecision {
        if !other.isAllowed { return other }
        if !isAllowed { return self }
        return other.remaining < remaining ? other : self
    }

    static func secondsRoundedUp(_ nanoseconds: Int64) -> Int {
        guard nanoseconds > 0 else { return 0 }
        return Int((nanoseconds - 1) / 1_000_000_000 + 1)
    }
}
