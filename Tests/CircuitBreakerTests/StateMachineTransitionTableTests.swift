import CircuitBreaker
import Testing

/// Every (state, event) pair of the state machine, with its expected permit, resulting state and transition.
///
/// Configuration: `interval` 60s, `timeout` 10s, `max_errors` 1, `half_open_probes` 2, `probe_timeout` 5s.
/// Every scenario starts from the same prologue, so a permit from before a state change (`stale`) always exists:
/// at t=0 the stale permit is taken, two failures open the breaker until t=10, at t=11 two probes succeed and the
/// breaker is closed again, its cycle running from t=11 to t=71.
@Suite("State machine transition table")
struct StateMachineTransitionTableTests {
    enum Scenario: String, CaseIterable, Sendable {
        /// Closed, count 0; `held` taken at t=12; event at t=13.
        case closed
        /// Closed, count 1 (= max_errors): the next counted failure opens it; event at t=13.
        case closedAtLimit
        /// Closed, count 1, event at t=72: the cycle (t=11 to t=71) is over; `held` is from the old cycle.
        case closedCycleOver
        /// Opened at t=12 until t=22; `held` was taken before it opened; event at t=15.
        case open
        /// Same, event at t=23: the open period is over but nobody has noticed yet.
        case openTimeoutElapsed
        /// Half-open since t=23, no probe taken; event at t=24.
        case halfOpenNoProbe
        /// Half-open, probe `held` taken at t=24 (deadline t=29), one slot free; event at t=25.
        case halfOpenOneProbe
        /// Half-open, both probes out, `held` is the second; event at t=25.
        case halfOpenFull
        /// Half-open, first probe succeeded at t=25, `held` (second) out; event at t=26.
        case halfOpenOneSucceeded
        /// Half-open, probe `held` taken at t=24 with deadline t=29; event at t=30.
        case halfOpenProbeOverdue
    }

    enum Event: String, CaseIterable, Sendable {
        case acquire
        case recordSuccess
        case recordFailure
        case recordIgnored
        case recordStale
        case observe
    }

    struct Expectation: Sendable {
        var permit: Bool
        var state: BreakerState
        var transition: CircuitBreakerTransition.Reason?
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var scenario: Scenario
        var event: Event
        var expected: Expectation
        var testDescription: String { "\(scenario.rawValue) + \(event.rawValue)" }
    }

    private static func row(
        _ scenario: Scenario,
        _ event: Event,
        permit: Bool = false,
        _ state: BreakerState,
        _ transition: CircuitBreakerTransition.Reason? = nil
    ) -> Row {
        Row(
            scenario: scenario,
            event: event,
            expected: Expectation(permit: permit, state: state, transition: transition)
        )
    }

