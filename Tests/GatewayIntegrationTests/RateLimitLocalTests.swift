import Gateway
import MockBackend
import NIOCore
import Testing

/// `qos/ratelimit/router` and `qos/ratelimit/proxy` through a real gateway: statuses, headers, client keys.
///
/// Every bucket refills once an hour, so nothing refills while a test runs and no test waits for time to pass.
@Suite("Rate limiting through the gateway (local)")
struct RateLimitLocalTests {
    static let usersBackend: [String: [MockRoute]] = [
        "users": [.get("/users/{id}", .json(#"{"name":"Ada"}"#)), .get("/orders", .json(#"{"orders":[]}"#))]
    ]

    /// A gateway with one endpoint `/users/{id}` limited by `limit` (a `qos/ratelimit/router` object).
    static func start(limit: String) async throws -> GatewayHarness {
        try await GatewayHarness.start(
            configuration: """
                {"version": 3, "host": ["{{users}}"], "endpoints": [
                  {"endpoint": "/users/{id}", "backend": [{"url_pattern": "/users/{id}"}],
                   "extra_config": {"qos/ratelimit/router": \(limit)}}]}
                """,
            backends: usersBackend
        )
    }

    @Test func emptyEndpointBucketAnswers503WithRetryAfterAndIETFFields() async throws {
        let harness = try await Self.start(
            limit: #"{"max_rate": 2, "capacity": 2, "every": "1h", "response_headers": "ietf"}"#
        )
        defer { Task { await harness.stop() } }
        let first = try await harness.request(.GET, "/users/1")
        #expect(first.status == 200)
        #expect(first.header("RateLimit-Policy") == #""default";q=2;w=3600"#)
        #expect(first.header("RateLimit")?.hasPrefix(#""default";r=1;t="#) == true)
        #expect(first.header("Retry-After") == nil)
        #expect(try await harness.request(.GET, "/users/2").status == 200)
        let refused = try await harness.request(.GET, "/users/3")
        #expect(refused.status == 503)
        // One token per 30 minutes: the next one is at most 1800 s away.
        let retryAfter = try #require(refused.header("Retry-After").flatMap(Int.init))
        #expect((1...1800).contains(retryAfter))
        #expect(refused.header("RateLimit-Policy") == #""default";q=2;w=3600"#)
        #expect(refused.header("RateLimit")?.hasPrefix(#""default";r=0;t="#) == true)
        #expect(harness.backend("users").requestCount == 2)
    }

    @Test func defaultStyleSendsOnlyRetryAfterAndLegacyStyleSendsXRateLimit() async throws {
        let plain = try await Self.start(limit: #"{"max_rate": 1, "capacity": 1, "every": "1h"}"#)
        defer { Task { await plain.stop() } }
        let admitted = try await plain.request(.GET, "/users/1")
        #expect(admitted.status == 200)
        #expect(admitted.header("RateLimit") == nil && admitted.header("X-RateLimit-Limit") == nil)
        let refused = try await plain.request(.GET, "/users/1")
        #expect(refused.status == 503)
        #expect(refused.header("Retry-After") != nil)
        #expect(refused.header("RateLimit-Policy") == nil)

        let legacy = try await Self.start(
            limit: #"{"max_rate": 3, "capacity": 3, "every": "1h", "response_headers": "legacy"}"#
        )
        defer { Task { await legacy.stop() } }
        let counted = try await legacy.request(.GET, "/users/1")
        #expect(counted.header("X-RateLimit-Limit") == "3")
        #expect(counted.header("X-RateLimit-Remaining") == "2")
        #expect(counted.header("RateLimit") == nil)
    }

    @Test func clientBucketByPeerAddressAnswers429AndIgnoresUntrustedForwardedFor() async throws {
        let harness = try await Self.start(
            limit: #"{"client_max_rate": 1, "client_capacity": 1, "strategy": "ip", "every": "1h"}"#
        )
        defer { Task { await harness.stop() } }
        let first = try await harness.request(.GET, "/users/1", headers: [("X-Forwarded-For", "203.0.113.1")])
        #expect(first.status == 200)
        // Another forwarded address from the same untrusted peer is still the same client.
        let second = try await harness.request(.GET, "/users/1", headers: [("X-Forwarded-For", "203.0.113.2")])
        #expect(second.status == 429)
        #expect(second.header("Retry-After") != nil)
        #expect(harness.backend("users").requestCount == 1)
    }

    @Test func trustedProxyForwardedForSelectsTheClient() async throws {
        let harness = try await Self.start(
            limit: """
                {"client_max_rate": 1, "client_capacity": 1, "strategy": "ip", "every": "1h",
                 "trusted_proxies": ["127.0.0.1/32"]}
                """
        )
        defer { Task { await harness.stop() } }
        let alice = [("X-Forwarded-For", "203.0.113.1")]
        let bob = [("X-Forwarded-For", "198.51.100.7, 203.0.113.9")]
        #expect(try await harness.request(.GET, "/users/1", headers: alice).status == 200)
        // Read from the right: the last hop the trusted peer saw is 203.0.113.9, a different client.
        #expect(try await harness.request(.GET, "/users/1", headers: bob).status == 200)
        #expect(try await harness.request(.GET, "/users/1", headers: alice).status == 429)
    }

    @Test func clientBucketByHeaderKeepsClientsApartAndRefusesRequestsWithoutTheHeader() async throws {
        let harness = try await Self.start(
            limit:
                #"{"client_max_rate": 1, "client_capacity": 1, "strategy": "header", "key": "X-Api-Key", "every": "1h"}"#
        )
        defer { Task { await harness.stop() } }
        #expect(try await harness.request(.GET, "/users/1", headers: [("X-Api-Key", "tenant-a")]).status == 200)
        #expect(try await harness.request(.GET, "/users/1", headers: [("X-Api-Key", "tenant-b")]).status == 200)
        #expect(try await harness.request(.GET, "/users/1", headers: [("X-Api-Key", "tenant-a")]).status == 429)
        #expect(try await harness.request(.GET, "/users/1").status == 429)
        #expect(harness.backend("users").requestCount == 2)
    }

    @Test func clientBucketByRouteParameter() async throws {
        let harness = try await Self.start(
            limit: #"{"client_max_rate": 2, "client_capacity": 2, "strategy": "param", "key": "id", "every": "1h"}"#
        )
        defer { Task { await harness.stop() } }
        let statuses = [
            try await harness.request(.GET, "/users/7").status,
            try await harness.request(.GET, "/users/7").status,
            try await harness.request(.GET, "/users/7").status,
            try await harness.request(.GET, "/users/8").status,
        ]
        #expect(statuses == [200, 200, 429, 200])
    }

    @Test func clientRejectionDoesNotSpendTheEndpointBudget() async throws {
        let harness = try await Self.start(
            limit: """
                {"max_rate": 3, "capacity": 3, "client_max_rate": 1, "client_capacity": 1,
                 "strategy": "header", "key": "X-Api-Key", "every": "1h"}
                """
        )
        defer { Task { await harness.stop() } }
        let tenantA = [("X-Api-Key", "tenant-a")]
        #expect(try await harness.request(.GET, "/users/1", headers: tenantA).status == 200)
        #expect(try await harness.request(.GET, "/users/1", headers: tenantA).status == 429)
        #expect(try await harness.request(.GET, "/users/1", headers: tenantA).status == 429)
        #expect(try await harness.request(.GET, "/users/1", headers: [("X-Api-Key", "tenant-b")]).status == 200)
        #expect(try await harness.request(.GET, "/users/1", headers: [("X-Api-Key", "tenant-c")]).status == 200)
        // The endpoint bucket (3) is now empty: a fresh client gets the endpoint-wide 503.
        #expect(try await harness.request(.GET, "/users/1", headers: [("X-Api-Key", "tenant-d")]).status == 503)
    }

    @Test func backendLimitIsABackendFailureInsideTheAggregate() async throws {
        let harness = try await GatewayHarness.start(
            configuration: """
                {"version": 3, "host": ["{{users}}"], "endpoints": [
                  {"endpoint": "/users/{id}/summary", "backend": [
                     {"url_pattern": "/users/{id}"},
                     {"url_pattern": "/orders",
                      "extra_config": {"qos/ratelimit/proxy": {"max_rate": 1, "capacity": 1, "every": "1h"}}}]}]}
                """,
            backends: Self.usersBackend
        )
        defer { Task { await harness.stop() } }
        let complete = try await harness.request(.GET, "/users/1/summary")
        #expect(complete.status == 200)
        #expect(jsonEqual(complete.json, parseJSON(#"{"name":"Ada","orders":[]}"#)))
        #expect(complete.header("X-Krakend-Completed") == "true")
        let partial = try await harness.request(.GET, "/users/1/summary")
        #expect(partial.status == 200)
        #expect(jsonEqual(partial.json, parseJSON(#"{"name":"Ada"}"#)))
        #expect(partial.header("X-Krakend-Completed") == "false")
        #expect(harness.backend("users").recordedRequests.filter { $0.path == "/orders" }.count == 1)
    }

    @Test(arguments: [
        (
            #"{"max_rate": -1}"#,
            #"endpoints[0].extra_config["qos/ratelimit/router"].max_rate"#
        ),
        (
            #"{"client_max_rate": 5}"#,
            #"endpoints[0].extra_config["qos/ratelimit/router"].strategy"#
        ),
        (
            #"{"max_rate": "fast"}"#,
            #"endpoints[0].extra_config["qos/ratelimit/router"].max_rate"#
        ),
    ])
    func invalidLimitFailsStartUpNamingThePath(limit: String, path: String) throws {
        let text = """
            {"version": 3, "host": ["http://127.0.0.1:1"], "endpoints": [
              {"endpoint": "/users/{id}", "backend": [{"url_pattern": "/users/{id}"}],
               "extra_config": {"qos/ratelimit/router": \(limit)}}]}
            """
        let error = try #require(throws: ConfigurationError.self) {
            let loaded = try ConfigurationLoader(
                knownNamespaces: GatewayExtensions.standard.knownNamespaces,
                environment: [:]
            ).load(text: text, fileName: "portico.json")
            _ = try Gateway(configuration: loaded)
        }
        #expect(error.problems.map(\.path) == [path], "\(error)")
    }
}
