import Gateway
import MockBackend
import NIOCore
import PorticoTestSupport
import Synchronization
import Testing

/// Three gateways share one Redis limit under twice the load it allows: the cluster admits at most
/// `capacity + rate × elapsed`, and at least 99 % of `capacity + rate × (time load was offered)`.
///
/// The three are `Gateway` instances in this process, each on its own event loop group with its own Redis pool
/// and its own mock backend — the same code paths as three `portico` processes, without building and spawning
/// them. Runtime ~11 s: 10 s of load plus start-up.
@Suite("Cluster rate limit across three gateways")
struct RateLimitClusterTests {
    static let rate = 100
    static let capacity = 100
    static let loadSeconds = 10

    @Test(.timeLimit(.minutes(1)))
    func threeGatewaysAdmitExactlyTheClusterLimitUnderDoubleLoad() async throws {
        let redis = try RedisServerProcess()
        let configuration = """
            {"version": 3, "name": "cluster-limit", "host": ["{{orders}}"],
             "extra_config": {"redis": {"connection_pools": [
                {"name": "shared_redis_pool", "address": "\(redis.address)", "pool_size": 2,
                 "operation_timeout": "2s"}]}},
             "endpoints": [{"endpoint": "/orders", "backend": [{"url_pattern": "/orders"}],
               "extra_config": {"qos/ratelimit/router/redis": {"connection_name": "shared_redis_pool",
                 "max_rate": \(Self.rate), "capacity": \(Self.capacity), "every": "1s"}}}]}
            """
        // A generous operation_timeout: on a busy test machine a slow Redis answer must not turn into the failure
        // policy's refusal, which would measure the policy instead of the cluster limit.
        var gateways: [GatewayHarness] = []
        for _ in 0..<3 {
            gateways.append(
                try await GatewayHarness.start(
                    configuration: configuration,
                    backends: ["orders": [.get("/orders", .json(#"{"orders":[]}"#))]]
                )
            )
        }
        let instances = gateways
        // Connections from the test client to every gateway exist before the load starts (health checks do not
        // touch the limiter), so the first second is not spent connecting.
        for gateway in instances { #expect(try await gateway.request(.GET, "/__health").status == 200) }
        defer {
            // Killed at once: a detached task may never run before the test process exits.
            redis.stop()
            Task { for gateway in instances { await gateway.stop() } }
        }

        // Twice the limit, paced by schedule, round-robin over the three; at most 64 requests in flight.
        let offered = 2 * Self.rate * Self.loadSeconds
        let spacing = Duration.seconds(1) / (2 * Self.rate)
        let clock = ContinuousClock()
        let start = clock.now
        var statuses: [Int: Int] = [:]
        let lastSent = SentClock()
        let firstAnswered = SentClock()
        try await withThrowingTaskGroup(of: Int.self) { group in
            var inFlight = 0
            for index in 0..<offered {
                try await clock.sleep(until: start + spacing * index)
                if inFlight == 64, let status = try await group.next() {
                    statuses[status, default: 0] += 1
                    inFlight -= 1
                }
                let gateway = instances[index % 3]
                group.addTask {
                    lastSent.recordLast(clock.now)
                    let status = try await gateway.request(.GET, "/orders").status
                    firstAnswered.recordFirst(clock.now)
                    return status
                }
                inFlight += 1
            }
            for try await status in group { statuses[status, default: 0] += 1 }
        }
        // Upper bound: every arrival at Redis happened between the first send and the last answer. Lower bound: the
        // first arrival came before the first answer and the last one after the last send, with twice the rate
        // offered in between, so at least `capacity + rate × (last send − first answer)` must have been admitted.
        // (Measured this way, a busy machine delaying the first requests does not count against the limiter.)
        let elapsed = Self.seconds(clock.now - start)
        let offeredFor = Self.seconds(lastSent.instant - firstAnswered.instant)
        let admitted = statuses[200, default: 0]
        let bound = Double(Self.capacity) + Double(Self.rate) * elapsed
        let floor = 0.99 * (Double(Self.capacity) + Double(Self.rate) * offeredFor)
        #expect(Set(statuses.keys).isSubset(of: [200, 503]), "\(statuses)")
        #expect(statuses.values.reduce(0, +) == offered)
        #expect(Double(admitted) <= bound, "admitted \(admitted) > \(bound) in \(elapsed) s")
        #expect(Double(admitted) >= floor, "admitted \(admitted) < 99 % of the limit over \(offeredFor) s")
        let reached = instances.map { $0.backend("orders").requestCount }.reduce(0, +)
        #expect(reached == admitted)
        // Every instance took part in the admissions (round-robin load, one shared budget).
        #expect(instances.allSatisfy { $0.backend("orders").requestCount > admitted / 6 })
        print("cluster limit: admitted \(admitted) of \(offered); bound \(bound) over \(elapsed) s, floor \(floor)")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// The earliest or latest of some instants, recorded from many tasks.
private final class SentClock: Sendable {
    private let value = Mutex<ContinuousClock.Instant?>(nil)

    var instant: ContinuousClock.Instant { value.withLock { $0 ?? .now } }

    func recordFirst(_ now: ContinuousClock.Instant) {
        value.withLock { if $0 == nil || now < $0! { $0 = now } }
    }

    func recordLast(_ now: ContinuousClock.Instant) {
        value.withLock { if $0 == nil || now > $0! { $0 = now } }
    }
}
