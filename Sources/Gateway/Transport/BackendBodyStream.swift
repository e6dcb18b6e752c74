public import NIOCore

/// A backend response body forwarded to the client while it arrives (`no-op` encoding), with back-pressure.
///
/// Confined to one event loop: the backend connection and the client connection share it (connections are
/// opened on the client's loop), so no locks are needed. Parts that arrive before the consumer attaches are
/// buffered; while the client cannot take more, the backend connection stops reading.
public final class BackendBodyStream: @unchecked Sendable {
    // @unchecked: every method asserts it runs on `eventLoop`; state is never touched elsewhere.
    /// The loop both connections live on.
    public let eventLoop: any EventLoop
    private var pending: [ByteBuffer] = []
    private var finished: (any Error)?? = nil
    private var onPart: ((ByteBuffer) -> Void)?
    private var onEnd: (((any Error)?) -> Void)?
    /// Set by the producer: turns reading from the backend on or off.
    var setBackendReading: ((Bool) -> Void)?

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Attaches the consumer; buffered parts are delivered at once. Call once.
    public func consume(onPart: @escaping (ByteBuffer) -> Void, onEnd: @escaping ((any Error)?) -> Void) {
        eventLoop.preconditionInEventLoop()
        for part in pending { onPart(part) }
        pending.removeAll()
        if let finished {
            onEnd(finished)
            return
        }
        self.onPart = onPart
        self.onEnd = onEnd
    }

    /// Back-pressure from the consumer: false pauses reading from the backend, true resumes it.
    public func setReadable(_ readable: Bool) {
        eventLoop.preconditionInEventLoop()
        setBackendReading?(readable)
    }

    func receive(_ part: ByteBuffer) {
        if let onPart {
            onPart(part)
        } else {
            pending.append(part)
        }
    }

    func finish(_ error: (any Error)?) {
        guard finished == nil else { return }
        finished = .some(error)
        if let onEnd {
            self.onEnd = nil
            self.onPart = nil
            onEnd(error)
        }
        setBackendReading = nil
    }
}

extension GatewayResponse.Body {
    /// Drops a body nobody will read (a redirect's): a stream is read to its end, so its connection can be reused.
    func discard() {
        guard case .stream(let stream) = self else { return }
        stream.eventLoop.execute {
            stream.consume(onPart: { _ in }, onEnd: { _ in })
        }
    }
}
