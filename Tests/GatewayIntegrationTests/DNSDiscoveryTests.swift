import Foundation
import MockBackend
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// `"sd": "dns"` through real sockets: a tiny UDP DNS server on loopback answers SRV queries with records that
/// point at real mock backends.
@Suite("DNS SRV discovery", .serialized)
struct DNSDiscoveryTests {
    @Test("SRV targets are balanced round robin, and a refresh picks up a changed record")
    func roundRobinAndRefresh() async throws {
        let first = try await MockBackendServer.start(routes: [.get("/items", .json(#"{"from":"first"}"#))])
        let second = try await MockBackendServer.start(routes: [.get("/items", .json(#"{"from":"second"}"#))])
        let third = try await MockBackendServer.start(routes: [.get("/items", .json(#"{"from":"third"}"#))])
        let dns = try await TinyDNSServer.start(
            records: [
                .init(priority: 1, weight: 1, port: UInt16(first.port), target: "first.backends.test"),
                .init(priority: 1, weight: 1, port: UInt16(second.port), target: "second.backends.test"),
                // A higher priority value is a fallback: never used while priority 1 answers.
                .init(priority: 5, weight: 1, port: UInt16(third.port), target: "third.backends.test"),
            ]
        )
        let harness = try await GatewayHarness.start(
            configuration: """
                {"version": 3, "dns_cache_ttl": "100ms",
                 "extra_config": {"portico/sd": {"resolver": "127.0.0.1:\(dns.port)", "timeout": "500ms"}},
                 "endpoints": [{"endpoint": "/items", "backend": [
                   {"sd": "dns", "sd_scheme": "http", "host": ["_items._tcp.backends.test"], "url_pattern": "/items"}]}]}
                """
        )
        do {
            var seen: [String] = []
            for _ in 0..<4 {
                let response = try await harness.request(.GET, "/items")
                #expect(response.status == 200, "\(response.body)")
                seen.append(response.body)
            }
            #expect(first.requestCount == 2)
            #expect(second.requestCount == 2)
            #expect(third.requestCount == 0)
            #expect(seen[0] != seen[1])
            // The connection goes to the resolved address; `Host` names the SRV target, as Go's client sends it.
            let hostHeaders = first.recordedRequests.map { request in
                request.headers.first { $0.name.lowercased() == "host" }?.value
            }
            #expect(hostHeaders == ["first.backends.test:\(first.port)", "first.backends.test:\(first.port)"])

            // The service moves to the third backend; the next refresh (100ms) must pick it up.
            dns.setRecords([.init(priority: 1, weight: 1, port: UInt16(third.port), target: "third.backends.test")])
            var moved = false
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                let response = try await harness.request(.GET, "/items")
                if response.body.contains("third") {
                    moved = true
                    break
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(moved, "the gateway never used the changed SRV record")
            let before = first.requestCount + second.requestCount
            for _ in 0..<3 {
                let response = try await harness.request(.GET, "/items")
                #expect(response.body.contains("third"))
            }
            #expect(first.requestCount + second.requestCount == before)
            #expect(dns.queryCount >= 2)

            // The DNS server stops answering: the last good set stays in use.
            dns.setAnswering(false)
            let queriesBefore = dns.queryCount
            let failing = ContinuousClock.now + .seconds(10)
            // Two unanswered attempts make one failed lookup; a third query means the next refresh began, so a
            // failed refresh has completed (and would have wiped the hosts if failures did that).
            while dns.queryCount < queriesBefore + 3, ContinuousClock.now < failing {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(dns.queryCount >= queriesBefore + 3, "no failed lookup completed within 10 s")
            let response = try await harness.request(.GET, "/items")
            #expect(response.status == 200)
            #expect(response.body.contains("third"))
        } catch {
            Issue.record(error)
        }
        await harness.stop()
        await dns.stop()
        for server in [first, second, third] { try? await server.shutdown() }
    }

    @Test("no resolvable SRV record: the backend fails with the lookup's reason")
    func noHosts() async throws {
        let dns = try await TinyDNSServer.start(records: [])
        let harness = try await GatewayHarness.start(
            configuration: """
                {"version": 3, "extra_config": {"portico/sd": {"resolver": "127.0.0.1:\(dns.port)", "timeout": "300ms"},
                  "portico/http": {"status_codes": "precise"}},
                 "endpoints": [{"endpoint": "/items", "backend": [
                   {"sd": "dns", "host": ["_items._tcp.backends.test"], "url_pattern": "/items"}]}]}
                """
        )
        let response = try await harness.request(.GET, "/items")
        #expect(response.status == 502, "\(response.body)")
        await harness.stop()
        await dns.stop()
    }
}

/// A UDP DNS server for tests: answers every SRV query with the current records (targets resolving to 127.0.0.1
/// through A records in the additional section), and A queries with 127.0.0.1.
final class TinyDNSServer: Sendable {
    struct Record: Sendable {
        var priority: UInt16
        var weight: UInt16
        var port: UInt16
        var target: String
    }

    private struct State {
        var records: [Record]
        var answering = true
        var queries = 0
    }

    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup
    private let state: Mutex<State>
    let port: Int

    private init(channel: any Channel, group: MultiThreadedEventLoopGroup, records: [Record]) {
        self.channel = channel
        self.group = group
        self.state = Mutex(State(records: records))
        self.port = channel.localAddress?.port ?? 0
    }

    static func start(records: [Record]) async throws -> TinyDNSServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let box = ServerBox()
        let channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TinyDNSHandler(box: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = TinyDNSServer(channel: channel, group: group, records: records)
        box.server.withLock { $0 = server }
        return server
    }

    func setRecords(_ records: [Record]) { state.withLock { $0.records = records } }
    func setAnswering(_ answering: Bool) { state.withLock { $0.answering = answering } }
    var queryCount: Int { state.withLock { $0.queries } }

    func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }

    /// The answer to `query`, or nil to stay silent.
    func answer(_ query: [UInt8]) -> [UInt8]? {
        let (records, answering) = state.withLock { state -> ([Record], Bool) in
            state.queries += 1
            return (state.records, state.answering)
        }
        guard answering, query.count > 12 else { return nil }
        // The question: the name's labels up to the root, then type and class.
        var end = 12
        while end < query.count, query[end] != 0 { end += Int(query[end]) + 1 }
        guard end + 5 <= query.count else { return nil }
        let question = Array(query[12..<(end + 5)])
        let type = UInt16(query[end + 1]) << 8 | UInt16(query[end + 2])
        var answers: [[UInt8]] = []
        var additionals: [[UInt8]] = []
        if type == 33 {
            for record in records {
                var data: [UInt8] = []
                for value in [record.priority, record.weight, record.port] {
                    data += [UInt8(value >> 8), UInt8(value & 0xFF)]
                }
                data += Self.name(record.target)
                answers.append(
                    [0xC0, 12] + [0, 33, 0, 1, 0, 0, 0, 1] + [UInt8(data.count >> 8), UInt8(data.count & 0xFF)] + data
                )
                additionals.append(Self.name(record.target) + [0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 127, 0, 0, 1])
            }
        } else if type == 1 {
            answers.append([0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 127, 0, 0, 1])
        }
        var message: [UInt8] = [query[0], query[1], 0x81, 0x80, 0, 1]
        message += [UInt8(answers.count >> 8), UInt8(answers.count & 0xFF), 0, 0]
        message += [UInt8(additionals.count >> 8), UInt8(additionals.count & 0xFF)]
        message += question
        for answer in answers { message += answer }
        for additional in additionals { message += additional }
        return message
    }

    private static func name(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for label in text.split(separator: ".") { bytes += [UInt8(label.utf8.count)] + Array(label.utf8) }
        return bytes + [0]
    }
}

private final class ServerBox: Sendable {
    let server = Mutex<TinyDNSServer?>(nil)
}

private final class TinyDNSHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    let box: ServerBox

    init(box: ServerBox) { self.box = box }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let server = box.server.withLock({ $0 }),
            let reply = server.answer(Array(envelope.data.readableBytesView))
        else { return }
        let out = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: reply))
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
    }
}
