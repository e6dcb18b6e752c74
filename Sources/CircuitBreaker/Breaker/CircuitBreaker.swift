import Synchronization

/// One backend's circuit breaker, shared by every request to that backend definition and all of its hosts.
///
/// ```swift
/// guard let permit = breaker.acquire() else { return failFast() }   // open: the backend is not called
/// let outcome: CircuitBreakerOutcome = ...                            // from the call's result
/// breaker.record(permit, outcome: outcome)
/// ```
///
/// A mutex around a ``CircuitBreakerStateMachine``; this class only reads the clock and executes the machine's
/// actions. Per call: one clock read and one uncontended lock for `acquire`, the same for `record`; no allocation.
public final class CircuitBreaker: Sendable {
    /// The configuration the breaker was built from.
    public let configuration: CircuitBreakerConfiguration
    private let clock: any BreakerClock
    private let machine: Mutex<CircuitBreakerStateMachine>
    private let onTransition: (@Sendable (CircuitBreakerTransition) -> Void)?

    /// A closed breaker.
    /// - Parameters:
    ///   - configuration: the backend's `qos/circuit-breaker` block.
    ///   - clock: the time source (default: `SystemBreakerClock`); tests pass a `ManualBreakerClock`.
    ///   - onTransition: called on every state change, in order, *while the breaker's lock is held*: keep it short
    ///     (set a gauge, write a log line) and never call back into this breaker from it (that would deadlock).
    public init(
        configuration: CircuitBreakerConfiguration,
        clock: any BreakerClock = SystemBreakerClock(),
        onTransition: (@Sendable (CircuitBreakerTransition) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.clock = clock
        self.machine = Mutex(CircuitBreakerStateMachine(configuration: configuration, now: clock.now()))
        self.onTransition = onTransition
    }

    /// Leave to call the backend once, or nil to fail fast (open, or half-open with every probe slot taken).
    ///
    /// Every permit must be handed back to ``record(_:outcome:)`` exactly once, `.ignored` if the client went away.
    public func acquire() -> CircuitBreakerPermit? {
        let now = clock.now()
        return machine.withLock { machine in
            let action = machine.event(.acquire, at: now)
            if let transition = action.transition { onTransition?(transition) }
            return action.permit
        }
    }

    /// Reports how the call that held `permit` ended. Results from before a state change are ignored.
    public func record(_ permit: CircuitBreakerPermit, outcome: CircuitBreakerOutcome) {
        let now = clock.now()
        machine.withLock { machine in
            let action = machine.event(.record(permit, outcome), at: now)
            if let transition = action.transition { onTransition?(transition) }
        }
    }

    /// The current state, after applying any state change that has come due (which the observer then sees).
    public var state: BreakerState {
        let now = clock.now()
        return machine.withLock { machine in
            let action = machine.event(.observe, at: now)
            if let transition = action.transition { onTransition?(transition) }
            return machine.state
        }
    }

    /// Whether a backend response with `status` is a failure for this breaker; see
    /// ``CircuitBreakerConfiguration/isFailure(status:noOpEncoding:)``.
    public func isFailure(status: Int, noOpEncoding: Bool = false) -> Bool {
        configuration.isFailure(status: status, noOpEncoding: noOpEncoding)
    }
}
