import Logging
import NIOCore
import NIOHTTP1

/// The server side of one client connection: reads a request head, hands the request to the router at once (a body
/// follows as a `RequestBodyStream`, with back-pressure), writes the response (buffered or streamed), and logs one
/// access line.
///
/// NIO's `HTTPServerPipelineHandler` in front of it serialises pipelined requests and handles quiescing.
/// Per request it allocates the `GatewayRequest` (URI string, headers storage) and, when a body is declared, one
/// `RequestBodyStream`. Timeouts are Go's `http.Server` ones (KrakenD's service keys):
/// - `read_header_timeout` (unset: `read_timeout`): the head must arrive within it, counted from the request's first
///   byte (from the connection's start for its first request); else 408 and close (a silent close when not one byte
///   came).
/// - `read_timeout`: the whole request, body included, within it from the same start; else 408 and close (a close
///   if the response has begun).
/// - `write_timeout`: from the end of the head, the response must be written within it; else the connection closes.
final class GatewayHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    struct Settings: Sendable {
        let router: GatewayRouter
        let maxHeaderBytes: Int
        let maxBodyBytes: Int
        let readTimeout: TimeAmount?
        let accessLog: Logger?
        /// `router.logger_skip_paths`: exact request paths that get no access-log line.
        var skipLogPaths: Set<Substring> = []
        var readHeaderTimeout: TimeAmount? = nil
        var writeTimeout: TimeAmount? = nil

        /// Whether a request to `uri` gets an access-log line (no set to look in: no work at all).
        func shouldLog(uri: String) -> Bool {
            guard !skipLogPaths.isEmpty else { return true }
            let path = uri.firstIndex(of: "?").map { uri[..<$0] } ?? uri[...]
            return !skipLogPaths.contains(path)
        }

