public import NIOCore

/// A client request body as stages and backends see it: absent, in hand, or still arriving.
///
/// The server handler dispatches a request as soon as its head is read; a body then arrives as `.stream` and is
/// forwarded to a single backend while it arrives. Endpoints that send it to several backends (or more than once)
/// collect it first (`PipelineBuilder.CompiledEndpoint.needsBufferedBody`), so they see `.buffered`.
public enum RequestBody: Sendable {
    /// No body (no `Content-Length`, `Content-Length: 0`, or a request that cannot carry one).
    case none
    /// The whole body, in one buffer.
    case buffered(ByteBuffer)
    /// The body, still arriving from the client; it can be read once.
    case stream(RequestBodyStream)

    /// The body from an optional buffer: nil is `.none`.
    public init(_ buffer: ByteBuffer?) {
        self = buffer.map { .buffered($0) } ?? .none
    }

    /// True when there is no body at all.
    public var isEmpty: Bool {
        if case .none = self { return true }
        return false
    }

    /// The bytes, when they are in hand (`.buffered`); nil for `.none` and `.stream`.
    public var buffer: ByteBuffer? {
        if case .buffered(let buffer) = self { return buffer }
        return nil
    }

    /// Whether the body can be sent a second time (a retry, a redirect): only bytes in hand can.
    public var isReplayable: Bool {
        if case .stream = self { return false }
        return true
    }

    /// The body with every byte in hand: a stream is read to its end (failing beyond `max` bytes).
    ///
    /// Allocates one buffer holding the whole body (none when it is already buffered).
    public func collect(max: Int, on eventLoop: any EventLoop) -> EventLoopFuture<RequestBody> {
        switch self {
        case .none, .buffered:
            return eventLoop.makeSucceededFuture(self)
        case .stream(let stream):
            if stream.eventLoop.inEventLoop {
                return stream.collect(max: max).map { RequestBody($0) }
            }
            return stream.eventLoop.flatSubmit { stream.collect(max: max) }.hop(to: eventLoop).map { RequestBody($0) }
        }
    }

    /// Drops a body nobody will read (a backend call that failed before reading it).
    public func discard() {
        guard case .stream(let stream) = self else { return }
        if stream.eventLoop.inEventLoop {
            stream.cancel()
        } else {
            stream.eventLoop.execute { stream.cancel() }
        }
    }
}

extension RequestBody {
    /// Wraps an endpoint's proxy so a streamed body is collected first: for endpoints whose backends need the bytes
    /// more than once (several backends, `concurrent_calls`). A body that cannot be collected (too large, too slow,
    /// the client gone) was already answered by the server handler; the answer made here is not sent.
    static func buffering(_ next: @escaping EndpointHandler, maxBytes: Int) -> EndpointHandler {
        { request in
            guard case .stream = request.body else { return next(request) }
            // Only a failed collection becomes the 400; whatever `next` answers (or fails with) is left alone.
            return request.body.collect(max: maxBytes, on: request.eventLoop).map { Optional($0) }.recover { _ in
                nil
            }.flatMap { body in
                guard let body else { return request.eventLoop.makeSucceededFuture(.make(status: .badRequest)) }
                var request = request
                request.body = body
                return next(request)
            }
        }
    }

    /// Whether `endpoint` sends the client's body to more than one backend call, so it must be buffered.
    static func mustBuffer(for endpoint: EndpointConfiguration) -> Bool {
        endpoint.backends.count > 1 || endpoint.concurrentCalls > 1
    }
}
