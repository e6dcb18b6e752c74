import NIOCore
import NIOHTTP1

/// Drives one HTTP/1.1 exchange at a time on a pooled backend connection.
///
/// Per exchange it allocates the response body buffer (buffered mode) or one `BackendBodyStream` (streaming).
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
        let timeout: Scheduled<Void>?
        /// Called once the connection can take the next exchange (true) or must be dropped (false).
        let release: (Bool) -> Void
    }

    private var state: State = .idle
    private var context: ChannelHandlerContext?
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
        let timeout = context.eventLoop.assumeIsolated().scheduleTask(deadline: request.deadline) {
            [weak self] () -> Void in
            self?.timedOut()
        }
        state = .awaitingHead(
            Exchange(
                promise: promise,
                maxResponseBytes: request.maxResponseBytes,
                streamResponse: request.streamResponse,
                timeout: timeout,
                release: release
            )
        )
        var head = HTTPRequestHead(version: .http1_1, method: request.method, uri: request.uri)
        head.headers = request.headers
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body = request.body, body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), .awaitingHead(let exchange)):
            if head.status.code / 100 == 1 { return }  // 100 Continue and friends: wait for the real head
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
                if let length = head.headers.first(name: "content-length").flatMap(Int.init),
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
            exchange.promise.succeed(
                BackendWireResponse(
                    status: head.status,
                    headers: head.headers,
                    body: buffer.map { .buffer($0) } ?? .empty
                )
            )
            exchange.release(head.isKeepAlive)
        case (.end, .streaming(let exchange, let head, let stream)):
            state = .idle
            hasCompletedExchange = true
            exchange.timeout?.cancel()
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
            stream.finish(nil)
            exchange.release(head.isKeepAlive)
        default:
            fail(BackendTransportError.protocolError("unexpected response part"), context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(BackendTransportError.connectionClosed(beforeResponse: isAwaitingHead), context: context)
        state = .closed
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
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

    /// Fails whatever exchange is running and closes the connection: it cannot be reused mid-response.
    private func fail(_ error: BackendTransportError, context: ChannelHandlerContext) {
        let previous = state
        state = .closed
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
