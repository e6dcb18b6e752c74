import Gateway
import MockBackend
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

/// The backend client as Go's `http.Client` behaves under KrakenD: redirects, gzip, streamed request bodies; and
/// the server's write / read-header timeouts.
@Suite("Backend HTTP behaviour")
struct BackendHTTPBehaviourTests {
    /// `{"id":7,"name":"gzipped user"}`, gzip-compressed (mtime 0).
    static let gzippedUser: [UInt8] = [
        31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 171, 86, 202, 76, 81, 178, 50, 215, 81, 202, 75, 204, 77, 85, 178, 82, 74,
        175, 202, 44, 40, 72, 77, 81, 40, 45, 78, 45, 82, 170, 5, 0, 16, 159, 8, 3, 30, 0, 0, 0,
    ]

    static func redirectHarness() async throws -> GatewayHarness {
        try await GatewayHarness.start(
            configuration: """
                {"version": 3, "host": ["{{users}}"], "extra_config": {"router": {"return_error_msg": true}},
                 "endpoints": [
                   {"endpoint": "/moved", "backend": [{"url_pattern": "/old"}]},
                   {"endpoint": "/submit", "method": "POST", "backend": [{"url_pattern": "/submit"}]},
                   {"endpoint": "/temporary", "method": "POST", "output_encoding": "no-op",
                    "backend": [{"url_pattern": "/temporary", "encoding": "no-op"}]},
                   {"endpoint": "/hops/{n}", "backend": [{"url_pattern": "/hop/{n}"}]},
                   {"endpoint": "/secure", "backend": [{"url_pattern": "/secure"}]}
                 ]}
                """,
            backends: [
                "users": [
                    .get("/old", MockResponse(status: 302, headers: [("Location", "new?page=2")])),
                    .get("/new", .json(#"{"id":1,"moved":true}"#)),
                    .post("/submit", MockResponse(status: 303, headers: [("Location", "/submitted")])),
                    .get("/submitted", .json(#"{"accepted":true}"#)),
                    MockRoute(
                        method: "POST",
                        path: "/temporary",
                        response: MockResponse(status: 307, headers: [("Location", "/elsewhere")])
                    ),
                    MockRoute(method: "GET", path: "/hop/{n}") { request in
                        // /hop/N redirects N times in all: /hop/N → /hop/N-1 → … → /hop/0 answers.
                        let remaining = Int(request.pathParameters["n"] ?? "0") ?? 0
                        if remaining == 0 { return .json(#"{"arrived":true}"#) }
                        return MockResponse(status: 301, headers: [("Location", "/hop/\(remaining - 1)")])
                    },
                    .get("/secure", MockResponse(status: 302, headers: [("Location", "https://127.0.0.1/secure")])),
                ]
            ]
        )
    }

    @Test func relativeRedirectIsFollowedWithReferer() async throws {
        let harness = try await Self.redirectHarness()
        defer { Task { await harness.stop() } }
        let response = try await harness.request(.GET, "/moved")
        #expect(response.status == 200, "\(response.body)")
        #expect(jsonEqual(response.json, parseJSON(#"{"id":1,"moved":true}"#)))
        let requests = harness.backend("users").recordedRequests
        #expect(requests.map(\.uri) == ["/old", "/new?page=2"])
        let base = harness.backend("users").baseURL
        #expect(requests.last?.headers.first { $0.name.lowercased() == "referer" }?.value == "\(base)/old")
    }

    @Test func postAfter303BecomesGetWithoutBody() async throws {
        let harness = try await Self.redirectHarness()
        defer { Task { await harness.stop() } }
        let response = try await harness.request(.POST, "/submit", body: #"{"order":5}"#)
        #expect(response.status == 200, "\(response.body)")
        let follow = try #require(harness.backend("users").recordedRequests.last)
        #expect(follow.method == "GET" && follow.uri == "/submitted" && follow.body.isEmpty)
    }

    /// Go (and so KrakenD without `send_body_on_redirect`) does not re-send an unbuffered body: the 307 itself is
    /// the answer, which `no-op` passes on.
    @Test func temporaryRedirectOfABodyIsReturnedAsIs() async throws {
        let harness = try await Self.redirectHarness()
        defer { Task { await harness.stop() } }
        // Raw: the test HTTP client would follow the 307 itself.
        let request =
            "POST /temporary HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"order\":5}"
        let answer = try await rawExchange(port: harness.port, bytes: Array(request.utf8))
        #expect(answer.hasPrefix("HTTP/1.1 307"), "\(answer)")
        #expect(answer.lowercased().contains("location: /elsewhere"), "\(answer)")
        #expect(harness.backend("users").recordedRequests.map(\.uri) == ["/temporary"])
    }

    /// Go's `http.Client` stops "after 10 redirects": 9 are followed, the 10th fails the call.
    @Test(arguments: [(9, 200), (10, 500)])
    func redirectChainsStopAfterTen(hops: Int, status: Int) async throws {
        let harness = try await Self.redirectHarness()
        defer { Task { await harness.stop() } }
        let response = try await harness.request(.GET, "/hops/\(hops)")
        #expect(response.status == status, "\(response.body)")
        #expect(harness.backend("users").requestCount == min(hops + 1, 10))
        if status == 500 { #expect(response.body.contains("stopped after 10 redirects")) }
    }

    @Test func redirectToHTTPSIsABackendFailureWithAClearReason() async throws {
        let harness = try await Self.redirectHarness()
        defer { Task { await harness.stop() } }
        let response = try await harness.request(.GET, "/secure")
        #expect(response.status == 500)
        #expect(response.body.contains("https backends are not supported"), "\(response.body)")
    }

    @Test func redirectToAnotherHostUsesThatHost() async throws {
        let elsewhere = try await MockBackendServer.start(routes: [.get("/there", .json(#"{"host":"elsewhere"}"#))])
        defer { Task { try? await elsewhere.shutdown() } }
        let harness = try await GatewayHarness.start(
            configuration: """
                {"version": 3, "host": ["{{users}}"],
                 "endpoints": [{"endpoint": "/away", "backend": [{"url_pattern": "/away"}]}]}
                """,
            backends: [
                "users": [
                    .get("/away", MockResponse(status: 302, headers: [("Location", "\(elsewhere.baseURL)/there")]))
                ]
            ]
        )
        defer { Task { await harness.stop() } }
        let response = try await harness.request(.GET, "/away")
        #expect(response.status == 200, "\(response.body)")
        #expect(jsonEqual(response.json, parseJSON(#"{"host":"elsewhere"}"#)))
        #expect(
            elsewhere.recordedRequests.first?.headers.first { $0.name.lowercased() == "host" }?.value
                == String(elsewhere.baseURL.dropFirst("http://".count))
        )
    }

    static func gzipHarness() async throws -> GatewayHarness {
        try await GatewayHarness.start(
            configuration: """
                {"version": 3, "host": ["{{users}}"],
                 "endpoints": [
                   {"endpoint": "/decoded", "backend": [{"url_pattern": "/user"}]},
                   {"endpoint": "/raw", "output_encoding": "no-op",
                    "backend": [{"url_pattern": "/user", "encoding": "no-op"}]},
                   {"endpoint": "/passthrough", "output_encoding": "no-op", "input_headers": ["Accept-Encoding"],
                    "backend": [{"url_pattern": "/user", "encoding": "no-op"}]}
                 ]}
                """,
            backends: [
                "users": [
                    .get(
                        "/user",
                        MockResponse(
                            headers: [("Content-Type", "application/json"), ("Content-Encoding", "gzip")],
                            body: .bytes(gzippedUser)
                        )
                    )
                ]
            ]
        )
    }

    @Test func gzipResponsesAreDecodedAndGzipIsAskedFor() async throws {
        let harness = try await Self.gzipHarness()
        defer { Task { await harness.stop() } }
        for path in ["/decoded", "/raw"] {
            let response = try await harness.request(.GET, path)
            #expect(response.status == 200)
            #expect(
                jsonEqual(response.json, parseJSON(#"{"id":7,"name":"gzipped user"}"#)),
                "\(path): \(response.body)"
            )
            #expect(response.header("Content-Encoding") == nil)
        }
        for request in harness.backend("users").recordedRequests {
            #expect(request.headers.first { $0.name.lowercased() == "accept-encoding" }?.value == "gzip")
        }
    }

    @Test func noOpWithTheClientsAcceptEncodingPassesCompressedBytes() async throws {
        let harness = try await Self.gzipHarness()
        defer { Task { await harness.stop() } }
        let response = try await GatewayHarness.rawGET(port: harness.port, path: "/passthrough", acceptEncoding: "gzip")
        #expect(response.contains("Content-Encoding: gzip") || response.contains("content-encoding: gzip"))
        #expect(response.utf8.count > Self.gzippedUser.count)
        #expect(!response.contains("gzipped user"))
    }

    /// The backend sees chunked body bytes while the client is still sending: the gateway streams, not buffers.
    @Test func requestBodiesStreamToTheBackendChunked() async throws {
        let probe = try await ChunkedBodyProbe.start()
        defer { Task { await probe.stop() } }
        let harness = try await GatewayHarness.start(
            configuration: """
                {"version": 3, "host": ["\(probe.baseURL)"],
                 "endpoints": [{"endpoint": "/upload", "method": "POST", "backend": [{"url_pattern": "/upload"}]}]}
                """
        )
        defer { Task { await harness.stop() } }
        let client = try await RawClient.connect(port: harness.port)
        try await client.send(
            "POST /upload HTTP/1.1\r\nHost: gateway\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n"
        )
        // Bounded wait on a real event: the backend got the first part while the client has not finished.
        let firstPart = try await probe.firstPart.futureResult.get()
        #expect(firstPart.chunked)
        #expect(firstPart.bytes == "first")
        try await client.send("6\r\nsecond\r\n0\r\n\r\n")
        let answer = try await client.readUntilClosedOr(contains: "\"received\"")
        #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
        #expect(answer.contains(#""received":"firstsecond""#), "\(answer)")
        await client.close()
    }

    @Test func slowRequestHeadAnswers408AfterReadHeaderTimeout() async throws {
        let harness = try await GatewayHarness.start(
            configuration: """
                {"version": 3, "host": ["{{users}}"], "read_header_timeout": "1s",
                 "endpoints": [{"endpoint": "/users/{id}", "backend": [{"url_pattern": "/users/{id}"}]}]}
                """,
            backends: ["users": [.get("/users/{id}", .json(#"{"id":1}"#))]]
        )
        defer { Task { await harness.stop() } }
        // The head never ends; the gateway must answer and close by itself (bounded by rawExchange's 10s).
        let answer = try await rawExchange(
            port: harness.port,
            bytes: Array("GET /users/1 HTTP/1.1\r\nHost: a\r\n".utf8)
        )
        #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer)")
        #expect(harness.backend("users").requestCount == 0)
    }

    @Test func responseNotWrittenWithinWriteTimeoutClosesTheConnection() async throws {
        let harness = try await GatewayHarness.start(
            configuration: """
                {"version": 3, "host": ["{{users}}"], "write_timeout": "1s",
                 "endpoints": [
                   {"endpoint": "/slow", "timeout": "5s", "backend": [{"url_pattern": "/slow"}]},
                   {"endpoint": "/fast", "backend": [{"url_pattern": "/fast"}]}
                 ]}
                """,
            backends: [
                "users": [
                    .get("/slow", MockResponse.json(#"{"slow":true}"#).delayed(by: .seconds(3))),
                    .get("/fast", .json(#"{"fast":true}"#)),
                ]
            ]
        )
        defer { Task { await harness.stop() } }
        let slow = try await rawExchange(port: harness.port, bytes: Array("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        #expect(slow.isEmpty, "\(slow)")
        let fast = try await harness.request(.GET, "/fast")
        #expect(fast.status == 200)
    }
}

extension GatewayHarness {
    /// One raw GET with an `Accept-Encoding`, returning the raw answer (the test client would decode gzip itself).
    static func rawGET(port: Int, path: String, acceptEncoding: String) async throws -> String {
        let request =
            "GET \(path) HTTP/1.1\r\nHost: a\r\nAccept-Encoding: \(acceptEncoding)\r\nConnection: close\r\n\r\n"
        return try await rawExchange(port: port, bytes: Array(request.utf8))
    }
}

/// A raw TCP client that sends in several steps and reads everything received.
final class RawClient: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: `received` is written on the channel's loop and read there (through `submit`).
    typealias InboundIn = ByteBuffer
    private var received = ByteBuffer()
    private var waiter: (String, EventLoopPromise<String>)?
    private var channel: (any Channel)?

    static func connect(port: Int) async throws -> RawClient {
        let client = RawClient()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(client) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        client.channel = channel
        return client
    }

    func send(_ text: String) async throws {
        try await channel!.writeAndFlush(ByteBuffer(string: text))
    }

    /// Everything received once it contains `marker` or the peer closes (at most 10s).
    func readUntilClosedOr(contains marker: String) async throws -> String {
        let channel = channel!
        let promise = channel.eventLoop.makePromise(of: String.self)
        channel.eventLoop.execute {
            let text = String(buffer: self.received)
            if text.contains(marker) {
                promise.succeed(text)
            } else {
                self.waiter = (marker, promise)
            }
        }
        let timer = channel.eventLoop.scheduleTask(in: .seconds(10)) { promise.succeed(String(buffer: self.received)) }
        defer { timer.cancel() }
        return try await promise.futureResult.get()
    }

    func close() async {
        try? await channel?.close()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var part = unwrapInboundIn(data)
        received.writeBuffer(&part)
        if let (marker, promise) = waiter, String(buffer: received).contains(marker) {
            waiter = nil
            promise.succeed(String(buffer: received))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let (_, promise) = waiter {
            waiter = nil
            promise.succeed(String(buffer: received))
        }
    }
}

/// A backend that reports its first request-body part (and whether the body came chunked) as soon as it arrives,
/// and answers `{"received": "<whole body>"}` at the end.
final class ChunkedBodyProbe: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: per-connection state is touched on the connection's loop only.
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Fulfilled with the first body part the backend receives.
    let firstPart: EventLoopPromise<(chunked: Bool, bytes: String)>
    private var chunked = false
    private var body = ""
    private var server: (any Channel)?

    var baseURL: String { "http://127.0.0.1:\(server!.localAddress!.port!)" }

    private init(loop: any EventLoop) {
        firstPart = loop.makePromise()
    }

    static func start() async throws -> ChunkedBodyProbe {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let probe = ChunkedBodyProbe(loop: loop)
        probe.server = try await ServerBootstrap(group: loop)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(probe)
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return probe
    }

    func stop() async {
        firstPart.fail(CancellationError())
        try? await server?.close()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            chunked = head.headers[canonicalForm: "transfer-encoding"].contains("chunked")
            body = ""
        case .body(let part):
            if body.isEmpty { firstPart.succeed((chunked, String(buffer: part))) }
            body += String(buffer: part)
        case .end:
            let json = #"{"received":"\#(body)"}"#
            var head = HTTPResponseHead(version: .http1_1, status: .ok)
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(json.utf8.count))
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: json)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
