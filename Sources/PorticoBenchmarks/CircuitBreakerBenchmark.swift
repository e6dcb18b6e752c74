import CircuitBreaker

/// Per-call cost of the circuit breaker on the request path (target: under 1 µs each), single-threaded.
///
/// Each case runs `iterations` calls timed with `ContinuousClock`, after a warm-up run, and feeds its count to an
/// unoptimised black hole so the loop cannot be folded away. The breaker uses the production `SystemBreakerClock`,
/// so the numbers include the clock reads.
enum CircuitBreakerBenchmark {
    /// Calls per case.
    static let iterations = 2_000_000

    /// One printable line per case.
    static func run() -> [String] {
        [closedPath(), openRejection(), stateMachineOnly()]
    }

    /// A closed breaker: `acquire` then `record(.success)`, the cost every proxied call pays.
    private static func closedPath() -> String {
        let breaker = makeBreaker(maxErrors: 5)
        blackHole(closedLoop(breaker))  // warm-up
        let start = ContinuousClock.now
        let admitted = closedLoop(breaker)
        let elapsed = ContinuousClock.now - start
        blackHole(admitted)
        return line("closed: acquire + record(.success)", elapsed, check: admitted == iterations)
    }

    /// An open breaker: `acquire` returns nil, the cost of failing fast.
    private static func openRejection() -> String {
        let breaker = makeBreaker(maxErrors: 0)
        if let permit = breaker.acquire() { breaker.record(permit, outcome: .failure) }
        blackHole(openLoop(breaker))
        let start = ContinuousClock.now
        let rejected = openLoop(breaker)
        let elapsed = ContinuousClock.now - start
        blackHole(rejected)
        return line("open: acquire rejected (fail fast)", elapsed, check: rejected == iterations)
    }

    /// The value-type state machine alone (no lock, no clock read), to show where the wrapper's cost goes.
    private static func stateMachineOnly() -> String {
        guard let configuration = try? CircuitBreakerConfiguration(interval: .seconds(60), maxErrors: 5) else {
            return "state machine: invalid configuration"
        }
        var machine = CircuitBreakerStateMachine(configuration: configuration, now: .zero)
        blackHole(machineLoop(&machine))
        let start = ContinuousClock.now
        let admitted = machineLoop(&machine)
        let elapsed = ContinuousClock.now - start
        blackHole(admitted)
        return line("state machine only: acquire + record", elapsed, check: admitted == iterations)
    }

    @inline(never)
    private static func closedLoop(_ breaker: CircuitBreaker) -> Int {
        var admitted = 0
        for _ in 0..<iterations {
            if let permit = breaker.acquire() {
                admitted &+= 1
                breaker.record(permit, outcome: .success)
            }
        }
        return admitted
    }

    @inline(never)
    private static func openLoop(_ breaker: CircuitBreaker) -> Int {
        var rejected = 0
        for _ in 0..<iterations where breaker.acquire() == nil {
            rejected &+= 1
        }
        return rejected
    }

    @inline(never)
    private static func machineLoop(_ machine: inout CircuitBreakerStateMachine) -> Int {
        var admitted = 0
        for step in 0..<iterations {
            let now = BreakerInstant(nanoseconds: Int64(step))
            if let permit = machine.event(.acquire, at: now).permit {
                admitted &+= 1
                _ = machine.event(.record(permit, .success), at: now)
            }
        }
        return admitted
    }

    private static func makeBreaker(maxErrors: Int) -> CircuitBreaker {
        let configuration =
            (try? CircuitBreakerConfiguration(interval: .seconds(60), timeout: .seconds(60), maxErrors: maxErrors))
        // The arguments above are in range, so the fallback never runs; it keeps the benchmark free of `try!`.
        return CircuitBreaker(configuration: configuration ?? fallbackConfiguration)
    }

    private static let fallbackConfiguration: CircuitBreakerConfiguration = {
        do { return try CircuitBreakerConfiguration() } catch { preconditionFailure("default configuration") }
    }()

    private static func line(_ name: String, _ elapsed: Duration, check: Bool) -> String {
        let (seconds, attoseconds) = elapsed.components
        let nanoseconds = Double(seconds) * 1e9 + Double(attoseconds) / 1e9
        let perCall = nanoseconds / Double(iterations)
        let rounded = (perCall * 10).rounded() / 10
        return "circuit breaker \(name): \(rounded) ns/call over \(iterations) calls\(check ? "" : " (CHECK FAILED)")"
    }

    @inline(never) @_optimize(none)
    private static func blackHole(_ value: Int) {}
}
