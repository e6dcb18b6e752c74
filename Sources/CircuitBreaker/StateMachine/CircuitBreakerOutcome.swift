/// How a call that held a permit ended, as the gateway classifies it.
public enum CircuitBreakerOutcome: Sendable, Hashable, CaseIterable {
    /// The backend answered with a status that `failure_statuses` does not count.
    case success
    /// Connect error, timeout, undecodable body, or a status that `failure_statuses` counts.
    case failure
    /// Neither: the client went away before the backend answered. A half-open probe's slot is freed.
    case ignored
}
