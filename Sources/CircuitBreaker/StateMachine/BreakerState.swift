/// The state of a circuit breaker, named as gobreaker and KrakenD's logs name it.
public enum BreakerState: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Calls go through; failures are counted.
    case closed
    /// Only probes go through; one failed probe re-opens, enough successful ones close.
    case halfOpen
    /// No call goes through: every call fails fast.
    case open

    /// `closed`, `half-open` or `open`, as in KrakenD's log line.
    public var description: String {
        switch self {
        case .closed: "closed"
        case .halfOpen: "half-open"
        case .open: "open"
        }
    }

    /// The value for a per-breaker state gauge: gobreaker's numbering, closed 0, half-open 1, open 2.
    public var gaugeValue: Int {
        switch self {
        case .closed: 0
        case .halfOpen: 1
        case .open: 2
        }
    }
}
