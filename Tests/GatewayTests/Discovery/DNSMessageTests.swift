import Testing

@testable import Gateway

@Suite("DNS message codec and SRV expansion")
struct DNSMessageTests {
    /// A Consul-style answer for `_api._tcp.service.consul`, built by hand: two SRV records (priority 1, weights 10
    /// and 20, ports 8080 and 8081) whose targets `node1.service.consul` / `node2.service.consul` are compressed
    /// against the question, plus an A record for node1 and an AAAA record for node2 that point at the targets.
    static let consulSRVAnswer: [UInt8] = [
        0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x04, 0x5f, 0x61, 0x70, 0x69, 0x04,
        0x5f,
        0x74, 0x63, 0x70, 0x07, 0x73, 0x65, 0x72, 0x76, 0x69, 0x63, 0x65, 0x06, 0x63, 0x6f, 0x6e, 0x73, 0x75, 0x6c,
        0x00,
        0x00, 0x21, 0x00, 0x01, 0xc0, 0x0c, 0x00, 0x21, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1e, 0x00, 0x0e, 0x00, 0x01,
        0x00,
        0x0a, 0x1f, 0x90, 0x05, 0x6e, 0x6f, 0x64, 0x65, 0x31, 0xc0, 0x16, 0xc0, 0x0c, 0x00, 0x21, 0x00, 0x01, 0x00,
        0x00,
        0x00, 0x1e, 0x00, 0x0e, 0x00, 0x01, 0x00, 0x14, 0x1f, 0x91, 0x05, 0x6e, 0x6f, 0x64, 0x65, 0x32, 0xc0, 0x16,
        0xc0,
        0x3c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1e, 0x00, 0x04, 0x0a, 0x00, 0x00, 0x01, 0xc0, 0x56, 0x00,
        0x1c,
        0x00, 0x01, 0x00, 0x00, 0x00, 0x1e, 0x00, 0x10, 0xfd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00,
        0x00, 0x00, 0x00, 0x00, 0x02,
    ]

