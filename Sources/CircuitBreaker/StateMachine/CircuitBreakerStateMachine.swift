/// The breaker's rules as a value type: events in, actions out, time passed in by the caller.
///
/// It reproduces sony/gobreaker as KrakenD configures it (see ``CircuitBreakerConfiguration`` for the rule in
/// words), plus Portico's half-open probe count, probe deadlines and failure-rate rule. It does no locking, reads no
/// clock and calls no one: ``CircuitBreaker`` wraps it in a mutex and executes the actions.
///
/// State changes are lazy, as in gobreaker: an expired open period or probe deadline takes effect on the next event,
/// which may therefore report a transition. Each event reports at most one. Events never allocate; the probe slots
/// and failure-rate buckets are allocated once, in `init`.
public struct CircuitBreakerStateMachine: Sendable {
    /// Something that happened to the breaker.
    public enum Event: Sendable, Hashable {
        /// A caller wants to call the backend.
        case acquire
        /// A call that held `permit` ended with `outcome`.
        case record(CircuitBreakerPermit, CircuitBreakerOutcome)
        /// Someone reads the state: applies due state changes only.
        case observe
    }

    /// What the wrapper must do after an event.
    public struct Action: Sendable, Hashable {
        /// For `.acquire`: the permit to call the backend, or nil to fail fast. Always nil for other events.
        public var permit: CircuitBreakerPermit?
        /// A state change to report to the observer, if one happened.
        public var transition: CircuitBreakerTransition?
    }

    private enum Phase: Sendable {
        /// `cycleEnd` nil: `interval` 0, the count never resets by time.
        case closed(consecutiveFailures: Int, cycleEnd: BreakerInstant?)
        case open(until: BreakerInstant)
        case halfOpen(probesInFlight: Int, successes: Int)
    }

    private let intervalNanoseconds: Int64
    private let timeoutNanoseconds: Int64
    private let probeTimeoutNanoseconds: Int64
    private let maxErrors: Int
    private let probes: Int

    private var phase: Phase
    /// gobreaker's generation: bumped on each state change and each `interval` reset.
    private var generation: UInt64 = 0
    /// Bumped on each state change only; the failure-rate window spans `interval` resets.
    private var epoch: UInt64 = 0
    /// The latest instant seen; time never runs backwards inside the machine.
    private var latest: BreakerInstant
    /// One entry per half-open probe slot: the probe holding it, nil when free.
    private var probeSlots: [(ticket: UInt32, deadline: BreakerInstant)?]
    /// Probes issued in this half-open period; a permit's ticket must match its slot's.
    private var probesIssued: UInt32 = 0
    private var earliestProbeDeadline: BreakerInstant?
    private var rateWindow: FailureRateWindow?

    /// A closed breaker whose first `interval` cycle starts at `now`.
    public init(configuration: CircuitBreakerConfiguration, now: BreakerInstant) {
        let intervalNanoseconds = BreakerInstant.nanoseconds(of: configuration.interval)
        self.intervalNanoseconds = intervalNanoseconds
        self.timeoutNanoseconds = BreakerInstant.nanoseconds(of: configuration.timeout)
        self.probeTimeoutNanoseconds = BreakerInstant.nanoseconds(of: configuration.probeTimeout)
        self.maxErrors = configuration.maxErrors
        self.probes = max(1, configuration.halfOpenProbes)
        self.latest = now
        self.probeSlots = Array(repeating: nil, count: self.probes)
        self.rateWindow = configuration.failureRate.map { FailureRateWindow(rule: $0, now: now) }
        self.phase = .closed(
            consecutiveFailures: 0,
            cycleEnd: Self.cycleEnd(after: now, intervalNanoseconds: intervalNanoseconds)
        )
    }

    /// The state as of the last event (a due change is applied by the next event, e.g. `.observe`).
    public var state: BreakerState {
        switch phase {
        case .closed: .closed
        case .open: .open
        case .halfOpen: .halfOpen
        }
    }

    /// Applies `event` at `now` and says what to do. No allocation.
    public mutating func event(_ event: Event, at now: BreakerInstant) -> Action {
        let transition = advance(to: now)
        switch event {
        case .acquire:
            return Action(permit: admit(), transition: transition)
        case .observe:
            return Action(permit: nil, transition: transition)
        case .record(let permit, let outcome):
            // A transition bumped the generation, so the permit is stale: nothing more to do.
            if transition != nil { return Action(permit: nil, transition: transition) }
            return Action(permit: nil, transition: record(permit, outcome))
        }
    }

    // MARK: - Rules

    /// gobreaker's `currentState`: resets an expired closed cycle, ends an expired open period, and (Portico)
    /// re-opens a half-open breaker whose probe outlived `probe_timeout`. Expiry is strict: due *after* the instant.
    private mutating func advance(to instant: BreakerInstant) -> CircuitBreakerTransition? {
        let now = max(instant, latest)
        latest = now
        switch phase {
        case .closed(_, let end?) where end < now:
            generation &+= 1
            phase = .closed(consecutiveFailures: 0, cycleEnd: cycleEnd(after: now))
            return nil
        case .open(let until) where until < now:
            return enter(.halfOpen, reason: .openTimeoutElapsed)
        case .halfOpen:
            guard let deadline = earliestProbeDeadline, deadline < now else { return nil }
            return enter(.open, reason: .probeDeadlineExceeded)
        default:
            return nil
        }
    }

