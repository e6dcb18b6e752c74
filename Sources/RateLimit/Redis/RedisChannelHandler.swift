import NIOCore
import Synchronization

/// One command on its way to Redis: the RESP bytes and the promise its reply completes.
struct RedisRequest: Sendable {
    var bytes: ByteBuffer
    var reply: EventLoopPromise<RedisValue>
}

/// Pipelines requests on one connection: replies arrive in order, so a FIFO of promises matches them up.
///
/// Parsing is hiredis's reply reader; the handler only moves bytes and promises. A promise may already have
/// failed by timeout when its reply arrives: NIO ignores the second completion, and the FIFO stays aligned.
final class RedisChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private var pending = CircularBuffer<EventLoopPromise<RedisValue>>(initialCapacity: 16)
    private var reader: RedisReplyReader?
    private let inFlight: InFlightCounter

    init(inFlight: InFlightCounter) {
        self.inFlight = inFlight
    }

    func handlerAdded(context: ChannelHandlerContext) {
        do {
            reader = try RedisReplyReader()
        } catch {
            context.close(promise: nil)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        pending.append(request.reply)
        inFlight.increment()
        context.write(wrapOutboundOut(request.bytes), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard let reader else { return }
        do {
            try reader.feed(buffer)
            while let value = try reader.next() {
                guard let promise = pending.popFirst() else {
                    throw RedisError.protocolError("reply without a request")
                }
                inFlight.decrement()
                promise.succeed(value)
            }
        } catch {
            failAll(error)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(RedisError.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: any Error) {
        while let promise = pending.popFirst() {
            inFlight.decrement()
            promise.fail(error)
        }
    }
}

/// Outstanding requests on one connection, readable from any thread to refuse work beyond a cap.
final class InFlightCounter: Sendable {
    private let value = Atomic<Int>(0)

    func increment() { value.wrappingAdd(1, ordering: .relaxed) }
    func decrement() { value.wrappingSubtract(1, ordering: .relaxed) }
    var current: Int { value.load(ordering: .relaxed) }
}
