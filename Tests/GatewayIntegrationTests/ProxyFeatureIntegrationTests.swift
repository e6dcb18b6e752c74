import Foundation
import Gateway
import MockBackend
import Testing

/// Shadow backends and concurrent calls through real sockets: what the backends received, and when.
@Suite("Proxy features")
struct ProxyFeatureIntegrationTests {
    /// Waits (bounded) until `backend` has recorded `count` requests; returns what it recorded.
    private static func waitForRequests(
        _ backend: MockBackendServer,
        count: Int,
        within limit: Duration = .seconds(5)
    ) async throws -> [RecordedRequest] {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while backend.recordedRequests.count < count && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        return backend.recordedRequests
    }

    @Test func slowShadowReceivesTheRequestWithoutDelayingTheClient() async throws {
        let harness = try await GatewayHarness.start(
            configuration: #"""
                {"version": 3, "timeout": "5s", "endpoints": [{"endpoint": "/items/{id}", "method": "POST",
                  "input_headers": ["X-Trace"],
                  "backend": [
                    {"host": ["{{live}}"], "url_pattern": "/items/{id}"},
                    {"host": ["{{mirror}}"], "url_pattern": "/mirror/{id}",
                     "extra_config": {"proxy": {"shadow": true}}}]}]}
                """#,
            backends: [
                "live": [.any("/items/{id}", .json(#"{"stored": true}"#))],
                "mirror": [.any("/mirror/{id}", .json(#"{"mirrored": true}"#).delayed(by: .seconds(2)))],
            ]
        )
        defer { Task { await harness.stop() } }
        let started = ContinuousClock.now
        let response = try await harness.request(
            .POST,
            "/items/7",
            headers: [("X-Trace", "trace-1"), ("Content-Type", "application/json")],
            body: #"{"name": "lamp"}"#
        )
        let elapsed = ContinuousClock.now - started
        #expect(response.status == 200)
        #expect(response.header("X-Krakend-Completed") == "true")
        #expect(jsonEqual(response.json, ["stored": true]))
        // The mirror answers after 2 s; the client must not have waited for it.
        #expect(elapsed < .seconds(1), "client waited \(elapsed)")
        let mirrored = try await Self.waitForRequests(harness.backend("mirror"), count: 1)
        let request = try #require(mirrored.first, "the shadow backend received nothing")
        #expect(request.method == "POST")
        #expect(request.uri == "/mirror/7")
        #expect(request.headers.first { $0.0.lowercased() == "x-trace" }?.1 == "trace-1")
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"name": "lamp"}"#)
        await harness.stop()
    }

    @Test func failingShadowDoesNotAffectStatusOrCompleteness() async throws {
        let harness = try await GatewayHarness.start(
            configuration: #"""
                {"version": 3, "endpoints": [{"endpoint": "/items", "backend": [
                    {"host": ["{{live}}"], "url_pattern": "/items"},
                    {"host": ["{{mirror}}"], "url_pattern": "/items", "extra_config": {"proxy": {"shadow": true}}}]}]}
                """#,
            backends: [
                "live": [.get("/items", .json(#"{"items": 2}"#))],
                "mirror": [.get("/items", .status(500))],
            ]
        )
        defer { Task { await harness.stop() } }
        let response = try await harness.request(.GET, "/items")
        #expect(response.status == 200)
        #expect(response.header("X-Krakend-Completed") == "true")
        #expect(jsonEqual(response.json, ["items": 2]))
        _ = try await Self.waitForRequests(harness.backend("mirror"), count: 1)
        #expect(harness.backend("mirror").recordedRequests.count == 1)
        await harness.stop()
    }

    @Test func concurrentCallsSendNRequestsAndAnswerOnce() async throws {
        let harness = try await GatewayHarness.start(
            configuration: #"""
                {"version": 3, "endpoints": [{"endpoint": "/prices", "concurrent_calls": 3,
                  "backend": [{"host": ["{{prices}}"], "url_pattern": "/prices"}]}]}
                """#,
            backends: ["prices": [.get("/prices", .json(#"{"price": 10}"#))]]
        )
        defer { Task { await harness.stop() } }
        let response = try await harness.request(.GET, "/prices")
        #expect(response.status == 200)
        #expect(jsonEqual(response.json, ["price": 10]))
        let received = try await Self.waitForRequests(harness.backend("prices"), count: 3)
        #expect(received.count == 3)
        #expect(received.allSatisfy { $0.uri == "/prices" })
        await harness.stop()
    }

    @Test func concurrentCallsWinWithTheFirstSuccess() async throws {
        // Two calls hit a backend whose answers alternate: one fails, one succeeds; the success wins.
        let harness = try await GatewayHarness.start(
            configuration: #"""
                {"version": 3, "endpoints": [{"endpoint": "/flaky", "concurrent_calls": 2,
                  "backend": [{"host": ["{{primary}}", "{{secondary}}"], "url_pattern": "/flaky"}]}]}
                """#,
            backends: [
                "primary": [.get("/flaky", .status(503))],
                "secondary": [.get("/flaky", .json(#"{"ok": true}"#))],
            ]
        )
        defer { Task { await harness.stop() } }
        for _ in 0..<4 {
            let response = try await harness.request(.GET, "/flaky")
            #expect(response.status == 200)
            #expect(jsonEqual(response.json, ["ok": true]))
        }
        await harness.stop()
    }
}