    static let table: [Row] = [
        row(.closed, .acquire, permit: true, .closed),
        row(.closed, .recordSuccess, .closed),
        row(.closed, .recordFailure, .closed),
        row(.closed, .recordIgnored, .closed),
        row(.closed, .recordStale, .closed),
        row(.closed, .observe, .closed),

        row(.closedAtLimit, .acquire, permit: true, .closed),
        row(.closedAtLimit, .recordSuccess, .closed),
        row(.closedAtLimit, .recordFailure, .open, .consecutiveFailures(2)),
        row(.closedAtLimit, .recordIgnored, .closed),
        row(.closedAtLimit, .recordStale, .closed),
        row(.closedAtLimit, .observe, .closed),

        row(.closedCycleOver, .acquire, permit: true, .closed),
        row(.closedCycleOver, .recordSuccess, .closed),
        // The count would reach 2 > 1, but the call began in the previous cycle: ignored, as in gobreaker.
        row(.closedCycleOver, .recordFailure, .closed),
        row(.closedCycleOver, .recordIgnored, .closed),
        row(.closedCycleOver, .recordStale, .closed),
        row(.closedCycleOver, .observe, .closed),

        row(.open, .acquire, .open),
        row(.open, .recordSuccess, .open),
        row(.open, .recordFailure, .open),
        row(.open, .recordIgnored, .open),
        row(.open, .recordStale, .open),
        row(.open, .observe, .open),

        row(.openTimeoutElapsed, .acquire, permit: true, .halfOpen, .openTimeoutElapsed),
        row(.openTimeoutElapsed, .recordSuccess, .halfOpen, .openTimeoutElapsed),
        row(.openTimeoutElapsed, .recordFailure, .halfOpen, .openTimeoutElapsed),
        row(.openTimeoutElapsed, .recordIgnored, .halfOpen, .openTimeoutElapsed),
        row(.openTimeoutElapsed, .recordStale, .halfOpen, .openTimeoutElapsed),
        row(.openTimeoutElapsed, .observe, .halfOpen, .openTimeoutElapsed),

        row(.halfOpenNoProbe, .acquire, permit: true, .halfOpen),
        // `held` here was taken before the breaker opened: its result must not move a half-open breaker.
        row(.halfOpenNoProbe, .recordSuccess, .halfOpen),
        row(.halfOpenNoProbe, .recordFailure, .halfOpen),
        row(.halfOpenNoProbe, .recordIgnored, .halfOpen),
        row(.halfOpenNoProbe, .recordStale, .halfOpen),
        row(.halfOpenNoProbe, .observe, .halfOpen),

        row(.halfOpenOneProbe, .acquire, permit: true, .halfOpen),
        row(.halfOpenOneProbe, .recordSuccess, .halfOpen),
        row(.halfOpenOneProbe, .recordFailure, .open, .probeFailed),
        row(.halfOpenOneProbe, .recordIgnored, .halfOpen),
        row(.halfOpenOneProbe, .recordStale, .halfOpen),
        row(.halfOpenOneProbe, .observe, .halfOpen),

        row(.halfOpenFull, .acquire, .halfOpen),
        row(.halfOpenFull, .recordSuccess, .halfOpen),
        row(.halfOpenFull, .recordFailure, .open, .probeFailed),
        row(.halfOpenFull, .recordIgnored, .halfOpen),
        row(.halfOpenFull, .recordStale, .halfOpen),
        row(.halfOpenFull, .observe, .halfOpen),

        row(.halfOpenOneSucceeded, .acquire, .halfOpen),
        row(.halfOpenOneSucceeded, .recordSuccess, .closed, .probesSucceeded),
        row(.halfOpenOneSucceeded, .recordFailure, .open, .probeFailed),
        row(.halfOpenOneSucceeded, .recordIgnored, .halfOpen),
        row(.halfOpenOneSucceeded, .recordStale, .halfOpen),
        row(.halfOpenOneSucceeded, .observe, .halfOpen),

        row(.halfOpenProbeOverdue, .acquire, .open, .probeDeadlineExceeded),
        row(.halfOpenProbeOverdue, .recordSuccess, .open, .probeDeadlineExceeded),
        row(.halfOpenProbeOverdue, .recordFailure, .open, .probeDeadlineExceeded),
        row(.halfOpenProbeOverdue, .recordIgnored, .open, .probeDeadlineExceeded),
        row(.halfOpenProbeOverdue, .recordStale, .open, .probeDeadlineExceeded),
        row(.halfOpenProbeOverdue, .observe, .open, .probeDeadlineExceeded),
    ]

    @Test func tableCoversEveryStateAndEventPairOnce() {
        let pairs = Self.table.map { "\($0.scenario.rawValue)+\($0.event.rawValue)" }
        #expect(Set(pairs).count == pairs.count)
        #expect(pairs.count == Scenario.allCases.count * Event.allCases.count)
    }

