import CircuitBreaker

/// An independent, deliberately naive model of the breaker, for the randomized agreement test.
///
/// The gobreaker part follows gobreaker v0.4's code shape (`Counts`, `expiry`, `currentState`, `beforeRequest`,
/// `afterRequest`, `setState`, `toNewGeneration`); the Portico parts are written straight from the documentation:
/// probes in a dictionary of deadlines, and the failure-rate window as a plain list of timestamped results filtered
/// on every check. It shares no code with `CircuitBreakerStateMachine`. Times are nanoseconds.
final class ReferenceCircuitBreaker {
    struct Ticket {
        var generation: Int
        var epoch: Int
        var probeID: Int?
    }

    let maxErrors: Int
    let interval: Int64
    let timeout: Int64
    let maxRequests: Int
    let probeTimeout: Int64
    let rate: (threshold: Double, window: Int64, minimumCalls: Int)?

    private(set) var state: BreakerState = .closed
    private var generation = 0
    private var epoch = 0
    private var expiry: Int64?
    private var requests = 0
    private var consecutiveSuccesses = 0
    private var consecutiveFailures = 0
    private var probeDeadlines: [Int: Int64] = [:]
    private var nextProbeID = 0
    private var results: [(time: Int64, failure: Bool)] = []
    private var closedSince: Int64
    private var lastNow: Int64
    private(set) var transitions: [CircuitBreakerTransition] = []

    init(_ configuration: CircuitBreakerConfiguration, now: Int64) {
        func nanoseconds(_ duration: Duration) -> Int64 {
            let (seconds, attoseconds) = duration.components
            return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        }
        maxErrors = configuration.maxErrors
        interval = nanoseconds(configuration.interval)
        timeout = nanoseconds(configuration.timeout)
        maxRequests = configuration.halfOpenProbes
        probeTimeout = nanoseconds(configuration.probeTimeout)
        rate = configuration.failureRate.map { ($0.threshold, nanoseconds($0.window), $0.minimumCalls) }
        closedSince = now
        lastNow = now
        toNewGeneration(now)
    }

    func acquire(at time: Int64) -> Ticket? {
        let now = clamp(time)
        currentState(now)
        if state == .open { return nil }
        if state == .halfOpen && requests >= maxRequests { return nil }
        requests += 1
        var ticket = Ticket(generation: generation, epoch: epoch, probeID: nil)
        if state == .halfOpen {
            ticket.probeID = nextProbeID
            probeDeadlines[nextProbeID] = now + probeTimeout
            nextProbeID += 1
        }
        return ticket
    }

    func record(_ ticket: Ticket, _ outcome: CircuitBreakerOutcome, at time: Int64) {
        let now = clamp(time)
        currentState(now)
        if ticket.generation != generation {
            // Portico: the rate window ignores only state changes, not interval resets.
            if state == .closed, ticket.epoch == epoch, outcome != .ignored {
                results.append((now, outcome == .failure))
                if outcome == .failure, let counts = rateTripped(now) {
                    setState(.open, now, .failureRate(failures: counts.failures, calls: counts.calls))
                }
            }
            return
        }
        if state == .halfOpen {
            guard let id = ticket.probeID, probeDeadlines.removeValue(forKey: id) != nil else { return }
        }
        switch (state, outcome) {
        case (.closed, .success):
            consecutiveSuccesses += 1
            consecutiveFailures = 0
            results.append((now, false))
        case (.closed, .failure):
            consecutiveFailures += 1
            consecutiveSuccesses = 0
            results.append((now, true))
            if consecutiveFailures > maxErrors {
                setState(.open, now, .consecutiveFailures(consecutiveFailures))
            } else if let counts = rateTripped(now) {
                setState(.open, now, .failureRate(failures: counts.failures, calls: counts.calls))
            }
        case (.halfOpen, .success):
            consecutiveSuccesses += 1
            if consecutiveSuccesses >= maxRequests { setState(.closed, now, .probesSucceeded) }
        case (.halfOpen, .failure):
            setState(.open, now, .probeFailed)
        case (.halfOpen, .ignored):
            requests -= 1
        default:
            break
        }
    }

    func observe(at time: Int64) {
        currentState(clamp(time))
    }

    private func clamp(_ time: Int64) -> Int64 {
        lastNow = max(lastNow, time)
        return lastNow
    }

    private func currentState(_ now: Int64) {
        switch state {
        case .closed:
            if let expiry, expiry < now { toNewGeneration(now) }
        case .open:
            if let expiry, expiry < now { setState(.halfOpen, now, .openTimeoutElapsed) }
        case .halfOpen:
            if let earliest = probeDeadlines.values.min(), earliest < now {
                setState(.open, now, .probeDeadlineExceeded)
            }
        }
    }

    private func setState(_ new: BreakerState, _ now: Int64, _ reason: CircuitBreakerTransition.Reason) {
        guard new != state else { return }
        transitions.append(
            CircuitBreakerTransition(from: state, to: new, reason: reason, at: BreakerInstant(nanoseconds: now))
        )
        state = new
        epoch += 1
        probeDeadlines.removeAll()
        if new == .closed {
            results.removeAll()
            closedSince = now
        }
        toNewGeneration(now)
    }

    private func toNewGeneration(_ now: Int64) {
        generation += 1
        requests = 0
        consecutiveSuccesses = 0
        consecutiveFailures = 0
        switch state {
        case .closed: expiry = interval == 0 ? nil : now + interval
        case .open: expiry = now + timeout
        case .halfOpen: expiry = nil
        }
    }

    /// The window's counts when the rule trips: results whose 1/10-window bucket (counted from `closedSince`) is
    /// one of the last ten up to now's.
    private func rateTripped(_ now: Int64) -> (failures: Int, calls: Int)? {
        guard let rate else { return nil }
        let width = rate.window / 10
        let currentBucket = (now - closedSince) / width
        let recent = results.filter { (($0.time - closedSince) / width) > currentBucket - 10 }
        let failures = recent.filter(\.failure).count
        guard recent.count >= rate.minimumCalls, Double(failures) >= rate.threshold * Double(recent.count) else {
            return nil
        }
        return (failures, recent.count)
    }
}
