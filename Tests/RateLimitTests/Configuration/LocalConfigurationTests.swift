import Testing

@testable import RateLimit

@Suite("Local rate-limit configuration")
struct LocalConfigurationTests {
    @Test func decodesEveryRouterKey() throws {
        let configuration = try decode(
            RouterRateLimitConfiguration.self,
            from: """
                {"max_rate": 50, "capacity": 60, "client_max_rate": 5, "client_capacity": 8,
                 "strategy": "header", "key": "X-Tenant", "every": "1m", "num_shards": 16,
                 "cleanup_period": "30s", "cleanup_threads": 2, "max_keys_per_shard": 100,
                 "trusted_proxies": ["10.0.0.0/8"], "response_headers": "both"}
                """
        )
        try configuration.validate()
        #expect(configuration.endpointLimit == BucketLimit(maxRate: 50, every: .seconds(60), capacity: 60))
        #expect(configuration.clientLimit == BucketLimit(maxRate: 5, every: .seconds(60), capacity: 8))
        #expect(configuration.numShards == 16)
        #expect(configuration.cleanupPeriod == .seconds(30))
        #expect(configuration.maxKeysPerShard == 100)
        #expect(configuration.responseHeaders == .both)
        #expect(try configuration.makeKeyExtractor()?.strategy == .header("X-Tenant"))
    }

    @Test func appliesKrakenDDefaults() throws {
        let configuration = try decode(RouterRateLimitConfiguration.self, from: #"{"max_rate": 20}"#)
        try configuration.validate()
        #expect(configuration.every == .seconds(1))
        #expect(configuration.endpointLimit?.capacity == 20)
        #expect(configuration.clientLimit == nil)
        #expect(configuration.numShards == 2048)
        #expect(configuration.cleanupPeriod == .seconds(60))
        #expect(configuration.responseHeaders == RateLimitHeaderStyle.none)
    }

    @Test(arguments: [
        (json: #"{"max_rate": 0.5}"#, capacity: 1),
        (json: #"{"max_rate": 120, "every": "1m"}"#, capacity: 2),
        (json: #"{"max_rate": 30, "every": "1m"}"#, capacity: 1),
        (json: #"{"max_rate": 7.9}"#, capacity: 7),
        (json: #"{"max_rate": 10, "capacity": 0}"#, capacity: 10),
    ])
    func defaultCapacityIsThePerSecondRate(json: String, capacity: Int) throws {
        let configuration = try decode(RouterRateLimitConfiguration.self, from: json)
        #expect(configuration.endpointLimit?.capacity == capacity)
    }

    @Test func subSecondWindowsCountAsOneSecondLikeKrakenDCE() throws {
        let configuration = try decode(RouterRateLimitConfiguration.self, from: #"{"max_rate": 5, "every": "100ms"}"#)
        #expect(configuration.endpointLimit?.every == .seconds(1))
        let proxy = try decode(ProxyRateLimitConfiguration.self, from: #"{"max_rate": 5, "every": "100ms"}"#)
        #expect(proxy.limit?.every == .milliseconds(100))
    }

    @Test func bothRatesZeroMeansNoLimiter() throws {
        let configuration = try decode(RouterRateLimitConfiguration.self, from: #"{"max_rate": 0}"#)
        try configuration.validate()
        #expect(!configuration.isEnabled)
        #expect(try decode(ProxyRateLimitConfiguration.self, from: #"{"max_rate": 0}"#).limit == nil)
    }

    @Test(arguments: [
        (json: #"{"max_rate": -1}"#, message: "max_rate: must be a number of at least 0, got -1.0"),
        (json: #"{"max_rate": 5, "capacity": -2}"#, message: "capacity: must be between 0 and 1e12, got -2"),
        (
            json: #"{"client_max_rate": 5}"#,
            message: #"strategy: client_max_rate needs a strategy ("ip", "header" or "param")"#
        ),
        (
            json: #"{"client_max_rate": 5, "strategy": "cookie"}"#,
            message: #"strategy: expected "ip", "header" or "param", got "cookie""#
        ),
        (
            json: #"{"client_max_rate": 5, "strategy": "header"}"#,
            message: #"key: strategy "header" needs the header name"#
        ),
        (json: #"{"max_rate": 5, "num_shards": 0}"#, message: "num_shards: must be between 1 and 1048576, got 0"),
        (
            json: #"{"client_max_rate": 5, "strategy": "ip", "trusted_proxies": ["lb"]}"#,
            message: #"trusted_proxies: "lb" is not an IP address or CIDR range"#
        ),
    ])
    func rejectsBadValuesNamingTheKey(json: String, message: String) throws {
        let configuration = try decode(RouterRateLimitConfiguration.self, from: json)
        #expect(throws: RateLimitConfigurationError(message)) { try configuration.validate() }
    }

    @Test(arguments: [
        #"{"max_rate": 5, "every": "soon"}"#,
        #"{"max_rate": 5, "every": "-1s"}"#,
        #"{"max_rate": "five"}"#,
        #"{"max_rate": 5, "response_headers": "loud"}"#,
    ])
    func rejectsUndecodableValues(json: String) {
        #expect(throws: DecodingError.self) { try decode(RouterRateLimitConfiguration.self, from: json) }
    }

    @Test(arguments: [
        ("1s", Duration.seconds(1)),
        ("1m30s", .seconds(90)),
        ("250ms", .milliseconds(250)),
        ("1.5h", .seconds(5400)),
        ("10us", .microseconds(10)),
        ("10µs", .microseconds(10)),
        ("7ns", .nanoseconds(7)),
        ("0", .zero),
    ])
    func parsesGoDurations(text: String, expected: Duration) {
        #expect(GoDuration.parse(text) == expected)
    }

    @Test(arguments: ["", "1", "s", "1x", "1.s.", "1e3s", "--1s"])
    func refusesWhatGoRefuses(text: String) {
        #expect(GoDuration.parse(text) == nil)
    }

    @Test func proxyConfigurationDecodes() throws {
        let configuration = try decode(
            ProxyRateLimitConfiguration.self,
            from: #"{"max_rate": 0.5, "capacity": 3, "every": "10s"}"#
        )
        try configuration.validate()
        #expect(configuration.limit == BucketLimit(maxRate: 0.5, every: .seconds(10), capacity: 3))
        #expect(try decode(ProxyRateLimitConfiguration.self, from: #"{"max_rate": 2.5}"#).limit?.capacity == 2)
    }
}