    @Test(arguments: table)
    func transition(_ row: Row) throws {
        var fixture = try Fixture(row.scenario)
        let stateBefore = fixture.machine.state
        let action: CircuitBreakerStateMachine.Action
        switch row.event {
        case .acquire: action = fixture.machine.event(.acquire, at: fixture.eventTime)
        case .recordSuccess: action = fixture.machine.event(.record(fixture.held, .success), at: fixture.eventTime)
        case .recordFailure: action = fixture.machine.event(.record(fixture.held, .failure), at: fixture.eventTime)
        case .recordIgnored: action = fixture.machine.event(.record(fixture.held, .ignored), at: fixture.eventTime)
        case .recordStale: action = fixture.machine.event(.record(fixture.stale, .failure), at: fixture.eventTime)
        case .observe: action = fixture.machine.event(.observe, at: fixture.eventTime)
        }
        #expect((action.permit != nil) == row.expected.permit)
        #expect(fixture.machine.state == row.expected.state)
        #expect(action.transition?.reason == row.expected.transition)
        if let transition = action.transition {
            #expect(transition.from == stateBefore)
            #expect(transition.to == row.expected.state)
            #expect(transition.at == fixture.eventTime)
        }
        if row.event == .acquire, let permit = action.permit {
            #expect(permit.isProbe == (row.expected.state == .halfOpen))
        }
    }

    /// A machine brought into a scenario's state by real events only.
    struct Fixture {
        var machine: CircuitBreakerStateMachine
        var held: CircuitBreakerPermit
        var stale: CircuitBreakerPermit
        var eventTime: BreakerInstant

        init(_ scenario: Scenario) throws {
            let configuration = try CircuitBreakerConfiguration(
                interval: .seconds(60),
                timeout: .seconds(10),
                maxErrors: 1,
                halfOpenProbes: 2,
                probeTimeout: .seconds(5)
            )
            var machine = CircuitBreakerStateMachine(configuration: configuration, now: .zero)
            func take(_ second: Int64) throws -> CircuitBreakerPermit {
                try #require(machine.event(.acquire, at: .seconds(second)).permit)
            }
            func record(_ permit: CircuitBreakerPermit, _ outcome: CircuitBreakerOutcome, _ second: Int64) {
                _ = machine.event(.record(permit, outcome), at: .seconds(second))
            }
            // Prologue: closed → open → half-open → closed, leaving `stale` from the first closed period.
            let stale = try take(0)
            record(try take(0), .failure, 0)
            record(try take(0), .failure, 0)
            let firstProbe = try take(11)
            let secondProbe = try take(11)
            record(firstProbe, .success, 11)
            record(secondProbe, .success, 11)
            try #require(machine.state == .closed)

            var held = try take(12)
            var eventTime = BreakerInstant.seconds(13)
            switch scenario {
            case .closed:
                break
            case .closedAtLimit:
                record(try take(12), .failure, 12)
            case .closedCycleOver:
                record(try take(12), .failure, 12)
                eventTime = .seconds(72)
            case .open, .openTimeoutElapsed:
                record(try take(12), .failure, 12)
                record(try take(12), .failure, 12)
                try #require(machine.state == .open)
                eventTime = scenario == .open ? .seconds(15) : .seconds(23)
            case .halfOpenNoProbe, .halfOpenOneProbe, .halfOpenFull, .halfOpenOneSucceeded, .halfOpenProbeOverdue:
                record(try take(12), .failure, 12)
                record(try take(12), .failure, 12)
                _ = machine.event(.observe, at: .seconds(23))
                try #require(machine.state == .halfOpen)
                eventTime = .seconds(24)
                if scenario != .halfOpenNoProbe {
                    held = try take(24)
                    eventTime = scenario == .halfOpenProbeOverdue ? .seconds(30) : .seconds(25)
                }
                if scenario == .halfOpenFull || scenario == .halfOpenOneSucceeded {
                    let first = held
                    held = try take(24)
                    if scenario == .halfOpenOneSucceeded {
                        record(first, .success, 25)
                        eventTime = .seconds(26)
                    }
                }
            }
            self.machine = machine
            self.held = held
            self.stale = stale
            self.eventTime = eventTime
        }
    }
}
