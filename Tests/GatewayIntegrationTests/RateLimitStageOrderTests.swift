import Gateway
import MockBackend
import NIOCore
import Testing

/// Pins the backend stage order: the backend rate limit sits outside the circuit breaker, so its rejections never
/// reach the breaker and never count as backend failures.
@Suite("Rate limit outside the circuit breaker")
struct RateLimitStageOrderTests {
    @Test func hammeringPastTheBackendLimitNeverOpensTheBreaker() async throws {
        // One token every 50 ms, burst 1; the breaker opens on the first counted failure (max_errors 0) and would
        // stay open for an hour, so any 200 after the first rejection proves the breaker never saw one.
        let harness = try await GatewayHarness.start(
            configuration: """
                {"version": 3, "host": ["{{orders}}"],
                 "extra_config": {"portico/http": {"status_codes": "precise"}},
                 "endpoints": [
                  {"endpoint": "/orders", "backend": [{"url_pattern": "/orders", "extra_config": {
                     "qos/ratelimit/proxy": {"max_rate": 20, "capacity": 1, "every": "1s"},
                     "qos/circuit-breaker": {"interval": 60, "timeout": 3600, "max_errors": 0}}}]}]}
                """,
            backends: ["orders": [.get("/orders", .json(#"{"orders":[]}"#))]]
        )
        defer { Task { await harness.stop() } }
        var statuses: [Int] = []
        var admittedAfterRejection = 0
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        // Bounded: stops after three admissions that followed a rejection, or after 5 s.
        while admittedAfterRejection < 3, clock.now < deadline {
            let status = try await harness.request(.GET, "/orders").status
            if status == 200, statuses.contains(503) { admittedAfterRejection += 1 }
            statuses.append(status)
        }
        #expect(Set(statuses).isSubset(of: [200, 503]), "\(statuses)")
        #expect(statuses.contains(503), "the limiter never rejected: \(statuses.count) requests")
        #expect(admittedAfterRejection == 3, "the backend stopped answering after the limiter rejected")
        // Every 200 reached the backend and every 503 was the limiter's: the backend saw exactly the admissions.
        #expect(harness.backend("orders").requestCount == statuses.filter { $0 == 200 }.count)
    }
}
