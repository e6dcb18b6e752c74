import Foundation
import Gateway
import MockBackend
import NIOCore
import PorticoTestSupport
import Testing

/// `qos/ratelimit/router/redis`, `qos/ratelimit/service/redis` and `redis.connection_pools` through a real gateway
/// and a real `redis-server` started by each test.
@Suite("Rate limiting through the gateway (Redis)")
struct RateLimitRedisTests {
    static let ordersBackend: [String: [MockRoute]] = [
        "orders": [.get("/orders", .json(#"{"orders":[]}"#)), .get("/invoices", .json(#"{"invoices":[]}"#))]
    ]

    /// A service with a `shared_redis_pool` at `address`, and `endpoints` (a JSON array text).
    static func configuration(
        address: String,
        endpoints: String,
        service: String = "",
        pool: String = ""
    ) -> String {
        """
        {"version": 3, "name": "redis-limits", "host": ["{{orders}}"],
         "extra_config": {
           \(service)
           "redis": {"connection_pools": [
             {"name": "shared_redis_pool", "address": "\(address)", "pool_size": 2, "dial_timeout": "300ms",
              "operation_timeout": "100ms" \(pool)}]}},
         "endpoints": \(endpoints)}
        """
    }

    /// `/orders` limited in Redis by `limit` (a `qos/ratelimit/router/redis` object).
    static func ordersEndpoint(limit: String) -> String {
        """
        [{"endpoint": "/orders", "backend": [{"url_pattern": "/orders"}],
          "extra_config": {"qos/ratelimit/router/redis": \(limit)}}]
        """
    }

    /// Kills Redis at once (a detached task may never run before the test process exits) and stops the gateways.
    static func stop(_ harnesses: [GatewayHarness], _ redis: RedisServerProcess) {
        redis.stop()
        Task { for harness in harnesses { await harness.stop() } }
    }

    @Test func endpointLimitIsSharedByTwoGatewaysThroughRedis() async throws {
        let redis = try RedisServerProcess()
        let text = Self.configuration(
            address: redis.address,
            endpoints: Self.ordersEndpoint(
                limit: """
                    {"connection_name": "shared_redis_pool", "max_rate": 3, "capacity": 3, "every": "1h",
                     "response_headers": "ietf"}
                    """
            )
        )
        let first = try await GatewayHarness.start(configuration: text, backends: Self.ordersBackend)
        let second = try await GatewayHarness.start(configuration: text, backends: Self.ordersBackend)
        defer { Self.stop([first, second], redis) }
        let admitted = try await first.request(.GET, "/orders")
        #expect(admitted.status == 200)
        #expect(admitted.header("RateLimit-Policy") == #""default";q=3;w=3600"#)
        #expect(admitted.header("RateLimit")?.hasPrefix(#""default";r=2;t="#) == true)
        #expect(try await second.request(.GET, "/orders").status == 200)
        #expect(try await first.request(.GET, "/orders").status == 200)
        // Three tokens for the whole cluster: the fourth request is refused whichever gateway takes it.
        let refused = try await second.request(.GET, "/orders")
        #expect(refused.status == 503)
        #expect(refused.header("Retry-After").flatMap(Int.init).map { $0 >= 1 } == true)
        #expect(refused.header("RateLimit")?.hasPrefix(#""default";r=0;t="#) == true)
        #expect(try await first.request(.GET, "/orders").status == 503)
        #expect(first.backend("orders").requestCount + second.backend("orders").requestCount == 3)
    }

    @Test func clientLimitByHeaderAnswers429PerClient() async throws {
        let redis = try RedisServerProcess()
        let harness = try await GatewayHarness.start(
            configuration: Self.configuration(
                address: redis.address,
                endpoints: Self.ordersEndpoint(
                    limit: """
                        {"connection_name": "shared_redis_pool", "client_max_rate": 1, "client_capacity": 1,
                         "strategy": "header", "key": "X-Api-Key", "every": "1h", "response_headers": "legacy"}
                        """
                )
            ),
            backends: Self.ordersBackend
        )
        defer { Self.stop([harness], redis) }
        let tenantA = [("X-Api-Key", "tenant-a")]
        #expect(try await harness.request(.GET, "/orders", headers: tenantA).status == 200)
        let refused = try await harness.request(.GET, "/orders", headers: tenantA)
        #expect(refused.status == 429)
        #expect(refused.header("Retry-After") != nil)
        #expect(refused.header("X-RateLimit-Remaining") == "0")
        #expect(try await harness.request(.GET, "/orders", headers: [("X-Api-Key", "tenant-b")]).status == 200)
        #expect(try await harness.request(.GET, "/orders").status == 429)
    }

    @Test func serviceLimitAppliesToEveryEndpointWithOneBudget() async throws {
        let redis = try RedisServerProcess()
        let harness = try await GatewayHarness.start(
            configuration: Self.configuration(
                address: redis.address,
                endpoints: """
                    [{"endpoint": "/orders", "backend": [{"url_pattern": "/orders"}]},
                     {"endpoint": "/invoices", "backend": [{"url_pattern": "/invoices"}]}]
                    """,
                service: """
                    "qos/ratelimit/service/redis": {"connection_name": "shared_redis_pool", "max_rate": 3,
                      "capacity": 3, "every": "1h"},
                    """
            ),
            backends: Self.ordersBackend
        )
        defer { Self.stop([harness], redis) }
        let statuses = [
            try await harness.request(.GET, "/orders").status,
            try await harness.request(.GET, "/invoices").status,
            try await harness.request(.GET, "/orders").status,
            try await harness.request(.GET, "/invoices").status,
            try await harness.request(.GET, "/orders").status,
        ]
        #expect(statuses == [200, 200, 200, 503, 503])
    }

    @Test(arguments: [("deny", 503), ("allow", 200)])
    func redisDownAppliesThePolicyAtOnce(policy: String, status: Int) async throws {
        let redis = try RedisServerProcess()
        redis.stop()  // Its port is now closed: every connection attempt is refused.
        let harness = try await GatewayHarness.start(
            configuration: Self.configuration(
                address: redis.address,
                endpoints: Self.ordersEndpoint(
                    limit: """
                        {"connection_name": "shared_redis_pool", "max_rate": 100, "failure_policy": "\(policy)"}
                        """
                )
            ),
            backends: Self.ordersBackend
        )
        defer { Self.stop([harness], redis) }
        for _ in 0..<5 {
            let started = ContinuousClock.now
            let response = try await harness.request(.GET, "/orders")
            #expect(response.status == status)
            // Refused connections fail at once; the bound is loose only to tolerate a busy test machine.
            #expect(ContinuousClock.now - started < .seconds(1))
        }
    }

    @Test func redisDownWithLocalPolicyFallsBackToTheInstanceShare() async throws {
        let redis = try RedisServerProcess()
        redis.stop()
        let harness = try await GatewayHarness.start(
            configuration: Self.configuration(
                address: redis.address,
                endpoints: Self.ordersEndpoint(
                    limit: """
                        {"connection_name": "shared_redis_pool", "max_rate": 6, "capacity": 6, "every": "1h",
                         "failure_policy": "local", "expected_instances": 3}
                        """
                )
            ),
            backends: Self.ordersBackend
        )
        defer { Self.stop([harness], redis) }
        var statuses: [Int] = []
        for _ in 0..<3 { statuses.append(try await harness.request(.GET, "/orders").status) }
        // 6 tokens shared by 3 expected instances: 2 locally.
        #expect(statuses == [200, 200, 503])
    }

    @Test func frozenRedisCostsAtMostTheOperationTimeout() async throws {
        let redis = try RedisServerProcess()
        let harness = try await GatewayHarness.start(
            configuration: Self.configuration(
                address: redis.address,
                endpoints: Self.ordersEndpoint(
                    limit: #"{"connection_name": "shared_redis_pool", "max_rate": 1000, "on_failure_allow": true}"#
                )
            ),
            backends: Self.ordersBackend
        )
        defer {
            redis.resume()
            Self.stop([harness], redis)
        }
        #expect(try await harness.request(.GET, "/orders").status == 200)
        redis.pause()
        var slowest = Duration.zero
        for _ in 0..<5 {
            let started = ContinuousClock.now
            #expect(try await harness.request(.GET, "/orders").status == 200)
            slowest = max(slowest, ContinuousClock.now - started)
        }
        // operation_timeout is 100 ms and the breaker opens after 3 timeouts; the bound leaves room for a busy
        // machine while staying below the endpoint's 2 s timeout, which an unbounded wait would run into.
        #expect(slowest < .seconds(1), "slowest request took \(slowest)")
        redis.resume()
    }

    @Test func unknownConnectionNameFailsStartUpNamingThePath() throws {
        let text = Self.configuration(
            address: "127.0.0.1:1",
            endpoints: Self.ordersEndpoint(limit: #"{"connection_name": "missing_pool", "max_rate": 10}"#)
        )
        let error = try #require(throws: ConfigurationError.self) { try Self.build(text) }
        #expect(
            error.problems.map(\.path) == [#"endpoints[0].extra_config["qos/ratelimit/router/redis"].connection_name"#],
            "\(error)"
        )
        #expect(error.problems.first?.message.contains("\"shared_redis_pool\"") == true)
    }

    @Test func invalidPoolFailsStartUpOnceNamingThePath() throws {
        // No endpoint uses the pool, and there are two endpoints: the problem is still found, and reported once.
        let text = Self.configuration(
            address: "no-port-here",
            endpoints: """
                [{"endpoint": "/orders", "backend": [{"url_pattern": "/orders"}]},
                 {"endpoint": "/invoices", "backend": [{"url_pattern": "/invoices"}]}]
                """
        )
        let error = try #require(throws: ConfigurationError.self) { try Self.build(text) }
        #expect(error.problems.map(\.path) == [#"extra_config["redis"].connection_pools[0].address"#], "\(error)")
    }

    @Test func invalidServiceLimitIsReportedOnce() throws {
        let text = Self.configuration(
            address: "127.0.0.1:1",
            endpoints: """
                [{"endpoint": "/orders", "backend": [{"url_pattern": "/orders"}]},
                 {"endpoint": "/invoices", "backend": [{"url_pattern": "/invoices"}]}]
                """,
            service: #""qos/ratelimit/service/redis": {"connection_name": "shared_redis_pool", "max_rate": -3},"#
        )
        let error = try #require(throws: ConfigurationError.self) { try Self.build(text) }
        #expect(error.problems.map(\.path) == [#"extra_config["qos/ratelimit/service/redis"].max_rate"#], "\(error)")
    }

    /// Loads and compiles `text` as `portico run` would (the gateway is not started).
    static func build(_ text: String) throws {
        let loaded = try ConfigurationLoader(
            knownNamespaces: GatewayExtensions.standard.knownNamespaces,
            environment: [:]
        )
        .load(text: text.replacingOccurrences(of: "{{orders}}", with: "http://127.0.0.1:1"), fileName: "portico.json")
        #expect(loaded.warnings.filter(\.isUnknownNamespace).isEmpty)
        _ = try Gateway(configuration: loaded)
    }
}
