import CircuitBreaker
import Testing

/// The documented rules, one at a time, on the value-type machine with explicit instants.
@Suite("State machine rules")
struct StateMachineBehaviourTests {
    /// A machine and the transitions it reported; a class so calls read naturally inside `#expect`.
    final class Driver {
        var machine: CircuitBreakerStateMachine
        var transitions: [CircuitBreakerTransition] = []

        init(_ configuration: CircuitBreakerConfiguration, at start: BreakerInstant = .zero) {
            machine = CircuitBreakerStateMachine(configuration: configuration, now: start)
        }

        private init(machine: CircuitBreakerStateMachine, transitions: [CircuitBreakerTransition]) {
            self.machine = machine
            self.transitions = transitions
        }

        /// An independent driver in the same state, to try two futures from one point.
        func copy() -> Driver { Driver(machine: machine, transitions: transitions) }

        func acquire(at instant: BreakerInstant) -> CircuitBreakerPermit? {
            let action = machine.event(.acquire, at: instant)
            if let transition = action.transition { transitions.append(transition) }
            return action.permit
        }

        func record(_ permit: CircuitBreakerPermit, _ outcome: CircuitBreakerOutcome, at instant: BreakerInstant) {
            let action = machine.event(.record(permit, outcome), at: instant)
            if let transition = action.transition { transitions.append(transition) }
        }

        /// One call started and ended at `instant`; false when it was not admitted.
        @discardableResult
        func call(_ outcome: CircuitBreakerOutcome, at instant: BreakerInstant) -> Bool {
            guard let permit = acquire(at: instant) else { return false }
            record(permit, outcome, at: instant)
            return true
        }

        func state(at instant: BreakerInstant) -> BreakerState {
            let action = machine.event(.observe, at: instant)
            if let transition = action.transition { transitions.append(transition) }
            return machine.state
        }
    }

    @Test("The (max_errors + 1)-th consecutive failure opens the breaker", arguments: [0, 1, 2, 5, 20])
    func consecutiveFailuresBeyondMaxErrorsOpen(maxErrors: Int) throws {
        let driver = Driver(try CircuitBreakerConfiguration(interval: .seconds(60), maxErrors: maxErrors))
        for failure in 0..<maxErrors {
            driver.call(.failure, at: .seconds(1))
            #expect(driver.machine.state == .closed, "after \(failure + 1) failures")
        }
        driver.call(.failure, at: .seconds(1))
        #expect(driver.machine.state == .open)
        #expect(driver.transitions.map(\.reason) == [.consecutiveFailures(maxErrors + 1)])
    }

    @Test func aSuccessStartsTheCountOver() throws {
        let driver = Driver(try CircuitBreakerConfiguration(maxErrors: 2))
        for _ in 0..<10 {
            driver.call(.failure, at: .seconds(1))
            driver.call(.failure, at: .seconds(1))
            driver.call(.success, at: .seconds(1))
        }
        #expect(driver.machine.state == .closed)
        driver.call(.failure, at: .seconds(1))
        driver.call(.failure, at: .seconds(1))
        driver.call(.failure, at: .seconds(1))
        #expect(driver.machine.state == .open)
    }

    @Test func ignoredCallsNeitherCountNorReset() throws {
        let driver = Driver(try CircuitBreakerConfiguration(maxErrors: 1))
        driver.call(.failure, at: .seconds(1))
        driver.call(.ignored, at: .seconds(1))
        driver.call(.failure, at: .seconds(1))
        #expect(driver.machine.state == .open)
    }

    @Test func intervalResetsTheCountOnlyStrictlyAfterTheCycleEnds() throws {
        let configuration = try CircuitBreakerConfiguration(interval: .seconds(10), maxErrors: 1)
        // Cycle 0…10: a failure at 10 still belongs to it.
        let onTheBoundary = Driver(configuration)
        onTheBoundary.call(.failure, at: .seconds(1))
        onTheBoundary.call(.failure, at: .seconds(10))
        #expect(onTheBoundary.machine.state == .open)
        // One nanosecond later the count has been reset.
        let justAfter = Driver(configuration)
        justAfter.call(.failure, at: .seconds(1))
        justAfter.call(.failure, at: BreakerInstant.seconds(10).advanced(byNanoseconds: 1))
        #expect(justAfter.machine.state == .closed)
    }

