public import NIOCore

/// A client request body still arriving, forwarded to one backend while it arrives, with back-pressure.
///
/// Confined to one event loop: the client connection and the backend connection share it, so no locks are needed.
/// Parts that arrive before the consumer attaches are kept (up to `pauseThreshold` bytes, then reading from the
/// client pauses); a consumer that cannot take more pauses the client with `setReadable(false)`.
/// Allocates the stream itself and, while no consumer is attached, the array of pending parts.
public final class RequestBodyStream: @unchecked Sendable {
    // @unchecked: every method asserts it runs on `eventLoop`; state is never touched elsewhere.
    /// The loop both connections live on.
    public let eventLoop: any EventLoop
    /// The client's `Content-Length`, when it sent one (the body is chunked otherwise).
    public let declaredLength: Int?
    /// Buffered bytes before a consumer attaches beyond which the client is paused.
    static let pauseThreshold = 64 << 10

    private var pending: [ByteBuffer] = []
    private var pendingBytes = 0
    private var finished: (any Error)?? = nil
    private var onPart: ((ByteBuffer) -> Void)?
    private var onEnd: (((any Error)?) -> Void)?
    private var isConsumed = false
    private var isCancelled = false
    private var clientPaused = false
    /// Set by the producer (the server handler): turns reading from the client on or off.
    var setClientReading: ((Bool) -> Void)?

    /// A stream fed by the server handler; `declaredLength` is the client's `Content-Length`, if any.
    public init(eventLoop: any EventLoop, declaredLength: Int?) {
        self.eventLoop = eventLoop
        self.declaredLength = declaredLength
    }

    /// Whether a consumer attached (or the stream was cancelled): the body cannot be read a second time.
    public var isStarted: Bool {
        eventLoop.preconditionInEventLoop()
        return isConsumed || isCancelled
    }

    /// Attaches the consumer; parts received so far are delivered at once. Call once.
    public func consume(onPart: @escaping (ByteBuffer) -> Void, onEnd: @escaping ((any Error)?) -> Void) {
        eventLoop.preconditionInEventLoop()
        if isCancelled {
            onEnd(RequestBodyError.cancelled)
            return
        }
        precondition(!isConsumed, "a request body stream is consumed once")
        isConsumed = true
        let parts = pending
        pending.removeAll()
        pendingBytes = 0
        for part in parts { onPart(part) }
        if let finished {
            onEnd(finished)
            return
        }
        self.onPart = onPart
        self.onEnd = onEnd
        if clientPaused { setReadable(true) }
    }

    /// Back-pressure from the consumer: false pauses reading from the client, true resumes it.
    public func setReadable(_ readable: Bool) {
        eventLoop.preconditionInEventLoop()
        guard finished == nil, clientPaused == readable else { return }
        clientPaused = !readable
        setClientReading?(readable)
    }

    /// Reads the whole body into one buffer (nil when it is empty); fails beyond `max` bytes.
    public func collect(max: Int) -> EventLoopFuture<ByteBuffer?> {
        let promise = eventLoop.makePromise(of: ByteBuffer?.self)
        var collected: ByteBuffer? = nil
        var failed = false
        consume(
            onPart: { [self] part in
                guard !failed else { return }
                var part = part
                if (collected?.readableBytes ?? 0) + part.readableBytes > max {
                    failed = true
                    cancel()
                    promise.fail(RequestBodyError.tooLarge(max))
                    return
                }
                if collected == nil {
                    collected = part
                } else {
                    collected!.writeBuffer(&part)
                }
            },
            onEnd: { error in
                guard !failed else { return }
                if let error {
                    promise.fail(error)
                } else {
                    promise.succeed(collected)
                }
            }
        )
        return promise.futureResult
    }

    /// The consumer gives up (its backend failed, the response is written): the rest of the body is dropped as it
    /// arrives and the client is never paused again on its account.
    public func cancel() {
        eventLoop.preconditionInEventLoop()
        guard !isCancelled else { return }
        isCancelled = true
        isConsumed = true
        let onEnd = self.onEnd
        self.onPart = nil
        self.onEnd = nil
        pending.removeAll()
        pendingBytes = 0
        if clientPaused {
            clientPaused = false
            setClientReading?(true)
        }
        // A consumer still waiting (a collect) learns that the body will not come; nothing is left pending.
        if finished == nil { onEnd?(RequestBodyError.cancelled) }
    }

    /// Producer side: one more part from the client.
    func receive(_ part: ByteBuffer) {
        guard finished == nil, !isCancelled else { return }
        if let onPart {
            onPart(part)
            return
        }
        pending.append(part)
        pendingBytes += part.readableBytes
        if pendingBytes > Self.pauseThreshold && !clientPaused {
            clientPaused = true
            setClientReading?(false)
        }
    }

    /// Producer side: the body ended (nil) or cannot complete (the client went away, too large, too slow).
    func finish(_ error: (any Error)?) {
        guard finished == nil else { return }
        finished = .some(error)
        let onEnd = self.onEnd
        self.onEnd = nil
        self.onPart = nil
        if clientPaused {
            clientPaused = false
            setClientReading?(true)
        }
        setClientReading = nil
        onEnd?(error)
    }
}

/// Why a streamed request body did not complete.
public enum RequestBodyError: Error, Equatable, Sendable {
    /// The body is larger than the bound.
    case tooLarge(Int)
    /// The client did not send it within `read_timeout`.
    case timeout
    /// The client connection closed before the body ended.
    case clientClosed
    /// The reader gave up on it (its backend call failed, or the response was written first).
    case cancelled
}
