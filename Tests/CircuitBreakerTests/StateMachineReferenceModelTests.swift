import CircuitBreaker
import Testing

/// 100,000 random event sequences, each on a random configuration, drive the state machine and the reference model
/// side by side; after every event their permits, states and transitions must agree.
@Suite("State machine agrees with the reference model")
struct StateMachineReferenceModelTests {
    static let sequenceCount = 100_000

    /// SplitMix64: tiny, seedable, so a failing sequence can be replayed from its number.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
    }

    private static let second: Int64 = 1_000_000_000
    /// Steps that land on, just before and just after the configured whole-second boundaries, plus backward steps
    /// (clock reads from other threads arrive out of order).
    private static let timeSteps: [Int64] = [
        0, 0, 1, second / 4, second / 2, second - 1, second, second, second + 1, 2 * second, 3 * second,
        7 * second, -second / 2,
    ]

    @Test func randomSequencesAgree() throws {
        var totalEvents = 0
        var transitionsSeen = Set<String>()
        var reasonsSeen = Set<String>()
        for sequence in 0..<Self.sequenceCount {
            var random = SplitMix64(state: UInt64(sequence))
            let configuration = try Self.randomConfiguration(&random)
            let outcome = Self.run(configuration, &random)
            totalEvents += outcome.events
            for transition in outcome.transitions {
                transitionsSeen.insert("\(transition.from)>\(transition.to)")
                reasonsSeen.insert(String("\(transition.reason)".prefix { $0 != "(" }))
            }
            if let mismatch = outcome.mismatch {
                Issue.record("sequence \(sequence), \(configuration): \(mismatch)")
                return
            }
        }
        // The sequences must actually exercise the machine, not agree on doing nothing.
        #expect(totalEvents > Self.sequenceCount * 10)
        #expect(
            transitionsSeen == ["closed>open", "open>half-open", "half-open>closed", "half-open>open"]
        )
        #expect(
            reasonsSeen == [
                "consecutiveFailures", "failureRate", "openTimeoutElapsed", "probesSucceeded", "probeFailed",
                "probeDeadlineExceeded",
            ]
        )
    }

    private static func randomConfiguration(_ random: inout SplitMix64) throws -> CircuitBreakerConfiguration {
        let failureRate: FailureRateRule? =
            Bool.random(using: &random)
            ? try FailureRateRule(
                threshold: [0.25, 0.5, 1.0].randomElement(using: &random) ?? 0.5,
                window: .seconds(Int.random(in: 1...4, using: &random)),
                minimumCalls: Int.random(in: 1...4, using: &random)
            ) : nil
        return try CircuitBreakerConfiguration(
            interval: .seconds(Int.random(in: 0...3, using: &random)),
            timeout: .seconds(Int.random(in: 1...3, using: &random)),
            maxErrors: Int.random(in: 0...3, using: &random),
            halfOpenProbes: Int.random(in: 1...3, using: &random),
            probeTimeout: Bool.random(using: &random) ? nil : .seconds(Int.random(in: 1...3, using: &random)),
            failureRate: failureRate
        )
    }

    private struct RunResult {
        var events: Int
        var transitions: [CircuitBreakerTransition]
        var mismatch: String?
    }

    private static func run(_ configuration: CircuitBreakerConfiguration, _ random: inout SplitMix64) -> RunResult {
        var now = Int64.random(in: -5 * second...5 * second, using: &random)
        var machine = CircuitBreakerStateMachine(configuration: configuration, now: BreakerInstant(nanoseconds: now))
        let reference = ReferenceCircuitBreaker(configuration, now: now)
        var outstanding: [(permit: CircuitBreakerPermit, ticket: ReferenceCircuitBreaker.Ticket)] = []
        var finished: [(permit: CircuitBreakerPermit, ticket: ReferenceCircuitBreaker.Ticket)] = []
        var transitions: [CircuitBreakerTransition] = []
        let length = Int.random(in: 1...60, using: &random)
        for step in 0..<length {
            now += timeSteps.randomElement(using: &random) ?? 0
            let instant = BreakerInstant(nanoseconds: now)
            let roll = Int.random(in: 0..<100, using: &random)
            let action: CircuitBreakerStateMachine.Action
            var event: String
            if roll < 40 || outstanding.isEmpty && roll < 85 {
                event = "acquire"
                action = machine.event(.acquire, at: instant)
                let ticket = reference.acquire(at: now)
                if (action.permit == nil) != (ticket == nil) {
                    return RunResult(
                        events: step,
                        transitions: transitions,
                        mismatch: "step \(step) acquire at \(now): machine permit \(action.permit != nil), "
                            + "reference \(ticket != nil)"
                    )
                }
                if let permit = action.permit, let ticket {
                    if permit.isProbe != (ticket.probeID != nil) {
                        return RunResult(
                            events: step,
                            transitions: transitions,
                            mismatch: "step \(step): probe flag differs"
                        )
                    }
                    outstanding.append((permit, ticket))
                }
            } else if roll < 85 {
                let index = Int.random(in: 0..<outstanding.count, using: &random)
                let call = outstanding.remove(at: index)
                let outcome = CircuitBreakerOutcome.allCases.randomElement(using: &random) ?? .success
                event = "record \(outcome) (probe: \(call.permit.isProbe))"
                action = machine.event(.record(call.permit, outcome), at: instant)
                reference.record(call.ticket, outcome, at: now)
                finished.append(call)
            } else if roll < 93 || finished.isEmpty {
                event = "observe"
                action = machine.event(.observe, at: instant)
                reference.observe(at: now)
            } else {
                // A permit reported twice: a gateway bug the breaker must survive identically.
                let call = finished.randomElement(using: &random) ?? finished[0]
                let outcome = CircuitBreakerOutcome.allCases.randomElement(using: &random) ?? .failure
                event = "record again \(outcome)"
                action = machine.event(.record(call.permit, outcome), at: instant)
                reference.record(call.ticket, outcome, at: now)
            }
            if let transition = action.transition { transitions.append(transition) }
            if transitions != reference.transitions || machine.state != reference.state {
                return RunResult(
                    events: step,
                    transitions: transitions,
                    mismatch: "step \(step) \(event) at \(now)ns: machine \(machine.state) \(transitions), "
                        + "reference \(reference.state) \(reference.transitions)"
                )
            }
        }
        return RunResult(events: length, transitions: transitions, mismatch: nil)
    }
}
