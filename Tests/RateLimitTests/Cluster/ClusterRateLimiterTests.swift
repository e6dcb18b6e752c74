import NIOCore
import NIOPosix
import PorticoTestSupport
import Synchronization
import Testing

@testable import RateLimit

/// Three gateway instances simulated as three limiters, each with its own pool, sharing one Redis.
struct ClusterFixture {
    let server: RedisServerProcess
    let group: MultiThreadedEventLoopGroup
    let pools: [RedisConnectionPool]
    let limiters: [ClusterRateLimiter]

    init(
        _ configuration: RedisRateLimitConfiguration,
        instances: Int = 3,
        operationTimeout: Duration = .milliseconds(100),
        server: RedisServerProcess? = nil
    ) async throws {
        let server = try server ?? RedisServerProcess()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        var pools: [RedisConnectionPool] = []
        var limiters: [ClusterRateLimiter] = []
        for _ in 0..<instances {
            let pool = try RedisConnectionPool(
                configuration: RedisConnectionPoolConfiguration(
                    name: "ratelimit",
                    address: server.address,
                    poolSize: 2,
                    maxRetryBackoff: .milliseconds(100),
                    operationTimeout: operationTimeout
                ),
                group: group
            )
            try await pool.waitForConnections(2, on: group.next()).get()
            pools.append(pool)
            limiters.append(try ClusterRateLimiter(configuration: configuration, scope: "GET /orders", pool: pool))
        }
        self.server = server
        self.group = group
        self.pools = pools
        self.limiters = limiters
    }

    func shutdown() async throws {
        for pool in pools { try await pool.shutdown().get() }
        try await group.shutdownGracefully()
        server.stop()
    }

    /// Fires `batch` decisions spread over the instances and event loops, and waits for all of them.
    func round(_ batch: Int, clientKey: String? = nil) async throws -> [RateLimitDecision] {
        let futures = (0..<batch).map { index in
            limiters[index % limiters.count].decide(clientKey: clientKey, on: group.next())
        }
        var decisions: [RateLimitDecision] = []
        for future in futures { decisions.append(try await future.get()) }
        return decisions
    }
}

@Suite("Cluster rate limiting against a real redis-server", .serialized)
struct ClusterRateLimiterTests {
    @Test func endpointAndClientBucketsAnswer503And429() async throws {
        let fixture = try await ClusterFixture(
            RedisRateLimitConfiguration(
                connectionName: "ratelimit",
                maxRate: 3,
                capacity: 3,
                every: .seconds(60)
            ),
            instances: 1
        )
        let decisions = try await fixture.round(5)
        #expect(decisions.filter(\.isAllowed).count == 3)
        #expect(decisions.allSatisfy { $0.source == .cluster })
        let refused = try #require(decisions.first { !$0.isAllowed })
        #expect(refused.statusCode == 503)
        #expect((refused.retryAfterSeconds ?? 0) >= 19)
        try await fixture.shutdown()

        let perClient = try await ClusterFixture(
            RedisRateLimitConfiguration(
                connectionName: "ratelimit",
                maxRate: 100,
                clientMaxRate: 2,
                strategy: "header",
                key: "X-Tenant"
            ),
            instances: 2
        )
        let tenant = try await perClient.round(4, clientKey: "acme-corp")
        #expect(tenant.filter(\.isAllowed).count == 2)
        #expect(tenant.filter { $0.statusCode == 429 }.count == 2)
        #expect(try await perClient.round(2, clientKey: "globex").allSatisfy(\.isAllowed))
        let keyless = try await perClient.limiters[0].decide(clientKey: nil, on: perClient.group.next()).get()
        #expect(keyless.statusCode == 429)
        try await perClient.shutdown()
    }

    @Test func threeInstancesNeverAdmitMoreThanCapacityPlusRateTimesT() async throws {
        let rate = 200.0
        let capacity = 40
        let fixture = try await ClusterFixture(
            RedisRateLimitConfiguration(connectionName: "ratelimit", maxRate: rate, capacity: capacity)
        )
        let clock = ContinuousClock()
        let start = clock.now
        var allowed = 0
        var total = 0
        while clock.now - start < .milliseconds(1_500) {
            let decisions = try await fixture.round(30)
            allowed += decisions.filter(\.isAllowed).count
            total += decisions.count
            #expect(decisions.allSatisfy { $0.source == .cluster })
        }
        let elapsed =
            Double((clock.now - start).components.attoseconds) / 1e18
            + Double((clock.now - start).components.seconds)
        let bound = Double(capacity) + rate * elapsed
        #expect(Double(allowed) <= bound)
        // Offered load far above the limit: the cluster should admit close to the bound, not far below it.
        #expect(total > allowed * 2)
        #expect(Double(allowed) >= 0.85 * bound)
        try await fixture.shutdown()
    }

