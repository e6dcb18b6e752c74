import Testing

@testable import RateLimit

@Suite("Client key strategies")
struct ClientKeyExtractorTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var strategy: ClientKeyStrategy
        var trusted: [String] = []
        var remote: String?
        var headers: [String: String] = [:]
        var params: [String: String] = [:]
        var expected: String?
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "ip uses the peer", strategy: .ip(header: nil), remote: "198.51.100.7", expected: "198.51.100.7"),
        Case(
            name: "ip ignores X-Forwarded-For unless configured",
            strategy: .ip(header: nil),
            remote: "198.51.100.7",
            headers: ["X-Forwarded-For": "203.0.113.9"],
            expected: "198.51.100.7"
        ),
        Case(
            name: "ip with key takes the header's first entry (KrakenD)",
            strategy: .ip(header: "X-Forwarded-For"),
            remote: "10.0.0.2",
            headers: ["X-Forwarded-For": "203.0.113.9, 10.0.0.1"],
            expected: "203.0.113.9"
        ),
        Case(
            name: "ip with key strips a port",
            strategy: .ip(header: "X-Real-IP"),
            remote: "10.0.0.2",
            headers: ["X-Real-IP": "203.0.113.9:5555"],
            expected: "203.0.113.9"
        ),
        Case(
            name: "ip with key handles bracketed IPv6",
            strategy: .ip(header: "X-Real-IP"),
            remote: "10.0.0.2",
            headers: ["X-Real-IP": "[2001:db8::5]:443"],
            expected: "2001:db8::5"
        ),
        Case(
            name: "ip with key falls back to the peer on garbage",
            strategy: .ip(header: "X-Forwarded-For"),
            remote: "10.0.0.2",
            headers: ["X-Forwarded-For": "not-an-address"],
            expected: "10.0.0.2"
        ),
        Case(
            name: "trusted proxies: untrusted peer's header is ignored",
            strategy: .ip(header: nil),
            trusted: ["10.0.0.0/8"],
            remote: "198.51.100.7",
            headers: ["X-Forwarded-For": "203.0.113.9"],
            expected: "198.51.100.7"
        ),
        Case(
            name: "trusted proxies: right-most untrusted hop wins over a spoofed first entry",
            strategy: .ip(header: nil),
            trusted: ["10.0.0.0/8"],
            remote: "10.0.0.2",
            headers: ["X-Forwarded-For": "1.1.1.1, 203.0.113.9, 10.0.0.1"],
            expected: "203.0.113.9"
        ),
        Case(
            name: "trusted proxies: all trusted gives the left-most",
            strategy: .ip(header: nil),
            trusted: ["10.0.0.0/8"],
            remote: "10.0.0.2",
            headers: ["X-Forwarded-For": "10.9.9.9, 10.0.0.1"],
            expected: "10.9.9.9"
        ),
        Case(
            name: "trusted proxies: a malformed hop stops at the peer",
            strategy: .ip(header: nil),
            trusted: ["10.0.0.0/8"],
            remote: "10.0.0.2",
            headers: ["X-Forwarded-For": "203.0.113.9, bogus"],
            expected: "10.0.0.2"
        ),
        Case(
            name: "trusted proxies over IPv6",
            strategy: .ip(header: nil),
            trusted: ["2001:db8::/32"],
            remote: "2001:db8::1",
            headers: ["X-Forwarded-For": "2001:db9::42"],
            expected: "2001:db9::42"
        ),
        Case(
            name: "header strategy uses the whole value",
            strategy: .header("X-Tenant"),
            remote: "198.51.100.7",
            headers: ["X-Tenant": "acme-corp"],
            expected: "acme-corp"
        ),
        Case(
            name: "header strategy without the header has no key",
            strategy: .header("X-Tenant"),
            remote: "198.51.100.7",
            expected: nil
        ),
        Case(
            name: "empty header value has no key",
            strategy: .header("X-Tenant"),
            headers: ["X-Tenant": ""],
            expected: nil
        ),
        Case(
            name: "param strategy",
            strategy: .param("id_user"),
            params: ["id_user": "4021"],
            expected: "4021"
        ),
        Case(name: "param strategy without the param", strategy: .param("id_user"), expected: nil),
        Case(name: "no peer address", strategy: .ip(header: nil), remote: nil, expected: nil),
    ]

    @Test(arguments: cases)
    func extractsTheExpectedKey(_ testCase: Case) throws {
        let extractor = ClientKeyExtractor(
            strategy: testCase.strategy,
            trustedProxies: try TrustedProxies(testCase.trusted)
        )
        let key = extractor.extract(
            remoteAddress: testCase.remote,
            header: { testCase.headers[$0] },
            param: { testCase.params[$0] }
        )
        #expect(key == testCase.expected)
    }

    @Test(arguments: [
        ("192.0.2.1", true),
        ("255.255.255.255", true),
        ("256.1.1.1", false),
        ("01.2.3.4", false),
        ("1.2.3", false),
        ("::", true),
        ("::1", true),
        ("2001:db8::1", true),
        ("2001:db8:0:0:0:0:2:1", true),
        ("::ffff:192.0.2.1", true),
        ("1::2::3", false),
        ("12345::", false),
        ("1:2:3:4:5:6:7:8:9", false),
        ("", false),
        ("example.com", false),
    ])
    func parsesAddresses(text: String, valid: Bool) {
        #expect((IPAddressBytes(text) != nil) == valid)
    }

    @Test func ipv6CompressionMatchesTheLongForm() {
        #expect(IPAddressBytes("2001:db8::2:1") == IPAddressBytes("2001:db8:0:0:0:0:2:1"))
        #expect(IPAddressBytes("::ffff:192.0.2.1")?.low == IPAddressBytes("192.0.2.1")?.low)
    }

    @Test func rejectsABadTrustedProxy() {
        #expect(throws: RateLimitConfigurationError.self) { try TrustedProxies(["10.0.0.0/33"]) }
        #expect(throws: RateLimitConfigurationError.self) { try TrustedProxies(["proxy.internal"]) }
    }

    @Test func strategyNeedsItsKey() {
        #expect(throws: RateLimitConfigurationError.self) { try ClientKeyStrategy(strategy: "header", key: nil) }
        #expect(throws: RateLimitConfigurationError.self) { try ClientKeyStrategy(strategy: "param", key: "") }
        #expect(throws: RateLimitConfigurationError.self) { try ClientKeyStrategy(strategy: "cookie", key: "sid") }
        #expect(throws: RateLimitConfigurationError.self) { try ClientKeyStrategy(strategy: nil, key: nil) }
        #expect((try? ClientKeyStrategy(strategy: "IP", key: nil)) == .ip(header: nil))
    }
}
