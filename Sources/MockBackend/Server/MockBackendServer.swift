public import NIOCore
import NIOHTTP1
import NIOPosix

/// A scriptable HTTP/1.1 backend for tests, demos and benchmarks, built on SwiftNIO.
///
/// Keep-alive and pipelining are supported (NIO's pipelining handler keeps answers in order); bodies go out with
/// `Content-Length`, or chunked when a route asks for it. Faults can be injected in process with ``setFailure(_:)``
/// or from another process through the `/__mock/*` control endpoints (see ``MockFailure``).
///
/// ```swift
/// let users = try await MockBackendServer.start(routes: [
///     .get("/users/{id}", .template(#"{"id": {id}, "name": "user {id}"}"#)),
/// ])
/// defer { Task { try await users.shutdown() } }
/// // point the gateway at users.baseURL, then:
/// users.setFailure(.status(503, count: 2))
/// #expect(users.recordedRequests.last?.path == "/users/7")
/// ```
public final class MockBackendServer: Sendable {
    /// How many requests ``recordedRequests`` keeps (the oldest are dropped first).
    public static let recordedRequestCapacity = 1_000
    /// How many body bytes of each request are kept; the rest is read and dropped.
    public static let maxRecordedBodyBytes = 1 << 20

    /// The bound port (the ephemeral one when started with port 0).
    public let port: Int
    /// `http://HOST:PORT`, with the host as given to ``start(host:port:routes:group:)`` (wildcard hosts become
    /// `127.0.0.1`).
    public let baseURL: String
    private let channel: any Channel
    private let state: MockServerState

    private init(channel: any Channel, state: MockServerState, host: String, port: Int) {
        self.channel = channel
        self.state = state
        self.port = port
        let reachableHost: String
        switch host {
        case "0.0.0.0", "": reachableHost = "127.0.0.1"
        case "::": reachableHost = "[::1]"
        default: reachableHost = host.contains(":") ? "[\(host)]" : host
        }
        self.baseURL = "http://\(reachableHost):\(port)"
    }

    /// Binds and starts serving `routes`.
    /// - Parameters:
    ///   - host: The address to bind; default `127.0.0.1`.
    ///   - port: The port; default 0 picks a free one (read it back from ``port``).
    ///   - routes: Tried in order; the first match answers.
    ///   - group: The event loops to run on; default NIO's shared `MultiThreadedEventLoopGroup.singleton`.
    public static func start(
        host: String = "127.0.0.1",
        port: Int = 0,
        routes: [MockRoute],
        group: (any EventLoopGroup)? = nil
    ) async throws -> MockBackendServer {
        let state = MockServerState(routes: routes, recordCapacity: Self.recordedRequestCapacity)
        let maxBodyBytes = Self.maxRecordedBodyBytes
        let channel = try await ServerBootstrap(group: group ?? MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                guard state.register(channel) else {
                    return channel.close()
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withPipeliningAssistance: true,
                        withErrorHandling: true
                    )
                    try channel.pipeline.syncOperations.addHandler(
                        MockHTTPHandler(state: state, maxBodyBytes: maxBodyBytes)
                    )
                }
            }
            .bind(host: host, port: port)
            .get()
        let boundPort = channel.localAddress?.port ?? port
        return MockBackendServer(channel: channel, state: state, host: host, port: boundPort)
    }

    /// The most recent requests (at most ``recordedRequestCapacity``), oldest first; control requests excluded.
    public var recordedRequests: [RecordedRequest] {
        self.state.recordedRequests
    }

    /// How many requests arrived since start or the last ``clearRecordedRequests()`` (not bounded by the log).
    public var requestCount: Int {
        self.state.requestCount
    }

    /// How many TCP connections were accepted since start (shows whether a client reuses connections).
    public var connectionCount: Int {
        self.state.connectionCount
    }

    /// How many accepted connections are open now.
    public var openConnectionCount: Int {
        self.state.openConnectionCount
    }

    /// Empties the request log and resets ``requestCount``.
    public func clearRecordedRequests() {
        self.state.clearRecordedRequests()
    }

    /// The fault in force, with its remaining count.
    public var failure: MockFailure? {
        self.state.failure
    }

    /// Injects `failure` into subsequent answers; `nil` clears it.
    public func setFailure(_ failure: MockFailure?) {
        self.state.setFailure(failure)
    }

    /// Replaces the routes for subsequent requests.
    public func setRoutes(_ routes: [MockRoute]) {
        self.state.setRoutes(routes)
    }

    /// Stops accepting, closes every open connection and waits for them to close. Safe to call twice.
    public func shutdown() async throws {
        let connections = self.state.beginShutdown()
        do {
            try await self.channel.close()
        } catch ChannelError.alreadyClosed {
            // A second shutdown finds the listener closed already.
        }
        for connection in connections {
            connection.close(promise: nil)
        }
        for connection in connections {
            try? await connection.closeFuture.get()
        }
    }
}
