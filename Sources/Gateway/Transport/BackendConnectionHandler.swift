import NIOCore
import NIOHTTP1
import NIOHTTPCompression

/// Drives one HTTP/1.1 exchange at a time on a pooled backend connection.
///
/// Per exchange it allocates the response body buffer (buffered mode) or one `BackendBodyStream` (streaming).
/// A request body that is a stream is written part by part as the client sends it (chunked unless the client
/// declared its length), pausing the client while this connection cannot take more.
///
/// Compression: when the gateway asked for gzip itself (see `BackendWireRequest.asksForGzip`) and the answer is
/// compressed, a `NIOHTTPResponseDecompressor` is put in front of this handler for that answer (bounded by
/// `max_backend_response_bytes` when buffered, by a 100:1 ratio when streamed), and the response reaches it
/// decoded, without `Content-Encoding` / `Content-Length` (Go's transport does the same); otherwise bytes pass
/// through untouched.
final class BackendConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private enum State {
        case idle
        case awaitingHead(Exchange)
        case buffering(Exchange, HTTPResponseHead, ByteBuffer?)
        case streaming(Exchange, HTTPResponseHead, BackendBodyStream)
        case closed
    }

    struct Exchange {
        let promise: EventLoopPromise<BackendWireResponse>
        let maxResponseBytes: Int
        let streamResponse: Bool
        let decompresses: Bool
        let timeout: Scheduled<Void>?
        /// Called once the connection can take the next exchange (true) or must be dropped (false).
        let release: (Bool) -> Void
    }

    /// A streamed body may inflate at most this many times its compressed size (a "zip bomb" guard).
    static let streamedInflationRatio = 100

    private var state: State = .idle
    private var context: ChannelHandlerContext?
    private var decompressor: NIOHTTPResponseDecompressor?
    /// The client body being written, while it is.
    private var requestStream: RequestBodyStream?
    /// False while a streamed request body is still being written: the connection cannot be reused before its end.
    private var requestWritten = true
    /// Whether the connection has completed at least one exchange (a reused connection may be stale).
    private(set) var hasCompletedExchange = false

    var isIdle: Bool {
        if case .idle = state { return true }
        return false
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Writes the request; `promise` completes at the response head (streaming) or end (buffered).
    func start(
        _ request: BackendWireRequest,
        promise: EventLoopPromise<BackendWireResponse>,
        release: @escaping (Bool) -> Void
    ) {
        guard case .idle = state, let context else {
            promise.fail(BackendTransportError.connectionClosed(beforeResponse: true))
            release(false)
            return
        }
        var head = HTTPRequestHead(version: .http1_1, method: request.method, uri: request.uri)
        head.headers = request.headers
        let decompresses = request.asksForGzip
        if decompresses { head.headers.add(name: "Accept-Encoding", value: "gzip") }  // absent: asksForGzip checked
        let timeout = context.eventLoop.assumeIsolated().scheduleTask(deadline: request.deadline) {
            [weak self] () -> Void in
            self?.timedOut()
        }
        state = .awaitingHead(
            Exchange(
                promise: promise,
                maxResponseBytes: request.maxResponseBytes,
                streamResponse: request.streamResponse,
                decompresses: decompresses,
                timeout: timeout,
                release: release
            )
        )
        // Framing is decided here, for every body kind: stages never set Content-Length themselves.
        head.headers.remove(name: "Content-Length")
        head.headers.remove(name: "Transfer-Encoding")
        switch request.body {
        case .none:
            // Go sends `Content-Length: 0` for a bodiless POST / PUT / PATCH rather than an empty chunked body.
            if request.method == .POST || request.method == .PUT || request.method == .PATCH {
                head.headers.add(name: "Content-Length", value: "0")
            }
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .buffered(let body):
            head.headers.add(name: "Content-Length", value: String(body.readableBytes))
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if body.readableBytes > 0 { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .stream(let stream):
            if let length = stream.declaredLength {
                head.headers.add(name: "Content-Length", value: String(length))
            } else {
                head.headers.add(name: "Transfer-Encoding", value: "chunked")
            }
            context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
            writeStreamedBody(stream, context: context)
        }
    }

    /// Forwards the client's body as it arrives; back-pressure follows this connection's writability.
    private func writeStreamedBody(_ stream: RequestBodyStream, context: ChannelHandlerContext) {
        requestStream = stream
        requestWritten = false
        let channel = context.channel
        stream.consume(
            onPart: { [weak self] part in
                guard let self, let context = self.context, self.requestStream === stream else { return }
                context.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(part))), promise: nil)
                if !channel.isWritable { stream.setReadable(false) }
            },
            onEnd: { [weak self] error in
                guard let self, let context = self.context, self.requestStream === stream else { return }
                self.requestStream = nil
                if let error {
                    // A truncated body must never look complete to the backend: the connection goes.
                    self.fail(
                        BackendTransportError.protocolError("the client request body failed: \(error)"),
                        context: context
                    )
                    return
                }
                self.requestWritten = true
                context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
            }
        )
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { requestStream?.setReadable(true) }
        context.fireChannelWritabilityChanged()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(var head), .awaitingHead(let exchange)):
            if head.status.code / 100 == 1 { return }  // 100 Continue and friends: wait for the real head
            let decoded = exchange.decompresses && Self.isCompressed(head.headers)
            if decoded && decompressor == nil {
                // Installed only for a compressed answer, which then passes through it from its head on.
                installDecompressor(for: exchange, head: head, context: context)
                return
            }
            if decoded {
                // The body reaching us is decoded: its encoding and length no longer describe it.
                head.headers.remove(name: "Content-Encoding")
                head.headers.remove(name: "Content-Length")
            }
            if exchange.streamResponse {
                let stream = BackendBodyStream(eventLoop: context.eventLoop)
                let channel = context.channel
                stream.setBackendReading = { readable in
                    channel.setOption(ChannelOptions.autoRead, value: readable).whenFailure { _ in }
                    if readable { channel.read() }
                }
                // The timeout stays armed: the endpoint timeout bounds the whole body, as in KrakenD.
                state = .streaming(exchange, head, stream)
                exchange.promise.succeed(
                    BackendWireResponse(status: head.status, headers: head.headers, body: .stream(stream))
                )
            } else {
                if !decoded, let length = head.headers.first(name: "content-length").flatMap(Int.init),
                    length > exchange.maxResponseBytes
                {
                    fail(BackendTransportError.responseTooLarge(exchange.maxResponseBytes), context: context)
                    return
                }
                state = .buffering(exchange, head, nil)
            }
        case (.body(let part), .buffering(let exchange, let head, var buffer)):
            if (buffer?.readableBytes ?? 0) + part.readableBytes > exchange.maxResponseBytes {
                fail(BackendTransportError.responseTooLarge(exchange.maxResponseBytes), context: context)
                return
            }
            if buffer == nil {
                buffer = part
            } else {
                var part = part
                buffer!.writeBuffer(&part)
            }
            state = .buffering(exchange, head, buffer)
        case (.body(let part), .streaming(_, _, let stream)):
            stream.receive(part)
        case (.end, .buffering(let exchange, let head, let buffer)):
            state = .idle
            hasCompletedExchange = true
            exchange.timeout?.cancel()
            removeDecompressor(context: context)
            exchange.promise.succeed(
                BackendWireResponse(
                    status: head.status,
                    headers: head.headers,
                    body: buffer.map { .buffer($0) } ?? .empty
                )
            )
            exchange.release(head.isKeepAlive && finishRequestBody())
        case (.end, .streaming(let exchange, let head, let stream)):
            state = .idle
            hasCompletedExchange = true
            exchange.timeout?.cancel()
            removeDecompressor(context: context)
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
            stream.finish(nil)
            exchange.release(head.isKeepAlive && finishRequestBody())
        default:
            fail(BackendTransportError.protocolError("unexpected response part"), context: context)
        }
    }

    /// At the response's end: true when the request was written completely (the connection is reusable); a
    /// backend that answered before the client's body ended gets no more of it, and the connection is dropped.
    private func finishRequestBody() -> Bool {
        guard let stream = requestStream else { return requestWritten }
        requestStream = nil
        stream.cancel()
        return false
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(BackendTransportError.connectionClosed(beforeResponse: isAwaitingHead), context: context)
        state = .closed
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let decompressionError = error as? NIOHTTPDecompression.DecompressionError,
            decompressionError == .limit, case .buffering(let exchange, _, _) = state
        {
            fail(BackendTransportError.responseTooLarge(exchange.maxResponseBytes), context: context)
            return
        }
        fail(BackendTransportError.protocolError("\(error)"), context: context)
    }

    private var isAwaitingHead: Bool {
        if case .awaitingHead = state { return true }
        return false
    }

    private func timedOut() {
        guard let context else { return }
        fail(BackendTransportError.timeout, context: context)
    }

    /// Puts a decompressor in front of this handler for a compressed answer and hands it the head, which it passes
    /// back here (re-entrantly) set up to decode the body parts that follow. An idle decompressor would cost every
    /// uncompressed exchange a few allocations, so it is removed again at the answer's end.
    private func installDecompressor(for exchange: Exchange, head: HTTPResponseHead, context: ChannelHandlerContext) {
        let limit: NIOHTTPDecompression.DecompressionLimit =
            exchange.streamResponse ? .ratio(Self.streamedInflationRatio) : .size(exchange.maxResponseBytes)
        let decompressor = NIOHTTPResponseDecompressor(limit: limit)
        do {
            let pipeline = context.pipeline.syncOperations
            try pipeline.addHandler(decompressor, position: .before(self))
            self.decompressor = decompressor
            let decompressorContext = try pipeline.context(handler: decompressor)
            decompressor.channelRead(context: decompressorContext, data: NIOAny(HTTPClientResponsePart.head(head)))
        } catch {
            fail(BackendTransportError.protocolError("cannot set up gzip decoding: \(error)"), context: context)
        }
    }

    /// Takes the decompressor out after a compressed answer (see `installDecompressor`).
    private func removeDecompressor(context: ChannelHandlerContext) {
        guard let decompressor else { return }
        self.decompressor = nil
        context.pipeline.syncOperations.removeHandler(decompressor, promise: nil)
    }

    /// Whether NIO's decompressor decodes this body (it handles `gzip` and `deflate`).
    private static func isCompressed(_ headers: HTTPHeaders) -> Bool {
        guard let encoding = headers.first(name: "content-encoding") else { return false }
        return encoding.caseInsensitiveCompare("gzip") || encoding.caseInsensitiveCompare("deflate")
    }

    /// Fails whatever exchange is running and closes the connection: it cannot be reused mid-response.
    private func fail(_ error: BackendTransportError, context: ChannelHandlerContext) {
        let previous = state
        state = .closed
        if let stream = requestStream {
            // The client's remaining body has nowhere to go now.
            requestStream = nil
            stream.cancel()
        }
        switch previous {
        case .awaitingHead(let exchange), .buffering(let exchange, _, _):
            exchange.timeout?.cancel()
            exchange.promise.fail(error)
            exchange.release(false)
        case .streaming(let exchange, _, let stream):
            exchange.timeout?.cancel()
            stream.finish(error)
            exchange.release(false)
        case .idle, .closed:
            break
        }
        context.close(promise: nil)
    }
}