    @Test func theNextCycleStartsWhenTheResetIsNoticedNotAtAMultipleOfInterval() throws {
        let driver = Driver(try CircuitBreakerConfiguration(interval: .seconds(10), maxErrors: 1))
        driver.call(.success, at: .seconds(25))  // first cycle 0…10 ended; the new one runs 25…35
        driver.call(.failure, at: .seconds(31))  // a 20…30 cycle would have reset here
        driver.call(.failure, at: .seconds(35))
        #expect(driver.machine.state == .open)
    }

    @Test func zeroIntervalNeverForgets() throws {
        let driver = Driver(try CircuitBreakerConfiguration(interval: .zero, maxErrors: 1))
        driver.call(.failure, at: .seconds(1))
        driver.call(.failure, at: .seconds(1_000_000))
        #expect(driver.machine.state == .open)
    }

    @Test func aCallSpanningAnIntervalResetIsIgnored() throws {
        let driver = Driver(try CircuitBreakerConfiguration(interval: .seconds(10), maxErrors: 0))
        let slowCall = try #require(driver.acquire(at: .seconds(9)))
        driver.call(.success, at: .seconds(11))  // resets the cycle
        driver.record(slowCall, .failure, at: .seconds(12))
        #expect(driver.machine.state == .closed)
    }

    @Test func resultsFromBeforeAStateChangeAreIgnored() throws {
        let driver = Driver(try CircuitBreakerConfiguration(timeout: .seconds(5), maxErrors: 0))
        let inFlight = try #require(driver.acquire(at: .seconds(1)))
        driver.call(.failure, at: .seconds(1))
        #expect(driver.machine.state == .open)
        driver.record(inFlight, .success, at: .seconds(2))
        #expect(driver.machine.state == .open)
        #expect(driver.state(at: .seconds(7)) == .halfOpen)
        driver.record(inFlight, .failure, at: .seconds(7))
        #expect(driver.machine.state == .halfOpen)
    }

    @Test func openFailsFastForExactlyTimeout() throws {
        let driver = Driver(try CircuitBreakerConfiguration(timeout: .seconds(10), maxErrors: 0))
        driver.call(.failure, at: .seconds(5))
        #expect(driver.acquire(at: .seconds(6)) == nil)
        #expect(driver.acquire(at: .seconds(15)) == nil)
        let probe = try #require(driver.acquire(at: BreakerInstant.seconds(15).advanced(byNanoseconds: 1)))
        #expect(probe.isProbe)
        #expect(driver.transitions.map(\.to) == [.open, .halfOpen])
    }

    @Test func zeroTimeoutMeansSixtySeconds() throws {
        let driver = Driver(try CircuitBreakerConfiguration(timeout: .zero, maxErrors: 0))
        driver.call(.failure, at: .zero)
        #expect(driver.state(at: .seconds(60)) == .open)
        #expect(driver.state(at: .seconds(61)) == .halfOpen)
    }

    @Test("Half-open admits exactly half_open_probes and closes after that many successes", arguments: [1, 2, 5])
    func probes(count: Int) throws {
        let driver = Driver(try CircuitBreakerConfiguration(timeout: .seconds(1), maxErrors: 0, halfOpenProbes: count))
        driver.call(.failure, at: .zero)
        var permits: [CircuitBreakerPermit] = []
        for _ in 0..<(count + 3) {
            if let permit = driver.acquire(at: .seconds(2)) { permits.append(permit) }
        }
        #expect(permits.count == count)
        for (index, permit) in permits.enumerated() {
            #expect(driver.machine.state == .halfOpen)
            driver.record(permit, .success, at: .seconds(3))
            #expect(driver.machine.state == (index == count - 1 ? .closed : .halfOpen))
        }
        #expect(driver.transitions.map(\.reason) == [.consecutiveFailures(1), .openTimeoutElapsed, .probesSucceeded])
    }