        /// Whether request starts must be observed on raw bytes (`RequestStartHandler` in front of the codec).
        var needsRequestStart: Bool { readTimeout != nil || readHeaderTimeout != nil }
    }

    /// Sent by `RequestStartHandler` when bytes arrive: an idle connection's next request has begun.
    struct RequestBytesArrived: Sendable {}

    private enum Body {
        /// No body is arriving (none was declared, or it ended).
        case none
        /// Forwarded as it arrives.
        case streaming(RequestBodyStream, received: Int)
        /// Nobody wants it any more (the response is written): read and dropped, so the connection stays usable.
        case discarding(received: Int)
    }

    private struct Exchange {
        let head: HTTPRequestHead
        let started: NIODeadline
        let id: UInt64
        var body: Body
        var requestEnded: Bool
        var responseStarted = false
        var responseDone = false
    }

    private enum State {
        case idle
        /// A bodiless request, dispatched at its end.
        case awaitingEnd(HTTPRequestHead, started: NIODeadline)
        case active(Exchange)
        /// Refused early (413, 431, 408, 400); the rest is dropped and the connection closes.
        case refused
    }

    private let settings: Settings
    private var state: State = .idle
    private var nextID: UInt64 = 0
    private var requestStart: NIODeadline?
    private var headerTimer: Scheduled<Void>?
    private var readTimer: Scheduled<Void>?
    private var writeTimer: Scheduled<Void>?
    /// Which request armed `writeTimer`.
    private var writeTimerID: UInt64 = 0
    private var responseStream: BackendBodyStream?

    init(settings: Settings) {
        self.settings = settings
    }

    func channelActive(context: ChannelHandlerContext) {
        // Go's server starts the first request's clock when the connection is accepted.
        startRequestClock(context: context, bytesArrived: false)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimers()
        let previous = state
        state = .refused
        if case .active(let exchange) = previous, case .streaming(let stream, _) = exchange.body {
            stream.finish(RequestBodyError.clientClosed)
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            receivedHead(head, context: context)
        case .body(let part):
            receivedBody(part, context: context)
        case .end:
            receivedEnd(context: context)
        }
    }

    private func receivedHead(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard case .idle = state else { return }
        headerTimer?.cancel()
        headerTimer = nil
        if Self.headerBytes(head) > settings.maxHeaderBytes {
            refuse(context: context, status: .requestHeaderFieldsTooLarge)
            return
        }
        let declaredLength = head.headers.first(name: "content-length").flatMap(Int.init)
        if let declaredLength, declaredLength > settings.maxBodyBytes {
            refuse(context: context, status: .payloadTooLarge)
            return
        }
        let started = NIODeadline.now()
        if readTimer == nil, let readTimeout = settings.readTimeout {
            // A pipelined request whose bytes came with the previous one: its clock starts now.
            readTimer = schedule(in: readTimeout, context: context) { $0.readTimedOut(context: context) }
        }
        requestStart = nil
        if let writeTimeout = settings.writeTimeout {
            // A pipelined head can arrive while the previous response's end is being written: its timer is replaced,
            // never left running (Go resets the write deadline per request too).
            writeTimer?.cancel()
            writeTimerID &+= 1
            writeTimer = schedule(in: writeTimeout, context: context) { $0.writeTimedOut(context: context) }
        }
        let chunked = head.headers[canonicalForm: "transfer-encoding"].contains { $0.lowercased() == "chunked" }
        guard chunked || (declaredLength ?? 0) > 0 else {
            state = .awaitingEnd(head, started: started)
            return
        }
        let stream = RequestBodyStream(eventLoop: context.eventLoop, declaredLength: chunked ? nil : declaredLength)
        let channel = context.channel
        stream.setClientReading = { readable in
            channel.setOption(ChannelOptions.autoRead, value: readable).whenFailure { _ in }
            if readable { channel.read() }
        }
        nextID &+= 1
        state = .active(
            Exchange(
                head: head,
                started: started,
                id: nextID,
                body: .streaming(stream, received: 0),
                requestEnded: false
            )
        )
        dispatch(context: context, head: head, body: .stream(stream), id: nextID)
    }

    private func receivedBody(_ part: ByteBuffer, context: ChannelHandlerContext) {
        guard case .active(var exchange) = state else { return }
        switch exchange.body {
        case .streaming(let stream, let received):
            let total = received + part.readableBytes
            guard total <= settings.maxBodyBytes else {
                failRequest(
                    exchange,
                    status: .payloadTooLarge,
                    context: context,
                    bodyError: RequestBodyError.tooLarge(settings.maxBodyBytes)
                )
                return
            }
            exchange.body = .streaming(stream, received: total)
            state = .active(exchange)
            stream.receive(part)
        case .discarding(let received):
            let total = received + part.readableBytes
            guard total <= settings.maxBodyBytes else {
                context.close(promise: nil)
                return
            }
            exchange.body = .discarding(received: total)
            state = .active(exchange)
        case .none:
            break
        }
    }

    private func receivedEnd(context: ChannelHandlerContext) {
        switch state {
        case .awaitingEnd(let head, let started):
            readTimer?.cancel()
            readTimer = nil
            nextID &+= 1
            state = .active(Exchange(head: head, started: started, id: nextID, body: .none, requestEnded: true))
            dispatch(context: context, head: head, body: .none, id: nextID)
        case .active(var exchange):
            readTimer?.cancel()
            readTimer = nil
            let body = exchange.body
            exchange.body = .none
            exchange.requestEnded = true
            // The state is updated before the stream ends: ending it may complete the response synchronously (a
            // stage that collected the body), and `finish` must then find the request ended and go idle.
            state = exchange.responseDone ? .idle : .active(exchange)
            if case .streaming(let stream, _) = body { stream.finish(nil) }
        case .refused:
            // Final: the refusal closes the connection once written; nothing after it is dispatched.
            break
        case .idle:
            break
        }
    }

    private func dispatch(context: ChannelHandlerContext, head: HTTPRequestHead, body: RequestBody, id: UInt64) {
        let request = GatewayRequest(
            method: head.method,
            uri: head.uri,
            headers: head.headers,
            requestBody: body,
            remoteAddress: context.channel.remoteAddress,
            eventLoop: context.eventLoop
        )
        settings.router.respond(to: request).hop(to: context.eventLoop).assumeIsolated().whenComplete { result in
            // A request refused meanwhile (413, 408) or a connection gone: this answer has no one to go to.
            guard case .active(var exchange) = self.state, exchange.id == id, !exchange.responseStarted else { return }
            exchange.responseStarted = true
            self.state = .active(exchange)
            let response: GatewayResponse
            switch result {
            case .success(let value): response = value
            case .failure: response = .make(status: .internalServerError)  // stages must not fail; never leak why
            }
            self.write(response, context: context, exchange: exchange)
        }
    }

    private func write(_ response: GatewayResponse, context: ChannelHandlerContext, exchange: Exchange) {
        let request = exchange.head
        let keepAlive = request.isKeepAlive
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
            finish(context: context, keepAlive: keepAlive, id: exchange.id)
        case .buffer(let buffer):
            if !isHead { context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil) }
            finish(context: context, keepAlive: keepAlive, id: exchange.id)
        case .stream(let stream):
            self.responseStream = stream
            // The head goes out with the first body part: one flush fewer per streamed response.
            stream.consume(
                onPart: { part in
                    if !isHead { context.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(part))), promise: nil) }
                    if !context.channel.isWritable { stream.setReadable(false) }
                },
                onEnd: { error in
                    self.responseStream = nil
                    if error != nil {
                        // The head is gone already; a truncated body must not look complete.
                        context.close(promise: nil)
                        return
                    }
                    self.finish(context: context, keepAlive: keepAlive, id: exchange.id)
                }
            )
        }
        if let accessLog = settings.accessLog, settings.shouldLog(uri: request.uri) {
            accessLog.info(
                "\(Self.clientIP(context)) \(request.method.rawValue) \(request.uri) \(response.status.code) \(Self.milliseconds(since: exchange.started))ms"
            )
        }
    }

    /// Ends the response. A body still arriving is read and dropped (the connection stays usable); a connection
    /// that is not keep-alive closes once the end is written.
    private func finish(context: ChannelHandlerContext, keepAlive: Bool, id: UInt64) {
        // Allocated only when something waits for the write: closing, or the write timeout.
        let promise: EventLoopPromise<Void>? =
            !keepAlive || writeTimer != nil ? context.eventLoop.makePromise() : nil
        // The state moves on before `.end` is written: NIO's pipelining handler delivers the next buffered request
        // from inside that write, and its head must find this handler idle (else it would be dropped unanswered).
        let armedFor = writeTimerID
        if case .active(var exchange) = state, exchange.id == id {
            exchange.responseDone = true
            if exchange.requestEnded {
                state = .idle
            } else {
                if case .streaming(let stream, let received) = exchange.body {
                    stream.cancel()
                    exchange.body = .discarding(received: received)
                }
                state = .active(exchange)
            }
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: promise)
        guard let promise else { return }
        promise.futureResult.hop(to: context.eventLoop).assumeIsolated().whenComplete { result in
            // Only this response's timer: the next request's head may have armed a new one meanwhile.
            if case .success = result, self.writeTimerID == armedFor {
                self.writeTimer?.cancel()
                self.writeTimer = nil
            }
            if !keepAlive { context.close(promise: nil) }
        }
    }

    /// Answers the request early (413, 431, 408, 400) and closes the connection once the answer is written.
    private func refuse(context: ChannelHandlerContext, status: HTTPResponseStatus) {
        cancelTimers()
        state = .refused
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

    /// A request that cannot complete (too large, too slow): answered with `status` when its response has not
    /// begun; otherwise the connection just closes (the response under way cannot be taken back).
    /// The body stream fails last: its consumer may complete the pipeline synchronously, whose answer must then
    /// find the request already refused.
    private func failRequest(
        _ exchange: Exchange,
        status: HTTPResponseStatus,
        context: ChannelHandlerContext,
        bodyError: any Error
    ) {
        if exchange.responseStarted {
            cancelTimers()
            state = .refused
            context.close(promise: nil)
        } else {
            refuse(context: context, status: status)
        }
        if case .streaming(let stream, _) = exchange.body { stream.finish(bodyError) }
    }

    private func readTimedOut(context: ChannelHandlerContext) {
        readTimer = nil
        switch state {
        case .idle:
            requestTimedOutBeforeHead(context: context)
        case .awaitingEnd:
            refuse(context: context, status: .requestTimeout)
        case .active(let exchange) where !exchange.requestEnded:
            failRequest(exchange, status: .requestTimeout, context: context, bodyError: RequestBodyError.timeout)
        case .active, .refused:
            break
        }
    }

    private func headerTimedOut(context: ChannelHandlerContext) {
        headerTimer = nil
        if case .idle = state { requestTimedOutBeforeHead(context: context) }
    }

    /// No complete head in time: 408 when part of a request came, a silent close when nothing did (Go's server
    /// closes silently in both cases; a client that sent something gets told why).
    private func requestTimedOutBeforeHead(context: ChannelHandlerContext) {
        cancelTimers()
        state = .refused
        // No request reached NIO's pipelining handler, which must not see a response: the 408 is written as raw
        // bytes in front of the codec, through `RequestStartHandler` (present whenever these timeouts are set).
        guard requestStart != nil,
            let front = try? context.pipeline.syncOperations.context(handlerType: RequestStartHandler.self)
        else {
            context.close(promise: nil)
            return
        }
        let answer = "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        let promise = context.eventLoop.makePromise(of: Void.self)
        front.writeAndFlush(NIOAny(ByteBuffer(string: answer)), promise: promise)
        promise.futureResult.hop(to: context.eventLoop).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    private func writeTimedOut(context: ChannelHandlerContext) {
        writeTimer = nil
        // The response was not written in time: as Go's server, give up on the connection.
        let previous = state
        cancelTimers()
        state = .refused
        context.close(promise: nil)
        if case .active(let exchange) = previous, case .streaming(let stream, _) = exchange.body {
            stream.finish(RequestBodyError.timeout)
        }
    }

    /// Starts the clocks of a request whose first bytes arrived (or, for the first request, whose connection opened).
    private func startRequestClock(context: ChannelHandlerContext, bytesArrived: Bool) {
        guard case .idle = state else { return }
        if bytesArrived { requestStart = .now() }
        guard headerTimer == nil, readTimer == nil else { return }
        if let headerTimeout = settings.readHeaderTimeout ?? settings.readTimeout {
            headerTimer = schedule(in: headerTimeout, context: context) { $0.headerTimedOut(context: context) }
        }
        if let readTimeout = settings.readTimeout {
            readTimer = schedule(in: readTimeout, context: context) { $0.readTimedOut(context: context) }
        }
    }

    private func schedule(
        in delay: TimeAmount,
        context: ChannelHandlerContext,
        _ body: @escaping (GatewayHTTPHandler) -> Void
    ) -> Scheduled<Void> {
        context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [weak self] in
            guard let self else { return }
            body(self)
        }
    }

    private func cancelTimers() {
        headerTimer?.cancel()
        headerTimer = nil
        readTimer?.cancel()
        readTimer = nil
        writeTimer?.cancel()
        writeTimer = nil
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { responseStream?.setReadable(true) }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is RequestBytesArrived {
            if case .idle = state, requestStart == nil { startRequestClock(context: context, bytesArrived: true) }
            return
        }
        if event is IdleStateHandler.IdleStateEvent {
            // Only idle keep-alive connections are closed; a request in flight is bounded by its own timeout.
            if case .idle = state, requestStart == nil { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Decoder errors: answer once if no response is under way, then close. Never echo internals.
        if let parserError = error as? HTTPParserError {
            let status: HTTPResponseStatus = parserError == .headerOverflow ? .requestHeaderFieldsTooLarge : .badRequest
            switch state {
            case .idle, .awaitingEnd:
                refuse(context: context, status: status)
            case .refused:
                context.close(promise: nil)
            case .active(let exchange):
                failRequest(exchange, status: status, context: context, bodyError: parserError)
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
