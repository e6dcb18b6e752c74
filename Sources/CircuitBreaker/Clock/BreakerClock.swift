/// The time source of a circuit breaker, injected so tests drive time instead of sleeping.
///
/// `now()` is called once per `acquire` and once per `record`; implementations must be cheap and must not block.
/// Instants need not be strictly monotonic across threads: the state machine never lets time run backwards.
public protocol BreakerClock: Sendable {
    /// The current instant.
    func now() -> BreakerInstant
}
