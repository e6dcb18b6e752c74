/// One token bucket's state as GCRA's theoretical arrival time: a value type, eight bytes, no allocation.
///
/// Exact by construction: over any interval of length t, at most `capacity + t / interval` tokens are granted.
public struct TokenBucket: Sendable, Hashable {
    /// The time (clock nanoseconds) at which the bucket would be full again; `Int64.min` when never used.
    public private(set) var theoreticalArrival: Int64

    /// A full bucket.
    public init() {
        self.theoreticalArrival = .min
    }

    /// Takes `tokens` tokens (default 1) if all of them are available at `now`; allocation-free.
    public mutating func take(_ tokens: Int = 1, limit: BucketLimit, now: Int64) -> BucketResult {
        let base = max(theoreticalArrival, now)
        let cost = Self.multiply(limit.interval, Int64(max(tokens, 1)))
        let next = Self.add(base, cost)
        let ahead = next &- now
        if ahead > limit.tolerance {
            let available = max((limit.tolerance - (base &- now)) / limit.interval, 0)
            return BucketResult(
                isAllowed: false,
                remaining: Int(available),
                retryAfter: ahead - limit.tolerance,
                resetAfter: base &- now
            )
        }
        theoreticalArrival = next
        return BucketResult(
            isAllowed: true,
            remaining: Int((limit.tolerance - ahead) / limit.interval),
            retryAfter: 0,
            resetAfter: ahead
        )
    }

    /// Whether the bucket has refilled completely at `now`, so forgetting it changes no future decision.
    public func isFull(at now: Int64) -> Bool {
        theoreticalArrival <= now
    }

    private static func add(_ lhs: Int64, _ rhs: Int64) -> Int64 {
        let (sum, overflow) = lhs.addingReportingOverflow(rhs)
        return overflow ? .max : sum
    }

    private static func multiply(_ lhs: Int64, _ rhs: Int64) -> Int64 {
        let (product, overflow) = lhs.multipliedReportingOverflow(by: rhs)
        return overflow ? .max : product
    }
}

/// The outcome of one bucket decision, in tokens and clock nanoseconds.
public struct BucketResult: Sendable, Hashable {
    /// Whether the tokens were granted.
    public var isAllowed: Bool
    /// Whole tokens left after this decision.
    public var remaining: Int
    /// Nanoseconds until the request would have been granted (0 when allowed).
    public var retryAfter: Int64
    /// Nanoseconds until the bucket is full again.
    public var resetAfter: Int64

    /// Creates a result.
    public init(isAllowed: Bool, remaining: Int, retryAfter: Int64, resetAfter: Int64) {
        self.isAllowed = isAllowed
        self.remaining = remaining
        self.retryAfter = retryAfter
        self.resetAfter = resetAfter
    }
}