    private mutating func admit() -> CircuitBreakerPermit? {
        switch phase {
        case .closed:
            return CircuitBreakerPermit(generation: generation, epoch: epoch, probeSlot: -1, probeTicket: 0)
        case .open:
            return nil
        case .halfOpen(let inFlight, let successes):
            // gobreaker's `Requests >= MaxRequests`, less the probes whose client went away.
            guard inFlight + successes < probes else { return nil }
            // A free slot exists: `inFlight` slots are taken out of `probes`.
            guard let slot = probeSlots.firstIndex(where: { $0 == nil }) else { return nil }
            let deadline = latest.advanced(byNanoseconds: probeTimeoutNanoseconds)
            probesIssued &+= 1
            probeSlots[slot] = (probesIssued, deadline)
            earliestProbeDeadline = min(earliestProbeDeadline ?? deadline, deadline)
            phase = .halfOpen(probesInFlight: inFlight + 1, successes: successes)
            return CircuitBreakerPermit(
                generation: generation,
                epoch: epoch,
                probeSlot: Int32(slot),
                probeTicket: probesIssued
            )
        }
    }

    private mutating func record(
        _ permit: CircuitBreakerPermit,
        _ outcome: CircuitBreakerOutcome
    ) -> CircuitBreakerTransition? {
        // Started before the last state change: gobreaker ignores it, and so does every Portico rule.
        guard permit.epoch == epoch else { return nil }
        switch phase {
        case .closed(let consecutiveFailures, let cycleEnd):
            guard outcome != .ignored else { return nil }
            let failed = outcome == .failure
            // Only calls of the current `interval` cycle move KrakenD's count; the rate window spans cycles.
            let sameCycle = permit.generation == generation
            var count = consecutiveFailures
            if sameCycle {
                count = failed ? consecutiveFailures + 1 : 0
                phase = .closed(consecutiveFailures: count, cycleEnd: cycleEnd)
            }
            let rateTripped = rateWindow?.record(failure: failed, at: latest) ?? false
            if sameCycle, failed, count > maxErrors {
                return enter(.open, reason: .consecutiveFailures(count))
            }
            if rateTripped, let window = rateWindow {
                return enter(.open, reason: .failureRate(failures: window.failures, calls: window.calls))
            }
            return nil
        case .halfOpen(let inFlight, let successes):
            let slot = Int(permit.probeSlot)
            // A second record of the same probe finds its slot free, or held by a later probe.
            guard slot >= 0, slot < probeSlots.count, let holder = probeSlots[slot],
                holder.ticket == permit.probeTicket
            else { return nil }
            probeSlots[slot] = nil
            if holder.deadline == earliestProbeDeadline {
                earliestProbeDeadline = probeSlots.lazy.compactMap { $0?.deadline }.min()
            }
            switch outcome {
            case .success:
                if successes + 1 >= probes { return enter(.closed, reason: .probesSucceeded) }
                phase = .halfOpen(probesInFlight: inFlight - 1, successes: successes + 1)
            case .failure:
                return enter(.open, reason: .probeFailed)
            case .ignored:
                phase = .halfOpen(probesInFlight: inFlight - 1, successes: successes)
            }
            return nil
        case .open:
            return nil
        }
    }

    /// gobreaker's `setState` + `toNewGeneration`: new generation, fresh counts, the new state's expiry.
    private mutating func enter(
        _ target: BreakerState,
        reason: CircuitBreakerTransition.Reason
    ) -> CircuitBreakerTransition {
        let transition = CircuitBreakerTransition(from: state, to: target, reason: reason, at: latest)
        generation &+= 1
        epoch &+= 1
        switch target {
        case .closed:
            phase = .closed(consecutiveFailures: 0, cycleEnd: cycleEnd(after: latest))
            rateWindow?.reset(at: latest)
        case .open:
            phase = .open(until: latest.advanced(byNanoseconds: timeoutNanoseconds))
        case .halfOpen:
            for slot in probeSlots.indices { probeSlots[slot] = nil }
            probesIssued = 0
            earliestProbeDeadline = nil
            phase = .halfOpen(probesInFlight: 0, successes: 0)
        }
        return transition
    }

    private func cycleEnd(after instant: BreakerInstant) -> BreakerInstant? {
        Self.cycleEnd(after: instant, intervalNanoseconds: intervalNanoseconds)
    }

    private static func cycleEnd(after instant: BreakerInstant, intervalNanoseconds: Int64) -> BreakerInstant? {
        intervalNanoseconds == 0 ? nil : instant.advanced(byNanoseconds: intervalNanoseconds)
    }
}
