import AsyncHTTPClient
import Foundation
import Gateway
import Logging
import MockBackend
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real gateway on a loopback port in front of real mock backends, for one test.
struct GatewayHarness {
    let gateway: Gateway
    let port: Int
    let backends: [String: MockBackendServer]
    let group: MultiThreadedEventLoopGroup

    /// Starts the backends, substitutes `{{name}}` in `configuration` with each backend's base URL, loads the
    /// result through the real loader, and starts the gateway on an ephemeral port.
    static func start(
        configuration: String,
        backends routes: [String: [MockRoute]] = [:],
        extensions: GatewayExtensions = .standard,
        eventLoops: Int = 1,
        logger: Logger? = nil
    ) async throws -> GatewayHarness {
        var backends: [String: MockBackendServer] = [:]
        var text = configuration
        for (name, routes) in routes {
            let server = try await MockBackendServer.start(routes: routes)
            backends[name] = server
            text = text.replacingOccurrences(of: "{{\(name)}}", with: server.baseURL)
        }
        let loaded = try ConfigurationLoader(knownNamespaces: extensions.knownNamespaces, environment: [:])
            .load(text: text, fileName: "test.json")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: eventLoops)
        var logger = logger ?? Logger(label: "portico-test")
        logger.logLevel = .warning
        let gateway = try Gateway(
            configuration: loaded,
            extensions: extensions,
            eventLoopGroup: group,
            logger: logger,
            shutdownTimeout: .seconds(5)
        )
        let port = try await gateway.start(host: "127.0.0.1", port: 0)
        return GatewayHarness(gateway: gateway, port: port, backends: backends, group: group)
    }

    /// Stops the gateway and every backend.
    func stop() async {
        await gateway.stop()
        for backend in backends.values { try? await backend.shutdown() }
        try? await group.shutdownGracefully()
    }

    /// The backend started under `name`.
    func backend(_ name: String) -> MockBackendServer {
        guard let backend = backends[name] else { preconditionFailure("no backend named \(name)") }
        return backend
    }

    /// Sends one request through a fresh client and returns status, headers and body.
    func request(
        _ method: HTTPMethod = .GET,
        _ path: String,
        headers: [(String, String)] = [],
        body: String? = nil
    ) async throws -> TestResponse {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }
}

/// What a test request got back.
struct TestResponse {
    let status: Int
    let headers: HTTPHeaders
    let body: String

    /// The body parsed as JSON (Foundation is fine in tests), or nil when it is not JSON.
    var json: Any? {
        try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])
    }

    /// The first value of a header.
    func header(_ name: String) -> String? { headers.first(name: name) }
}

/// Semantic JSON equality (key order and number formatting ignored).
func jsonEqual(_ lhs: Any?, _ rhs: Any?) -> Bool {
    guard let lhs, let rhs else { return lhs == nil && rhs == nil }
    return canonicalJSON(lhs) == canonicalJSON(rhs)
}

/// Sorted-keys serialization: equal for equal JSON values whatever their key order.
func canonicalJSON(_ value: Any) -> String? {
    guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
    else {
        return nil
    }
    return String(decoding: data, as: UTF8.self)
}

/// Parses a JSON literal written in a test.
func parseJSON(_ text: String) -> Any? {
    try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}

/// Sends raw bytes to a port and returns everything received until the peer closes (or `timeout`).
func rawExchange(port: Int, bytes: [UInt8], timeout: TimeAmount = .seconds(10)) async throws -> String {
    let collector = RawCollector()
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
        }
        .connect(host: "127.0.0.1", port: port).get()
    try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    let closed = channel.closeFuture
    let timer = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    try? await closed.get()
    timer.cancel()
    return collector.text
}

private final class RawCollector: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: written on the channel's loop, read after the channel closed.
    typealias InboundIn = ByteBuffer
    private var received = ByteBuffer()

    var text: String { String(buffer: received) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var part = unwrapInboundIn(data)
        received.writeBuffer(&part)
    }
}
