import ExampleHeaderExtension
import Gateway
import MockBackend
import NIOCore
import Testing

@Suite("Streaming, extensions and shutdown")
struct StreamingAndExtensionTests {
    @Test func noOpStreamsALargeChunkedBodyUntouched() async throws {
        let body = String((0..<200_000).map { _ in "abcdefghij".randomElement()! })
        let harness = try await GatewayHarness.start(
            configuration: """
                {"version": 3, "host": ["{{files}}"], "endpoints": [
                  {"endpoint": "/download", "output_encoding": "no-op",
                   "backend": [{"url_pattern": "/blob", "encoding": "no-op"}]}]}
                """,
            backends: ["files": [.get("/blob", MockResponse.text(body).chunked(into: 20, interval: .milliseconds(5)))]]
        )
        defer { Task { await harness.stop() } }
        let response = try await harness.request(.GET, "/download")
        #expect(response.status == 200)
        #expect(response.body == body)
        #expect(response.header("X-Krakend-Completed") == nil)
    }

    @Test func noOpBodyLargerThanBufferLimitStillStreams() async throws {
        // max_backend_response_bytes bounds buffered bodies only; a streamed no-op body is never held whole.
        let body = String(repeating: "z", count: 300_000)
        let harness = try await GatewayHarness.start(
            configuration: """
                {"version": 3, "host": ["{{files}}"],
                 "extra_config": {"portico/http": {"max_backend_response_bytes": 65536}},
                 "endpoints": [
                  {"endpoint": "/download", "output_encoding": "no-op",
                   "backend": [{"url_pattern": "/blob", "encoding": "no-op"}]},
                  {"endpoint": "/decoded", "backend": [{"url_pattern": "/big-json"}]}]}
                """,
            backends: [
                "files": [
                    .get("/blob", .text(body)),
                    .get("/big-json", .json("{\"v\":\"\(body)\"}")),
                ]
            ]
        )
        defer { Task { await harness.stop() } }
        #expect(try await harness.request(.GET, "/download").body.count == body.count)
        #expect(try await harness.request(.GET, "/decoded").status == 500)
    }

    @Test func userExtensionStageRunsThroughTheRegistry() async throws {
        var extensions = GatewayExtensions.standard
        extensions.registerHeaderInjection()
        let harness = try await GatewayHarness.start(
            configuration: """
                {"version": 3, "host": ["{{echo}}"], "endpoints": [
                  {"endpoint": "/tenant", "backend": [{"url_pattern": "/echo"}],
                   "extra_config": {"example/header-injection": {
                      "request_headers": {"X-Tenant": "acme"}, "response_headers": {"X-Served-By": "portico"}}}},
                  {"endpoint": "/plain", "backend": [{"url_pattern": "/echo"}]}]}
                """,
            backends: ["echo": [.get("/echo", .echo())]],
            extensions: extensions
        )
        defer { Task { await harness.stop() } }
        let injected = try await harness.request(.GET, "/tenant")
        #expect(injected.status == 200)
        #expect(injected.header("X-Served-By") == "portico")
        let recorded = try #require(harness.backend("echo").recordedRequests.last)
        #expect(recorded.headers.contains { $0.name.lowercased() == "x-tenant" && $0.value == "acme" })

        let plain = try await harness.request(.GET, "/plain")
        #expect(plain.header("X-Served-By") == nil)
        let plainRecorded = try #require(harness.backend("echo").recordedRequests.last)
        #expect(!plainRecorded.headers.contains { $0.name.lowercased() == "x-tenant" })
    }

    @Test func unknownNamespaceWithoutTheExtensionIsAWarning() throws {
        let loaded = try ConfigurationLoader(
            knownNamespaces: GatewayExtensions.standard.knownNamespaces,
            environment: [:]
        )
        .load(
            text: """
                {"version": 3, "host": ["http://127.0.0.1:9"], "endpoints": [
                  {"endpoint": "/tenant", "backend": [{"url_pattern": "/echo"}],
                   "extra_config": {"example/header-injection": {}}}]}
                """,
            fileName: "test.json"
        )
        #expect(loaded.warnings.contains { $0.isUnknownNamespace && $0.path.contains("example/header-injection") })
    }

    @Test func gracefulStopFinishesInFlightRequests() async throws {
        let harness = try await GatewayHarness.start(
            configuration: """
                {"version": 3, "host": ["{{slow}}"], "endpoints": [
                  {"endpoint": "/slow", "timeout": "5s", "backend": [{"url_pattern": "/slow"}]}]}
                """,
            backends: ["slow": [.get("/slow", MockResponse.json(#"{"done":true}"#).delayed(by: .milliseconds(500)))]]
        )
        async let inFlight = harness.request(.GET, "/slow")
        // Wait until the backend has the request, then stop: the answer must still arrive complete.
        // Bounded poll for a real event (the backend receiving the request), not a wait for time to pass.
        for _ in 0..<1000 where harness.backend("slow").requestCount == 0 {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(harness.backend("slow").requestCount == 1, "the request must be in flight before stopping")
        await harness.gateway.stop()
        let response = try await inFlight
        #expect(response.status == 200)
        #expect(jsonEqual(response.json, parseJSON(#"{"done":true}"#)))
        await harness.stop()
    }
}