    @Test func recoversFromNOSCRIPTAfterScriptFlush() async throws {
        let fixture = try await ClusterFixture(
            RedisRateLimitConfiguration(connectionName: "ratelimit", maxRate: 1_000),
            instances: 1
        )
        let limiter = fixture.limiters[0]
        _ = try await fixture.round(1)
        #expect(limiter.redisOperationCount == 2)  // a fresh Redis has no script: NOSCRIPT, then EVAL
        _ = try await fixture.round(1)
        let before = limiter.redisOperationCount
        #expect(before == 3)
        let flush = try await fixture.pools[0].send(["SCRIPT", "FLUSH"], on: fixture.group.next()).get()
        #expect(flush == .simpleString("OK"))
        let afterFlush = try await fixture.round(1)
        #expect(afterFlush[0].isAllowed)
        #expect(afterFlush[0].source == .cluster)
        #expect(limiter.redisOperationCount == before + 2)
        _ = try await fixture.round(1)
        #expect(limiter.redisOperationCount == before + 3)
        try await fixture.shutdown()
    }

    @Test func redisStoppedMidLoadKeepsThePolicyAndResumesWithinASecond() async throws {
        let fixture = try await ClusterFixture(
            RedisRateLimitConfiguration(
                connectionName: "ratelimit",
                maxRate: 1_000,
                failurePolicy: .local,
                expectedInstances: 3
            )
        )
        #expect(try await fixture.round(30).allSatisfy { $0.source == .cluster })
        fixture.server.stop()
        let clock = ContinuousClock()
        var worst = Duration.zero
        for _ in 0..<20 {
            let started = clock.now
            let decisions = try await fixture.round(9)
            worst = max(worst, clock.now - started)
            #expect(decisions.allSatisfy { $0.source == .fallback })
        }
        #expect(worst < .milliseconds(150))
        try fixture.server.start()
        let restarted = clock.now
        var recovered: Duration?
        while clock.now - restarted < .seconds(3) {
            if try await fixture.round(3).allSatisfy({ $0.source == .cluster }) {
                recovered = clock.now - restarted
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        let recovery = try #require(recovered)
        #expect(recovery < .seconds(1))
        try await fixture.shutdown()
    }

    @Test func slowRedisBoundsDecisionLatencyByTheOperationTimeout() async throws {
        let fixture = try await ClusterFixture(
            RedisRateLimitConfiguration(connectionName: "ratelimit", maxRate: 1_000, onFailureAllow: true),
            operationTimeout: .milliseconds(80)
        )
        fixture.server.pause()
        let clock = ContinuousClock()
        var worst = Duration.zero
        var sources: [RateLimitDecision.Source] = []
        for _ in 0..<10 {
            let started = clock.now
            let decisions = try await fixture.round(6)
            worst = max(worst, clock.now - started)
            sources += decisions.map(\.source)
            #expect(decisions.allSatisfy { $0.isAllowed })
        }
        #expect(worst < .milliseconds(80 + 60))
        #expect(sources.allSatisfy { $0 == .fallback })
        // Once the breaker is open, decisions are local and immediate.
        let openStarted = clock.now
        _ = try await fixture.round(6)
        #expect(clock.now - openStarted < .milliseconds(20))
        fixture.server.resume()
        let resumed = clock.now
        var recovered = false
        while clock.now - resumed < .seconds(2) {
            if try await fixture.round(3).allSatisfy({ $0.source == .cluster }) {
                recovered = true
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(recovered)
        #expect(clock.now - resumed < .seconds(1))
        try await fixture.shutdown()
    }

    @Test func leaseModeNeverOverAdmitsAndRarelyAsksRedis() async throws {
        let rate = 2_000.0
        let capacity = 400
        let fixture = try await ClusterFixture(
            RedisRateLimitConfiguration(
                connectionName: "ratelimit",
                maxRate: rate,
                capacity: capacity,
                leaseTokens: 40,
                leaseDuration: .milliseconds(50)
            )
        )
        let clock = ContinuousClock()
        let start = clock.now
        var allowed = 0
        var offered = 0
        var tick = start
        // About 1,800 requests per second offered against a 2,000/s limit: a busy endpoint within its limit.
        while clock.now - start < .milliseconds(1_500) {
            let decisions = try await fixture.round(36)
            offered += decisions.count
            allowed += decisions.filter(\.isAllowed).count
            tick = tick.advanced(by: .milliseconds(20))
            try await Task.sleep(until: tick, clock: clock)
        }
        let spent = clock.now - start
        let elapsed = Double(spent.components.seconds) + Double(spent.components.attoseconds) / 1e18
        let bound = Double(capacity) + rate * elapsed
        let operations = fixture.limiters.reduce(0) { $0 + $1.redisOperationCount }
        #expect(Double(allowed) <= bound)
        #expect(Double(operations) / Double(allowed) <= 0.05)
        #expect(Double(allowed) >= 0.9 * Double(offered))
        try await fixture.shutdown()
    }
}
