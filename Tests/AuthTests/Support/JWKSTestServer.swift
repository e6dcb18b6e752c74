import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal JWKS server on loopback: serves `document` at any path, counts requests, can be switched to 503.
final class JWKSTestServer: @unchecked Sendable {
    private let lock = NSLock()
    private var document: String
    private var failing = false
    private var requests = 0
    private var channel: (any Channel)?

    init(document: String) { self.document = document }

    var requestCount: Int { lock.withLock { requests } }

    func setDocument(_ newDocument: String) { lock.withLock { document = newDocument } }

    func setFailing(_ isFailing: Bool) { lock.withLock { failing = isFailing } }

    func response() -> (HTTPResponseStatus, String) {
        lock.withLock {
            requests += 1
            return failing ? (.serviceUnavailable, "down") : (.ok, document)
        }
    }

    /// Binds to an ephemeral port and returns the JWKS URL.
    func start() async throws -> String {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(server: self))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        lock.withLock { self.channel = channel }
        return "http://127.0.0.1:\(channel.localAddress?.port ?? 0)/.well-known/jwks.json"
    }

    func stop() async throws {
        let channel = lock.withLock { self.channel }
        try await channel?.close()
    }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let server: JWKSTestServer

        init(server: JWKSTestServer) { self.server = server }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            let (status, body) = server.response()
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/jwk-set+json")
            headers.add(name: "Content-Length", value: "\(body.utf8.count)")
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                promise: nil
            )
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
