import Logging
import NIOCore
import NIOHTTP1

/// The server side of one client connection: reads a request (bounded), hands it to the router, writes the
/// response (buffered or streamed with back-pressure), and logs one access line.
///
/// NIO's `HTTPServerPipelineHandler` in front of it serialises pipelined requests and handles quiescing.
/// Per request it allocates the `GatewayRequest` (URI string, headers storage) and, when a body arrives, its buffer.
final class GatewayHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    struct Settings: Sendable {
        let router: GatewayRouter
        let maxHeaderBytes: Int
        let maxBodyBytes: Int
        let readTimeout: TimeAmount?
        let accessLog: Logger?
    }

    private enum State {
        case idle
        case receiving(HTTPRequestHead, ByteBuffer?, started: NIODeadline)
        /// The request was refused while its body was still arriving; the rest is read and dropped.
        case discarding
        case responding(keepAlive: Bool)
    }

    private let settings: Settings
    private var state: State = .idle
    private var readTimer: Scheduled<Void>?
    private var stream: BackendBodyStream?

    init(settings: Settings) {
        self.settings = settings
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard case .idle = state else { return }
            if Self.headerBytes(head) > settings.maxHeaderBytes {
                refuse(context: context, status: .requestHeaderFieldsTooLarge)
                return
            }
            if let length = head.headers.first(name: "content-length").flatMap(Int.init),
                length > settings.maxBodyBytes
            {
                refuse(context: context, status: .payloadTooLarge)
                return
            }
            state = .receiving(head, nil, started: .now())
            if let readTimeout = settings.readTimeout {
                readTimer = context.eventLoop.assumeIsolated().scheduleTask(in: readTimeout) { [weak self] in
                    guard let self, case .receiving = self.state else { return }
                    self.refuse(context: context, status: .requestTimeout)
                }
            }
        case .body(var part):
            guard case .receiving(let head, var body, let started) = state else { return }
            if (body?.readableBytes ?? 0) + part.readableBytes > settings.maxBodyBytes {
                refuse(context: context, status: .payloadTooLarge)
                return
            }
            if body == nil {
                body = part
            } else {
                body!.writeBuffer(&part)
            }
            state = .receiving(head, body, started: started)
        case .end:
            switch state {
            case .receiving(let head, let body, let started):
                readTimer?.cancel()
                readTimer = nil
                dispatch(context: context, head: head, body: body, started: started)
            case .discarding:
                state = .idle
            default:
                break
            }
        }
    }

    private func dispatch(
        context: ChannelHandlerContext,
        head: HTTPRequestHead,
        body: ByteBuffer?,
        started: NIODeadline
    ) {
        let keepAlive = head.isKeepAlive
        state = .responding(keepAlive: keepAlive)
        let request = GatewayRequest(
            method: head.method,
            uri: head.uri,
            headers: head.headers,
            body: body,
            remoteAddress: context.channel.remoteAddress,
            eventLoop: context.eventLoop
        )
        settings.router.respond(to: request).hop(to: context.eventLoop).assumeIsolated().whenComplete { result in
            let response: GatewayResponse
            switch result {
            case .success(let value): response = value
            case .failure: response = .make(status: .internalServerError)  // stages must not fail; never leak why
            }
            self.write(response, context: context, keepAlive: keepAlive, head: head, started: started)
        }
    }

    private func write(
        _ response: GatewayResponse,
        context: ChannelHandlerContext,
        keepAlive: Bool,
        head request: HTTPRequestHead,
        started: NIODeadline
    ) {
        var head = HTTPResponseHead(version: request.version, status: response.status, headers: response.headers)
        let isHead = request.method == .HEAD
        switch response.body {
        case .empty:
            head.headers.replaceOrAdd(name: "Content-Length", value: "0")
        case .buffer(let buffer):
            head.headers.replaceOrAdd(name: "Content-Length", value: String(buffer.readableBytes))
        case .stream:
            // The backend's Content-Length (kept by the renderer) or chunked framing by the encoder.
            break
        }
        if !keepAlive { head.headers.replaceOrAdd(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(head)), promise: nil)

        switch response.body {
        case .empty:
            finish(context: context, keepAlive: keepAlive)
        case .buffer(let buffer):
            if !isHead { context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil) }
            finish(context: context, keepAlive: keepAlive)
        case .stream(let stream):
            self.stream = stream
            // The head goes out with the first body part: one flush fewer per streamed response.
            stream.consume(
                onPart: { part in
                    if !isHead { context.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(part))), promise: nil) }
                    if !context.channel.isWritable { stream.setReadable(false) }
                },
                onEnd: { error in
                    self.stream = nil
                    if error != nil {
                        // The head is gone already; a truncated body must not look complete.
                        context.close(promise: nil)
                        return
                    }
                    self.finish(context: context, keepAlive: keepAlive)
                }
            )
        }
        settings.accessLog?.info(
            "\(Self.clientIP(context)) \(request.method.rawValue) \(request.uri) \(response.status.code) \(Self.milliseconds(since: started))ms"
        )
    }

    private func finish(context: ChannelHandlerContext, keepAlive: Bool) {
        let promise: EventLoopPromise<Void>? = keepAlive ? nil : context.eventLoop.makePromise()
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: promise)
        state = .idle
        if let promise {
            promise.futureResult.hop(to: context.eventLoop).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }

    /// Answers the request early (413, 431, 408) and closes the connection once the answer is written.
    private func refuse(context: ChannelHandlerContext, status: HTTPResponseStatus) {
        readTimer?.cancel()
        readTimer = nil
        state = .discarding
        var head = HTTPResponseHead(version: .http1_1, status: status)
        head.headers.add(name: "Content-Length", value: "0")
        head.headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: promise)
        promise.futureResult.hop(to: context.eventLoop).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { stream?.setReadable(true) }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            // Only idle keep-alive connections are closed; a request in flight is bounded by its own timeout.
            if case .idle = state { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Decoder errors: answer once if no response is under way, then close. Never echo internals.
        if let parserError = error as? HTTPParserError {
            switch state {
            case .idle, .receiving, .discarding:
                refuse(
                    context: context,
                    status: parserError == .headerOverflow ? .requestHeaderFieldsTooLarge : .badRequest
                )
            case .responding:
                context.close(promise: nil)
            }
            return
        }
        context.close(promise: nil)
    }

    private static func headerBytes(_ head: HTTPRequestHead) -> Int {
        var total = head.uri.utf8.count + 16
        for (name, value) in head.headers { total += name.utf8.count + value.utf8.count + 4 }
        return total
    }

    private static func clientIP(_ context: ChannelHandlerContext) -> String {
        context.channel.remoteAddress?.ipAddress ?? "-"
    }

    private static func milliseconds(since start: NIODeadline) -> String {
        let micros = (NIODeadline.now() - start).nanoseconds / 1000
        return "\(micros / 1000).\(String(micros % 1000 + 1000).dropFirst())"
    }
}
