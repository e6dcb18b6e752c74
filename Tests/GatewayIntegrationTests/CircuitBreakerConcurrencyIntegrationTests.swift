import AsyncHTTPClient
import MockBackend
import NIOCore
import NIOPosix
import Testing

/// The half-open guarantee through the whole gateway: however many clients arrive at once, exactly
/// `half_open_probes` of them reach the backend.
@Suite("Circuit breaker through the gateway: concurrency")
struct CircuitBreakerConcurrencyIntegrationTests {
    static let concurrentRequests = 200

    @Test(arguments: [1, 5])
    func halfOpenAdmitsExactlyTheConfiguredProbes(probes: Int) async throws {
        let gateway = try await CircuitBreakerGateway.start(
            configuration: """
                {"version": 3, "host": ["{{users}}"],
                 "extra_config": {"portico/http": {"status_codes": "precise"}},
                 "endpoints": [{"endpoint": "/users/{id}", "backend": [{"url_pattern": "/users/{id}",
                   "extra_config": {"qos/circuit-breaker":
                     {"timeout": 1, "max_errors": 0, "half_open_probes": \(probes), "name": "users-cb"}}}]}]}
                """,
            backends: ["users": [.get("/users/1", .json(#"{"id": 1, "name": "Ada"}"#))]],
            eventLoops: 4
        )
        defer { Task { await gateway.stop() } }
        let users = gateway.backend("users")
        users.setFailure(.status(500, count: 1))
        #expect(try await gateway.get("/users/1").status == 502)
        users.clearRecordedRequests()

        // Probes answer 1 s late, so they are still in flight while every other request arrives and fails fast.
        users.setFailure(.delay(.seconds(1)))
        gateway.clock.advance(by: .seconds(2))
        var configuration = HTTPClient.Configuration()
        // Every request on its own connection at once (AsyncHTTPClient's default is 8 per host).
        configuration.connectionPool = .init(
            idleTimeout: .seconds(30),
            concurrentHTTP1ConnectionsPerHostSoftLimit: Self.concurrentRequests
        )
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        let url = "http://127.0.0.1:\(gateway.harness.port)/users/1"
        let statuses = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<Self.concurrentRequests {
                group.addTask {
                    guard let response = try? await client.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
                    else { return 0 }
                    _ = try? await response.body.collect(upTo: 1 << 20)
                    return Int(response.status.code)
                }
            }
            var statuses: [Int] = []
            for await status in group { statuses.append(status) }
            return statuses
        }
        try await client.shutdown()

        #expect(users.requestCount == probes)
        #expect(statuses.filter { $0 == 200 }.count == probes)
        #expect(statuses.filter { $0 == 503 }.count == Self.concurrentRequests - probes)
        // Enough probes succeeded: closed, and the next request goes straight through.
        users.setFailure(nil)
        #expect(try await gateway.get("/users/1").status == 200)
        #expect(users.requestCount == probes + 1)
    }
}
