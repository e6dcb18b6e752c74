/// The breaker around Redis as a value type: closed → open after consecutive failures → one probe → closed.
///
/// While open, decisions are local and immediate; after `openDuration` one request probes Redis, and its
/// success closes the breaker. Results of requests that were not the probe are ignored unless closed, so calls
/// started before a state change cannot flip it.
struct RedisBreakerStateMachine: Sendable {
    enum State: Sendable, Hashable {
        case closed(consecutiveFailures: Int)
        case open(until: Int64)
        case halfOpen(probeDeadline: Int64)
    }

    /// What a request may do.
    enum Permission: Sendable, Hashable {
        /// Ask Redis.
        case redis
        /// Ask Redis as the one probe of a half-open breaker.
        case probe
        /// Decide locally with the failure policy.
        case fallback
    }

    /// A change worth logging.
    enum Transition: Sendable, Hashable {
        case opened
        case closed
    }

    private(set) var state: State = .closed(consecutiveFailures: 0)
    let failureThreshold: Int
    let openDuration: Int64
    let probeTimeout: Int64

    init(failureThreshold: Int, openDuration: Int64, probeTimeout: Int64) {
        self.failureThreshold = max(failureThreshold, 1)
        self.openDuration = max(openDuration, 1)
        self.probeTimeout = max(probeTimeout, 1)
    }

    mutating func permission(now: Int64) -> Permission {
        switch state {
        case .closed:
            return .redis
        case .open(let until):
            guard now >= until else { return .fallback }
            state = .halfOpen(probeDeadline: now &+ probeTimeout)
            return .probe
        case .halfOpen(let deadline):
            // A probe always ends within its timeout; past the deadline a lost probe is replaced.
            guard now >= deadline else { return .fallback }
            state = .halfOpen(probeDeadline: now &+ probeTimeout)
            return .probe
        }
    }

    mutating func record(success: Bool, permission: Permission, now: Int64) -> Transition? {
        switch state {
        case .closed(let failures):
            if success {
                state = .closed(consecutiveFailures: 0)
                return nil
            }
            if failures + 1 >= failureThreshold {
                state = .open(until: now &+ openDuration)
                return .opened
            }
            state = .closed(consecutiveFailures: failures + 1)
            return nil
        case .open:
            return nil
        case .halfOpen:
            guard permission == .probe else { return nil }
            if success {
                state = .closed(consecutiveFailures: 0)
                return .closed
            }
            state = .open(until: now &+ openDuration)
            return .opened
        }
    }
}
