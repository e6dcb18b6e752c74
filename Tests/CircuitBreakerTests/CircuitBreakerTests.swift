import CircuitBreaker
import Synchronization
import Testing

@Suite("CircuitBreaker wrapper")
struct CircuitBreakerTests {
    /// A backend stub that counts calls, so a test can assert the backend is never reached while open.
    final class CountingBackend: Sendable {
        private let calls = Mutex(0)
        var callCount: Int { calls.withLock { $0 } }

        func call(answering status: Int) -> Int {
            calls.withLock { $0 += 1 }
            return status
        }
    }

    /// What a gateway stage does around one backend call; nil when the breaker failed it fast.
    private static func proxy(
        _ breaker: CircuitBreaker,
        _ backend: CountingBackend,
        answering status: Int
    ) -> Int? {
        guard let permit = breaker.acquire() else { return nil }
        let answered = backend.call(answering: status)
        breaker.record(permit, outcome: breaker.isFailure(status: answered) ? .failure : .success)
        return answered
    }

    @Test func whileOpenTheBackendIsNeverCalled() throws {
        let clock = ManualBreakerClock()
        let recorder = TransitionRecorder()
        let breaker = CircuitBreaker(
            configuration: try CircuitBreakerConfiguration(interval: .seconds(60), timeout: .seconds(10), maxErrors: 2),
            clock: clock,
            onTransition: recorder.observe
        )
        let usersBackend = CountingBackend()
        for _ in 0..<3 { #expect(Self.proxy(breaker, usersBackend, answering: 500) == 500) }
        #expect(breaker.state == .open)
        for _ in 0..<100 {
            #expect(Self.proxy(breaker, usersBackend, answering: 200) == nil)
            clock.advance(by: .milliseconds(100))
        }
        #expect(usersBackend.callCount == 3)
        clock.advance(by: .milliseconds(1))
        #expect(Self.proxy(breaker, usersBackend, answering: 200) == 200)
        #expect(breaker.state == .closed)
        #expect(recorder.summary == ["closed>open", "open>half-open", "half-open>closed"])
        #expect(
            recorder.transitions.map(\.at) == [
                .zero, .seconds(10).advanced(byNanoseconds: 1_000_000), .seconds(10).advanced(byNanoseconds: 1_000_000),
            ]
        )
    }

    @Test func readingTheStateAppliesADueChangeAndReportsIt() throws {
        let clock = ManualBreakerClock()
        let recorder = TransitionRecorder()
        let breaker = CircuitBreaker(
            configuration: try CircuitBreakerConfiguration(timeout: .seconds(5), maxErrors: 0),
            clock: clock,
            onTransition: recorder.observe
        )
        let permit = try #require(breaker.acquire())
        breaker.record(permit, outcome: .failure)
        clock.advance(by: .seconds(6))
        #expect(recorder.summary == ["closed>open"])
        #expect(breaker.state == .halfOpen)
        #expect(recorder.summary == ["closed>open", "open>half-open"])
    }

    @Test func statusesAreClassifiedByTheConfiguration() throws {
        let krakend = CircuitBreaker(configuration: try CircuitBreakerConfiguration(maxErrors: 1))
        #expect(!krakend.isFailure(status: 201))
        #expect(krakend.isFailure(status: 204))
        #expect(!krakend.isFailure(status: 500, noOpEncoding: true))
        let serverErrorsOnly = CircuitBreaker(
            configuration: try CircuitBreakerConfiguration(maxErrors: 1, failureStatuses: .listed(.statusClass(5)))
        )
        #expect(!serverErrorsOnly.isFailure(status: 404))
        #expect(serverErrorsOnly.isFailure(status: 503, noOpEncoding: true))
    }

    @Test func clientErrorsDoNotTripABreakerThatCountsOnly5xx() throws {
        let breaker = CircuitBreaker(
            configuration: try CircuitBreakerConfiguration(maxErrors: 0, failureStatuses: .listed(.statusClass(5))),
            clock: ManualBreakerClock()
        )
        let ordersBackend = CountingBackend()
        for _ in 0..<10 { _ = Self.proxy(breaker, ordersBackend, answering: 404) }
        #expect(breaker.state == .closed)
        _ = Self.proxy(breaker, ordersBackend, answering: 502)
        #expect(breaker.state == .open)
    }

    @Test func systemClockNeverGoesBackwards() {
        let clock = SystemBreakerClock()
        var previous = clock.now()
        for _ in 0..<10_000 {
            let next = clock.now()
            #expect(next >= previous)
            previous = next
        }
        #expect(previous >= .zero)
    }

    @Test func manualClockMovesOnlyWhenTold() {
        let clock = ManualBreakerClock(start: .seconds(3))
        #expect(clock.now() == .seconds(3))
        clock.advance(by: .milliseconds(1500))
        #expect(clock.now() == BreakerInstant(nanoseconds: 4_500_000_000))
        clock.set(to: .zero)
        #expect(clock.now() == .zero)
    }

    @Test func instantArithmeticSaturatesInsteadOfTrapping() {
        #expect(BreakerInstant.seconds(.max) == BreakerInstant(nanoseconds: .max))
        #expect(BreakerInstant.seconds(.min) == BreakerInstant(nanoseconds: .min))
        #expect(BreakerInstant(nanoseconds: .max - 1).advanced(by: .seconds(1)).nanoseconds == .max)
        #expect(BreakerInstant(nanoseconds: .min + 1).advanced(by: .seconds(-1)).nanoseconds == .min)
        #expect(BreakerInstant.nanoseconds(of: .seconds(Int64.max)) == .max)
        #expect(BreakerInstant.nanoseconds(of: .milliseconds(-1500)) == -1_500_000_000)
    }

    @Test func stateLabelsAndGaugeValuesAreGobreakers() {
        #expect(BreakerState.allCases.map(\.description) == ["closed", "half-open", "open"])
        #expect(BreakerState.allCases.map(\.gaugeValue) == [0, 1, 2])
        let transition = CircuitBreakerTransition(from: .closed, to: .open, reason: .consecutiveFailures(3), at: .zero)
        #expect(transition.description == "went from 'closed' to 'open' (consecutiveFailures(3))")
    }
}