    @Test func aSuccessfulProbeDoesNotFreeItsSlot() throws {
        let driver = Driver(try CircuitBreakerConfiguration(timeout: .seconds(1), maxErrors: 0, halfOpenProbes: 2))
        driver.call(.failure, at: .zero)
        let first = try #require(driver.acquire(at: .seconds(2)))
        driver.record(first, .success, at: .seconds(2))
        #expect(driver.acquire(at: .seconds(2)) != nil)
        #expect(driver.acquire(at: .seconds(2)) == nil)
    }

    @Test func anAbandonedProbeFreesItsSlotForTheNextCaller() throws {
        let driver = Driver(try CircuitBreakerConfiguration(timeout: .seconds(1), maxErrors: 0))
        driver.call(.failure, at: .zero)
        let abandoned = try #require(driver.acquire(at: .seconds(2)))
        #expect(driver.acquire(at: .seconds(2)) == nil)
        driver.record(abandoned, .ignored, at: .seconds(2))
        let next = try #require(driver.acquire(at: .seconds(2)))
        driver.record(next, .success, at: .seconds(2))
        #expect(driver.machine.state == .closed)
    }

    @Test func recordingAProbeTwiceCountsItOnce() throws {
        let driver = Driver(try CircuitBreakerConfiguration(timeout: .seconds(1), maxErrors: 0, halfOpenProbes: 2))
        driver.call(.failure, at: .zero)
        let probe = try #require(driver.acquire(at: .seconds(2)))
        driver.record(probe, .success, at: .seconds(2))
        driver.record(probe, .success, at: .seconds(2))
        #expect(driver.machine.state == .halfOpen)
        driver.record(probe, .failure, at: .seconds(2))
        #expect(driver.machine.state == .halfOpen)
    }

    @Test func aLateRecordOfAnAbandonedProbeDoesNotCountForTheProbeInItsSlot() throws {
        let driver = Driver(try CircuitBreakerConfiguration(timeout: .seconds(1), maxErrors: 0))
        driver.call(.failure, at: .zero)
        let abandoned = try #require(driver.acquire(at: .seconds(2)))
        driver.record(abandoned, .ignored, at: .seconds(2))
        let successor = try #require(driver.acquire(at: .seconds(2)))  // same slot
        driver.record(abandoned, .failure, at: .seconds(2))
        #expect(driver.machine.state == .halfOpen)
        driver.record(successor, .success, at: .seconds(2))
        #expect(driver.machine.state == .closed)
    }

    @Test func aLostProbeReopensTheBreakerAfterProbeTimeout() throws {
        let driver = Driver(
            try CircuitBreakerConfiguration(timeout: .seconds(10), maxErrors: 0, probeTimeout: .seconds(3))
        )
        driver.call(.failure, at: .zero)
        let lost = try #require(driver.acquire(at: .seconds(11)))
        #expect(driver.acquire(at: .seconds(14)) == nil)
        #expect(driver.machine.state == .halfOpen)
        #expect(driver.acquire(at: BreakerInstant.seconds(14).advanced(byNanoseconds: 1)) == nil)
        #expect(driver.machine.state == .open)
        #expect(driver.transitions.last?.reason == .probeDeadlineExceeded)
        // Its late result is ignored, and the breaker probes again after another timeout.
        driver.record(lost, .success, at: .seconds(15))
        #expect(driver.machine.state == .open)
        #expect(driver.acquire(at: .seconds(25)) != nil)
    }

    @Test func probeTimeoutDefaultsToTimeout() throws {
        let driver = Driver(try CircuitBreakerConfiguration(timeout: .seconds(10), maxErrors: 0))
        driver.call(.failure, at: .zero)
        _ = try #require(driver.acquire(at: .seconds(11)))
        #expect(driver.state(at: .seconds(21)) == .halfOpen)
        #expect(driver.state(at: .milliseconds(21_001)) == .open)
    }

    @Test func theProbeDeadlineThatCountsIsTheEarliestOutstanding() throws {
        let driver = Driver(
            try CircuitBreakerConfiguration(
                timeout: .seconds(1),
                maxErrors: 0,
                halfOpenProbes: 2,
                probeTimeout: .seconds(5)
            )
        )
        driver.call(.failure, at: .zero)
        let early = try #require(driver.acquire(at: .seconds(2)))  // deadline 7
        _ = try #require(driver.acquire(at: .seconds(4)))  // deadline 9, never reported
        driver.record(early, .success, at: .seconds(6))
        #expect(driver.state(at: .seconds(8)) == .halfOpen)
        #expect(driver.state(at: .seconds(10)) == .open)
    }

