/// A state change, handed to the breaker's observer for logging (`log_status_change`) and the state gauge.
public struct CircuitBreakerTransition: Sendable, Hashable, CustomStringConvertible {
    /// Why the state changed.
    public enum Reason: Sendable, Hashable {
        /// Closed → open: this many consecutive failures, more than `max_errors`.
        case consecutiveFailures(Int)
        /// Closed → open: the `failure_rate` rule, with the window's counts at that moment.
        case failureRate(failures: Int, calls: Int)
        /// Open → half-open: `timeout` elapsed.
        case openTimeoutElapsed
        /// Half-open → closed: `half_open_probes` probes succeeded.
        case probesSucceeded
        /// Half-open → open: a probe failed.
        case probeFailed
        /// Half-open → open: a probe's result was not reported within `probe_timeout`.
        case probeDeadlineExceeded
    }

    /// The state before.
    public var from: BreakerState
    /// The state after.
    public var to: BreakerState
    /// What caused it.
    public var reason: Reason
    /// When the breaker noticed it (state changes are applied lazily, on the next event).
    public var at: BreakerInstant

    /// A transition record.
    public init(from: BreakerState, to: BreakerState, reason: Reason, at: BreakerInstant) {
        self.from = from
        self.to = to
        self.reason = reason
        self.at = at
    }

    /// `went from 'closed' to 'open'`, the wording of KrakenD's log line, plus the reason.
    public var description: String { "went from '\(from)' to '\(to)' (\(reason))" }
}
