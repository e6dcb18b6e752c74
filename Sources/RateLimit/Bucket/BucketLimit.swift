/// The rate and burst of one token bucket, precomputed once into GCRA's integer nanosecond terms.
///
/// A bucket refills `maxRate` tokens every `every` and holds at most `capacity`. GCRA keeps one timestamp per
/// bucket (the theoretical arrival time) instead of a token count, which makes a decision a handful of integer
/// operations and the state eight bytes.
public struct BucketLimit: Sendable, Hashable {
    /// Tokens added per `every` (KrakenD's `max_rate`).
    public let maxRate: Double
    /// The refill window (KrakenD's `every`).
    public let every: Duration
    /// Maximum tokens held (KrakenD's `capacity`), at least 1.
    public let capacity: Int
    /// Nanoseconds per token, rounded up so rounding can only ever admit less, never more.
    public let interval: Int64
    /// `capacity × interval`: how far ahead of now the theoretical arrival time may run.
    public let tolerance: Int64

    /// Creates a limit of `maxRate` tokens per `every` with a burst of `capacity` tokens.
    ///
    /// Non-positive or non-finite rates become one token per `every`; a capacity below 1 becomes 1.
    public init(maxRate: Double, every: Duration = .seconds(1), capacity: Int) {
        let window = max(every.nanosecondsClamped, 1)
        let rate = maxRate.isFinite && maxRate > 0 ? maxRate : 1
        let exact = (Double(window) / rate).rounded(.up)
        // The caps (~31 years per token, ~63 years of burst) keep timestamp sums far from Int64 overflow.
        let interval = exact >= 1e18 ? 1_000_000_000_000_000_000 : max(Int64(exact), 1)
        let burst = max(capacity, 1)
        let (tolerance, overflow) = interval.multipliedReportingOverflow(by: Int64(burst))
        self.maxRate = rate
        self.every = .nanoseconds(window)
        self.capacity = burst
        self.interval = interval
        self.tolerance = overflow ? 2_000_000_000_000_000_000 : min(tolerance, 2_000_000_000_000_000_000)
    }

    /// The limit for one of `instances` equal shares: rate and capacity divided, each at least one token.
    public func share(of instances: Int) -> BucketLimit {
        let parts = max(instances, 1)
        return BucketLimit(maxRate: maxRate / Double(parts), every: every, capacity: max(capacity / parts, 1))
    }

    /// `max_rate` as a whole quota for the `RateLimit-Policy` header (`q`), at least 1.
    public var quota: Int {
        max(Int(maxRate.rounded(.down)), 1)
    }
}