    @Test func timeNeverRunsBackwards() throws {
        let driver = Driver(try CircuitBreakerConfiguration(timeout: .seconds(10), maxErrors: 0))
        driver.call(.failure, at: .seconds(100))
        #expect(driver.state(at: .seconds(111)) == .halfOpen)
        // A clock read taken earlier on another thread must not reopen or re-time anything.
        let probe = try #require(driver.acquire(at: .seconds(50)))
        driver.record(probe, .success, at: .seconds(50))
        #expect(driver.machine.state == .closed)
        #expect(driver.transitions.last?.at == .seconds(111))
    }

    @Test func theDocumentedWorkedExampleHoldsStepByStep() throws {
        // {"interval": 60, "timeout": 10, "max_errors": 2}, created at t=0.
        let configuration = try CircuitBreakerConfiguration(interval: .seconds(60), timeout: .seconds(10), maxErrors: 2)
        let driver = Driver(configuration)
        driver.call(.failure, at: .seconds(1))
        driver.call(.failure, at: .seconds(2))
        #expect(driver.machine.state == .closed)
        driver.call(.success, at: .seconds(3))
        driver.call(.failure, at: .seconds(4))
        driver.call(.failure, at: .seconds(5))
        #expect(driver.machine.state == .closed)
        driver.call(.failure, at: .seconds(6))
        #expect(driver.machine.state == .open)
        for second: Int64 in 7...16 { #expect(driver.acquire(at: .seconds(second)) == nil, "t=\(second)") }

        let failedProbe = driver.copy()
        let probe = try #require(driver.acquire(at: .seconds(17)))
        #expect(driver.acquire(at: .seconds(17)) == nil)
        driver.record(probe, .success, at: .seconds(17))
        #expect(driver.machine.state == .closed)

        let failing = try #require(failedProbe.acquire(at: .seconds(17)))
        failedProbe.record(failing, .failure, at: .seconds(18))
        #expect(failedProbe.state(at: .seconds(28)) == .open)
        #expect(failedProbe.state(at: .milliseconds(28_001)) == .halfOpen)

        // The interval part: cycle 17…77, failures at 75 and 76, a call starting at 78 resets the count.
        driver.call(.failure, at: .seconds(75))
        var straddling = try #require(driver.acquire(at: .milliseconds(76_500)))
        driver.call(.failure, at: .seconds(76))
        let withStraddler = driver.copy()
        let fresh = try #require(driver.acquire(at: .seconds(78)))
        driver.record(fresh, .failure, at: .seconds(78))
        #expect(driver.machine.state == .closed)  // count 1, not 3
        driver.record(straddling, .failure, at: .seconds(78))
        #expect(driver.machine.state == .closed)  // began in the old cycle: ignored
        driver.call(.failure, at: .seconds(79))
        driver.call(.failure, at: .seconds(80))
        #expect(driver.machine.state == .open)  // 3 in one cycle

        // Without the reset (same calls inside the cycle), the third failure would have opened it.
        straddling = try #require(withStraddler.acquire(at: .seconds(77)))
        withStraddler.record(straddling, .failure, at: .seconds(77))
        #expect(withStraddler.machine.state == .open)
    }

    // MARK: - failure_rate

    private static func rateConfiguration(
        threshold: Double = 0.5,
        window: Duration = .seconds(10),
        minimumCalls: Int = 4,
        interval: Duration = .zero
    ) throws -> CircuitBreakerConfiguration {
        try CircuitBreakerConfiguration(
            interval: interval,
            timeout: .seconds(5),
            maxErrors: 1000,
            failureRate: FailureRateRule(threshold: threshold, window: window, minimumCalls: minimumCalls)
        )
    }

    @Test func sparseFailuresTripTheRateRuleButNeverTheConsecutiveOne() throws {
        let driver = Driver(try Self.rateConfiguration())
        driver.call(.failure, at: .seconds(1))
        driver.call(.success, at: .seconds(1))
        driver.call(.failure, at: .seconds(1))
        #expect(driver.machine.state == .closed)  // 3 calls < min_calls 4
        driver.call(.success, at: .seconds(1))
        #expect(driver.machine.state == .closed)  // successes never trip
        driver.call(.failure, at: .seconds(1))  // 3 of 5 ≥ 0.5
        #expect(driver.machine.state == .open)
        #expect(driver.transitions.map(\.reason) == [.failureRate(failures: 3, calls: 5)])
    }

    @Test func theRatioMustReachTheThreshold() throws {
        let driver = Driver(try Self.rateConfiguration(threshold: 0.75))
        for _ in 0..<3 {
            driver.call(.success, at: .seconds(1))
            driver.call(.failure, at: .seconds(1))
            driver.call(.failure, at: .seconds(1))
        }
        #expect(driver.machine.state == .closed)  // 6 of 9 = 0.67
        driver.call(.failure, at: .seconds(1))
        driver.call(.failure, at: .seconds(1))  // 8 of 11 = 0.727
        #expect(driver.machine.state == .closed)
        driver.call(.failure, at: .seconds(1))  // 9 of 12 = 0.75
        #expect(driver.machine.state == .open)
    }

    @Test func failuresAgeOutOfTheWindowBucketByBucket() throws {
        // Window 10s in 1s buckets anchored at t=0.
        let driver = Driver(try Self.rateConfiguration(minimumCalls: 4))
        driver.call(.failure, at: .milliseconds(500))
        driver.call(.failure, at: .milliseconds(1_500))
        driver.call(.success, at: .milliseconds(2_500))
        // At t=10.5 the bucket of t=0.5 has left the window: 1 failure + 1 success + this one.
        driver.call(.failure, at: .milliseconds(10_500))
        #expect(driver.machine.state == .closed)
        // At t=10.9 (same bucket) the window holds t=1.5, 2.5, 10.5, 10.9: 3 of 4.
        driver.call(.failure, at: .milliseconds(10_900))
        #expect(driver.machine.state == .open)
    }

    @Test func aLongSilenceEmptiesTheWindow() throws {
        let driver = Driver(try Self.rateConfiguration(minimumCalls: 3))
        driver.call(.failure, at: .seconds(1))
        driver.call(.failure, at: .seconds(1))
        driver.call(.failure, at: .seconds(1_000))
        #expect(driver.machine.state == .closed)
    }

    @Test func intervalResetsDoNotClearTheRateWindow() throws {
        let driver = Driver(try Self.rateConfiguration(window: .seconds(30), minimumCalls: 4, interval: .seconds(2)))
        driver.call(.failure, at: .seconds(1))
        driver.call(.failure, at: .seconds(4))
        driver.call(.failure, at: .seconds(7))
        #expect(driver.machine.state == .closed)
        driver.call(.success, at: .seconds(10))
        driver.call(.failure, at: .seconds(13))
        #expect(driver.machine.state == .open)
    }

    @Test func closingClearsTheRateWindow() throws {
        let driver = Driver(try Self.rateConfiguration(window: .seconds(60), minimumCalls: 2))
        driver.call(.success, at: .seconds(1))
        driver.call(.failure, at: .seconds(1))
        #expect(driver.machine.state == .open)
        driver.call(.success, at: .seconds(7))  // the probe closes it
        #expect(driver.machine.state == .closed)
        driver.call(.failure, at: .seconds(8))  // 1 call: below min_calls again
        #expect(driver.machine.state == .closed)
    }

    @Test func aCallSpanningAnIntervalResetStillCountsForTheRateRule() throws {
        let driver = Driver(try Self.rateConfiguration(window: .seconds(30), minimumCalls: 2, interval: .seconds(2)))
        let slow = try #require(driver.acquire(at: .seconds(1)))
        driver.call(.failure, at: .seconds(5))
        driver.record(slow, .failure, at: .seconds(6))
        #expect(driver.machine.state == .open)
    }
}

extension BreakerInstant {
    /// An instant `milliseconds` after the reference point.
    fileprivate static func milliseconds(_ milliseconds: Int64) -> BreakerInstant {
        BreakerInstant(nanoseconds: milliseconds * 1_000_000)
    }
}
