import Synchronization

/// A token bucket shared by every event loop (the endpoint-wide or backend bucket), guarded by a mutex.
public final class LockedTokenBucket: Sendable {
    /// The bucket's rate and capacity.
    public let limit: BucketLimit
    private let state: Mutex<TokenBucket>

    /// Creates a full bucket.
    public init(limit: BucketLimit) {
        self.limit = limit
        self.state = Mutex(TokenBucket())
    }

    /// Takes `tokens` at `now`; allocation-free (an uncontended lock and integer arithmetic).
    public func take(_ tokens: Int = 1, now: Int64) -> BucketResult {
        state.withLock { $0.take(tokens, limit: limit, now: now) }
    }
}
