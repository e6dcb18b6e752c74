import Testing

@testable import RateLimit

@Suite("Endpoint and backend limiters")
struct EndpointRateLimiterTests {
    @Test func endpointBucketAnswers503WhenEmpty() throws {
        let clock = ManualRateLimitClock()
        let limiter = try EndpointRateLimiter(
            configuration: RouterRateLimitConfiguration(maxRate: 3),
            name: "/orders",
            clock: clock
        )
        for _ in 0..<3 { #expect(limiter.decide(clientKey: nil).isAllowed) }
        let refused = limiter.decide(clientKey: nil)
        #expect(refused.statusCode == 503)
        #expect(refused.retryAfterSeconds == 1)
        clock.advance(by: .milliseconds(334))
        #expect(limiter.decide(clientKey: nil).isAllowed)
    }

    @Test func clientBucketAnswers429AndSparesTheEndpointBucket() throws {
        let clock = ManualRateLimitClock()
        let limiter = try EndpointRateLimiter(
            configuration: RouterRateLimitConfiguration(maxRate: 3, clientMaxRate: 1, strategy: "ip"),
            name: "/orders",
            clock: clock
        )
        #expect(limiter.decide(clientKey: "198.51.100.1").isAllowed)
        for _ in 0..<5 { #expect(limiter.decide(clientKey: "198.51.100.1").statusCode == 429) }
        #expect(limiter.decide(clientKey: "198.51.100.2").isAllowed)
        #expect(limiter.decide(clientKey: "198.51.100.3").isAllowed)
        #expect(limiter.decide(clientKey: "198.51.100.4").statusCode == 503)
    }

    @Test func aRequestWithoutClientKeyIsRefusedWith429() throws {
        let limiter = try EndpointRateLimiter(
            configuration: RouterRateLimitConfiguration(clientMaxRate: 10, strategy: "header", key: "X-Tenant"),
            name: "/reports",
            clock: ManualRateLimitClock()
        )
        let key = limiter.clientKey(remoteAddress: "198.51.100.1", header: { _ in nil }, param: { _ in nil })
        #expect(key == nil)
        #expect(limiter.decide(clientKey: key).statusCode == 429)
    }

    @Test func idleClientsAreEvicted() throws {
        let clock = ManualRateLimitClock()
        let limiter = try EndpointRateLimiter(
            configuration: RouterRateLimitConfiguration(clientMaxRate: 10, strategy: "ip"),
            name: "/reports",
            clock: clock
        )
        for index in 0..<50 { _ = limiter.decide(clientKey: "192.0.2.\(index)") }
        #expect(limiter.clientBuckets?.count == 50)
        clock.advance(by: .seconds(2))
        #expect(limiter.evictIdle() == 50)
        #expect(limiter.clientBuckets?.count == 0)
    }

    @Test func backendLimiterRefusesWithoutStatus() throws {
        let clock = ManualRateLimitClock()
        let limiter = try #require(
            try BackendRateLimiter(
                configuration: ProxyRateLimitConfiguration(maxRate: 2, capacity: 1),
                name: "orders-backend",
                clock: clock
            )
        )
        #expect(limiter.decide().isAllowed)
        let refused = limiter.decide()
        #expect(refused.outcome == .rejectedBackend)
        #expect(refused.statusCode == nil)
        clock.advance(by: .milliseconds(500))
        #expect(limiter.decide().isAllowed)
        #expect(try BackendRateLimiter(configuration: ProxyRateLimitConfiguration(maxRate: 0), name: "none") == nil)
    }
}
