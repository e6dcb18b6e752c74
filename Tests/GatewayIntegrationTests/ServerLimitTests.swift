import Gateway
import MockBackend
import NIOCore
import Testing

/// Malformed and oversized requests answer 400/413/431 without reaching a backend, and never crash the server.
@Suite("Server limits")
struct ServerLimitTests {
    static let configuration = """
        {"version": 3, "host": ["{{users}}"],
         "extra_config": {"portico/http": {"max_body_bytes": 1024}},
         "max_header_bytes": 2048,
         "endpoints": [
           {"endpoint": "/users", "method": "POST", "backend": [{"url_pattern": "/users"}]},
           {"endpoint": "/users/{id}", "backend": [{"url_pattern": "/users/{id}"}]}
         ]}
        """

    static func start() async throws -> GatewayHarness {
        try await GatewayHarness.start(
            configuration: configuration,
            backends: [
                "users": [
                    .post("/users", .json(#"{"created":true}"#, status: 201)), .get("/users/{id}", .json(#"{"id":1}"#)),
                ]
            ]
        )
    }

    @Test func oversizedHeadersAnswer431() async throws {
        let harness = try await Self.start()
        defer { Task { await harness.stop() } }
        let request =
            "GET /users/1 HTTP/1.1\r\nHost: localhost\r\nX-Big: \(String(repeating: "a", count: 4096))\r\n\r\n"
        let answer = try await rawExchange(port: harness.port, bytes: Array(request.utf8))
        #expect(answer.hasPrefix("HTTP/1.1 431"), "\(answer)")
        #expect(harness.backend("users").requestCount == 0)
    }

    @Test func declaredOversizedBodyAnswers413() async throws {
        let harness = try await Self.start()
        defer { Task { await harness.stop() } }
        let request = "POST /users HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5000\r\n\r\n"
        let answer = try await rawExchange(port: harness.port, bytes: Array(request.utf8))
        #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer)")
        #expect(harness.backend("users").requestCount == 0)
    }

    @Test func chunkedOversizedBodyAnswers413() async throws {
        let harness = try await Self.start()
        defer { Task { await harness.stop() } }
        let chunk = String(repeating: "x", count: 800)
        let request =
            "POST /users HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "320\r\n\(chunk)\r\n320\r\n\(chunk)\r\n0\r\n\r\n"
        let answer = try await rawExchange(port: harness.port, bytes: Array(request.utf8))
        #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer)")
        #expect(harness.backend("users").requestCount == 0)
    }

    @Test(arguments: [
        "GARBAGE\r\n\r\n",
        "GET /users/1 HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n",
        "GET /users/1 HTTP/9.9\r\n\r\n",
        "GET /users/1 HTTP/1.1\r\nBad Header\r\n\r\n",
    ])
    func malformedRequestsAnswer400(request: String) async throws {
        let harness = try await Self.start()
        defer { Task { await harness.stop() } }
        let answer = try await rawExchange(port: harness.port, bytes: Array(request.utf8))
        #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer)")
        // The server is still healthy afterwards.
        let health = try await harness.request(.GET, "/__health")
        #expect(health.status == 200)
    }

    @Test func keepAliveConnectionsToBackendsAreReused() async throws {
        let harness = try await Self.start()
        defer { Task { await harness.stop() } }
        for _ in 0..<20 {
            let response = try await harness.request(.GET, "/users/1")
            #expect(response.status == 200)
        }
        #expect(harness.backend("users").requestCount == 20)
        #expect(harness.backend("users").connectionCount == 1)
    }

    @Test func backendClosingIdleConnectionIsRetriedTransparently() async throws {
        let harness = try await Self.start()
        defer { Task { await harness.stop() } }
        #expect(try await harness.request(.GET, "/users/1").status == 200)
        harness.backend("users").setFailure(.closeConnection(count: 1))
        // The pooled connection is closed by the backend's fault; a GET is retried once on a fresh connection
        // only when the failure happened on a reused connection before any response byte.
        let second = try await harness.request(.GET, "/users/1")
        #expect(second.status == 200, "the stale pooled connection must be retried on a fresh one: \(second.body)")
        #expect(harness.backend("users").connectionCount == 2)
        #expect(try await harness.request(.GET, "/users/1").status == 200)
    }

    @Test func idleKeepAliveConnectionsAreClosedAfterIdleTimeout() async throws {
        let harness = try await GatewayHarness.start(
            configuration: """
                {"version": 3, "host": ["{{users}}"], "idle_timeout": "300ms",
                 "endpoints": [{"endpoint": "/users/{id}", "backend": [{"url_pattern": "/users/{id}"}]}]}
                """,
            backends: ["users": [.get("/users/{id}", .json(#"{"id":1}"#))]]
        )
        defer { Task { await harness.stop() } }
        let started = ContinuousClock.now
        // Nothing is sent: the server must close the connection on its own, well before the client's 10 s bound.
        let answer = try await rawExchange(port: harness.port, bytes: [])
        #expect(answer.isEmpty)
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func slowBodyAnswers408AfterReadTimeout() async throws {
        let harness = try await GatewayHarness.start(
            configuration: """
                {"version": 3, "host": ["{{users}}"], "read_timeout": "1s",
                 "endpoints": [{"endpoint": "/users", "method": "POST", "backend": [{"url_pattern": "/users"}]}]}
                """,
            backends: ["users": [.post("/users", .json(#"{"created":true}"#, status: 201))]]
        )
        defer { Task { await harness.stop() } }
        // The clock starts at accept (Go's rule), so the bound leaves room for a loaded machine to send the head.
        let request = "POST /users HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nab"
        let answer = try await rawExchange(port: harness.port, bytes: Array(request.utf8))
        #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer)")
        #expect(harness.backend("users").requestCount == 0)
    }
}
