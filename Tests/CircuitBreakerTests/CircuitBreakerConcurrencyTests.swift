import CircuitBreaker
import Dispatch
import Synchronization
import Testing

/// Many callers at once against one breaker: the mutex must keep the machine's guarantees exact.
@Suite("CircuitBreaker under concurrency")
struct CircuitBreakerConcurrencyTests {
    static let callers = 1000

    /// A breaker that has just become due for half-open (nobody has noticed yet).
    private static func halfOpenBreaker(
        probes: Int,
        recorder: TransitionRecorder
    ) throws -> CircuitBreaker {
        let clock = ManualBreakerClock()
        let breaker = CircuitBreaker(
            configuration: try CircuitBreakerConfiguration(timeout: .seconds(10), maxErrors: 0, halfOpenProbes: probes),
            clock: clock,
            onTransition: recorder.observe
        )
        let permit = try #require(breaker.acquire())
        breaker.record(permit, outcome: .failure)
        clock.advance(by: .seconds(11))
        return breaker
    }

    @Test(
        "1,000 concurrent tasks against a half-open breaker: exactly the configured probes get through",
        arguments: [1, 3, 10]
    )
    func tasksAgainstHalfOpen(probes: Int) async throws {
        let recorder = TransitionRecorder()
        let breaker = try Self.halfOpenBreaker(probes: probes, recorder: recorder)
        let admitted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<Self.callers { group.addTask { breaker.acquire() != nil } }
            var count = 0
            for await wasAdmitted in group where wasAdmitted { count += 1 }
            return count
        }
        #expect(admitted == probes)
        #expect(recorder.summary == ["closed>open", "open>half-open"])
    }

    @Test(
        "1,000 concurrent threads against a half-open breaker: exactly the configured probes get through",
        arguments: [1, 3]
    )
    func threadsAgainstHalfOpen(probes: Int) throws {
        let recorder = TransitionRecorder()
        let breaker = try Self.halfOpenBreaker(probes: probes, recorder: recorder)
        let admitted = Atomic(0)
        DispatchQueue.concurrentPerform(iterations: Self.callers) { _ in
            if breaker.acquire() != nil { admitted.add(1, ordering: .relaxed) }
        }
        #expect(admitted.load(ordering: .relaxed) == probes)
        #expect(recorder.summary == ["closed>open", "open>half-open"])
    }

    @Test func concurrentProbesThatSucceedCloseTheBreakerOnce() async throws {
        let recorder = TransitionRecorder()
        let breaker = try Self.halfOpenBreaker(probes: 3, recorder: recorder)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<Self.callers {
                group.addTask {
                    if let permit = breaker.acquire() { breaker.record(permit, outcome: .success) }
                }
            }
        }
        #expect(breaker.state == .closed)
        #expect(recorder.summary == ["closed>open", "open>half-open", "half-open>closed"])
    }

    @Test func concurrentFailuresOpenTheBreakerExactlyOnce() async throws {
        let recorder = TransitionRecorder()
        let breaker = CircuitBreaker(
            configuration: try CircuitBreakerConfiguration(timeout: .seconds(10), maxErrors: 10),
            clock: ManualBreakerClock(),
            onTransition: recorder.observe
        )
        let admitted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<Self.callers {
                group.addTask {
                    guard let permit = breaker.acquire() else { return false }
                    breaker.record(permit, outcome: .failure)
                    return true
                }
            }
            var count = 0
            for await wasAdmitted in group where wasAdmitted { count += 1 }
            return count
        }
        #expect(admitted >= 11)
        #expect(recorder.summary == ["closed>open"])
        #expect(recorder.transitions.first?.reason == .consecutiveFailures(11))
        #expect(breaker.acquire() == nil)
    }
}