    @Test("parses SRV answers with compressed targets and the A/AAAA additional records")
    func parsesConsulAnswer() throws {
        let message = try DNSMessage(parsing: Self.consulSRVAnswer)
        #expect(message.id == 0x1234)
        #expect(message.isResponse)
        #expect(!message.isTruncated)
        #expect(message.responseCode == 0)
        #expect(
            message.answers == [
                DNSRecord(
                    name: "_api._tcp.service.consul",
                    ttl: 30,
                    data: .srv(priority: 1, weight: 10, port: 8080, target: "node1.service.consul")
                ),
                DNSRecord(
                    name: "_api._tcp.service.consul",
                    ttl: 30,
                    data: .srv(priority: 1, weight: 20, port: 8081, target: "node2.service.consul")
                ),
            ]
        )
        #expect(
            message.additionals == [
                DNSRecord(name: "node1.service.consul", ttl: 30, data: .a("10.0.0.1")),
                DNSRecord(name: "node2.service.consul", ttl: 30, data: .aaaa("fd00::2")),
            ]
        )
        #expect(DNSServiceDiscovery.firstAddress(of: "node2.service.consul", in: message.additionals) == "fd00::2")
    }

    @Test("every truncation of a valid answer is an error, never a crash")
    func truncations() {
        for length in 0..<Self.consulSRVAnswer.count {
            #expect(throws: DNSMessageError.self) {
                try DNSMessage(parsing: Array(Self.consulSRVAnswer.prefix(length)))
            }
        }
    }

    @Test("compression pointers that loop or point forward are rejected")
    func pointerLoops() {
        // Header with one question whose name is a pointer to itself (offset 12).
        var selfPointer: [UInt8] = [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0]
        selfPointer += [0xC0, 12, 0, 33, 0, 1]
        #expect(throws: DNSMessageError.invalidName) { try DNSMessage(parsing: selfPointer) }
        var forward: [UInt8] = [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0]
        forward += [0xC0, 14, 0, 0, 33, 0, 1]
        #expect(throws: DNSMessageError.invalidName) { try DNSMessage(parsing: forward) }
    }

    @Test("the server's RCODE and the TC flag are read")
    func flags() throws {
        let nxdomain: [UInt8] = [0xAB, 0xCD, 0x83, 0x83, 0, 0, 0, 0, 0, 0, 0, 0]
        let message = try DNSMessage(parsing: nxdomain)
        #expect(message.responseCode == 3)
        #expect(message.isTruncated)
    }

    @Test("a query is the header, the name as labels, the type and class IN, and an EDNS(0) OPT record")
    func query() throws {
        let bytes = try DNSMessage.makeQuery(id: 0xBEEF, name: "_api._tcp.service.consul.", type: .srv)
        let expected: [UInt8] =
            [0xBE, 0xEF, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1]
            + [4] + Array("_api".utf8) + [4] + Array("_tcp".utf8) + [7] + Array("service".utf8) + [6]
            + Array("consul".utf8) + [0, 0, 33, 0, 1]
            + [0, 0, 41, 0x10, 0x00, 0, 0, 0, 0, 0, 0]
        #expect(bytes == expected)
        #expect(throws: DNSMessageError.self) {
            try DNSMessage.makeQuery(id: 1, name: String(repeating: "a", count: 64) + ".example", type: .a)
        }
        #expect(throws: DNSMessageError.self) { try DNSMessage.makeQuery(id: 1, name: "a..b", type: .a) }
    }

    @Test("SRV expansion keeps the lowest priority and repeats targets by compacted weight (Lura's dnssrv)")
    func expansion() {
        let targets: [SRVInstances.Target] = [
            .init(priority: 2, weight: 100, port: 9000, host: "10.0.0.9"),
            .init(priority: 1, weight: 10, port: 8080, host: "10.0.0.1"),
            .init(priority: 1, weight: 20, port: 8081, host: "10.0.0.2"),
            .init(priority: 1, weight: 10, port: 8082, host: "fd00::3"),
        ]
        #expect(
            SRVInstances.expand(targets) == [
                "http://10.0.0.2:8081", "http://10.0.0.2:8081", "http://10.0.0.1:8080", "http://[fd00::3]:8082",
            ]
        )
        // Sums over 100 are scaled down to 100 first: 300/100 → 75/25 → gcd 25 → 3 and 1.
        #expect(SRVInstances.compact([300, 100]) == [3, 1])
        #expect(SRVInstances.compact([0, 5]) == [0, 1])
        // All weights zero: each target once (RFC 2782), where Lura would list none.
        let zero: [SRVInstances.Target] = [
            .init(priority: 0, weight: 0, port: 1, host: "10.0.0.1"),
            .init(priority: 0, weight: 0, port: 2, host: "10.0.0.2"),
        ]
        #expect(SRVInstances.expand(zero) == ["http://10.0.0.1:1", "http://10.0.0.2:2"])
        #expect(SRVInstances.expand([]) == [])
    }

    @Test("expanded origins connect to the address and send the SRV target as Host")
    func originsNameTheirTarget() throws {
        let targets: [SRVInstances.Target] = [
            .init(priority: 1, weight: 20, port: 8081, host: "10.0.0.2", name: "api-2.service.consul"),
            .init(priority: 1, weight: 10, port: 8082, host: "fd00::3", name: "api-3.service.consul"),
            .init(priority: 1, weight: 10, port: 8083, host: "10.0.0.4"),
        ]
        let origins = try SRVInstances.expandOrigins(targets)
        // Equal weights sort by address, as Lura sorts by target.
        #expect(origins.map(\.host) == ["10.0.0.2", "10.0.0.2", "10.0.0.4", "fd00::3"])
        #expect(
            origins.map(\.hostHeader) == [
                "api-2.service.consul:8081", "api-2.service.consul:8081", "10.0.0.4:8083", "api-3.service.consul:8082",
            ]
        )
        #expect(origins.allSatisfy { $0.address != nil })
    }

    @Test("resolv.conf nameservers, and resolver overrides with ports")
    func resolvers() {
        let conf = "# generated\nsearch example.internal\nnameserver 10.0.0.53\nnameserver\tfd00::53\noptions ndots:5\n"
        #expect(
            ResolverConfiguration.nameservers(resolvConf: conf).map(\.ipAddress) == [
                "10.0.0.53", "fd00::53",
            ]
        )
        #expect(ResolverConfiguration.nameservers(resolvConf: "").map(\.port) == [53])
        #expect(ResolverConfiguration.address("127.0.0.1:8600")?.port == 8600)
        #expect(ResolverConfiguration.address("[::1]:5353")?.port == 5353)
        #expect(ResolverConfiguration.address("::1")?.port == 53)
        #expect(ResolverConfiguration.address("consul:8600") == nil)
        #expect(ResolverConfiguration.address("127.0.0.1:99999") == nil)
    }

    @Test("portico/sd options: defaults, overrides, and errors with paths")
    func options() throws {
        #expect(try DNSDiscoveryOptions.read(nil, at: "x", file: "f") == DNSDiscoveryOptions())
        let read = try DNSDiscoveryOptions.read(
            ["resolver": ["127.0.0.1:5353", "10.0.0.2"], "timeout": "500ms", "attempts": 3],
            at: #"extra_config["portico/sd"]"#,
            file: "f"
        )
        #expect(read.resolvers?.map(\.port) == [5353, 53])
        #expect(read.timeout == .milliseconds(500))
        #expect(read.attempts == 3)
        #expect(throws: ConfigurationError.self) {
            try DNSDiscoveryOptions.read(["resolver": "dns.internal"], at: "p", file: "f")
        }
        do {
            _ = try DNSDiscoveryOptions.read(
                ["attempts": 0, "timeout": "0s"],
                at: #"extra_config["portico/sd"]"#,
                file: "f"
            )
            Issue.record("expected an error")
        } catch {
            #expect(
                error.problems.map(\.path) == [
                    #"extra_config["portico/sd"].timeout"#, #"extra_config["portico/sd"].attempts"#,
                ]
            )
        }
    }
}
