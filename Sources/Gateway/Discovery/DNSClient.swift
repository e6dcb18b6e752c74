import NIOCore
import NIOPosix

/// A small DNS stub resolver over UDP (SwiftNIO `DatagramBootstrap`), for SRV discovery off the request path.
///
/// Each attempt opens an ephemeral UDP socket on one of the gateway's loops, sends one query with a random ID,
/// and takes the first datagram from the nameserver with that ID; the socket closes after the answer or the
/// timeout. Attempts go round the nameservers (`attempts` in total), as the C resolver does. A truncated answer
/// is used as far as it goes (the OPT record asks for 4096-byte datagrams, so SRV sets rarely truncate); there is no
/// TCP fallback yet.
final class DNSClient: Sendable {
    private let group: any EventLoopGroup
    /// The nameservers, tried in order.
    let nameservers: [SocketAddress]
    /// How long one attempt waits for its answer.
    let timeout: TimeAmount
    /// Attempts per lookup, across the nameservers.
    let attempts: Int

    init(group: any EventLoopGroup, nameservers: [SocketAddress], timeout: TimeAmount, attempts: Int) {
        precondition(!nameservers.isEmpty, "a DNS client needs at least one nameserver")
        self.group = group
        self.nameservers = nameservers
        self.timeout = timeout
        self.attempts = max(1, attempts)
    }

    /// Looks `name` up for `type`; throws the last attempt's error when every attempt failed.
    func query(_ name: String, type: DNSRecordType) async throws -> DNSMessage {
        var lastError: any Error = DNSClientError.noAnswer(name)
        for attempt in 0..<attempts {
            let server = nameservers[attempt % nameservers.count]
            do {
                let message = try await exchange(name, type: type, server: server)
                // NXDOMAIN is an answer, not a transport failure: do not retry it elsewhere.
                if message.responseCode == 3 { throw DNSMessageError.serverError(rcode: 3) }
                guard message.responseCode == 0 else { throw DNSMessageError.serverError(rcode: message.responseCode) }
                return message
            } catch DNSMessageError.serverError(rcode: 3) {
                throw DNSMessageError.serverError(rcode: 3)
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    /// One query to one server over a fresh UDP socket.
    private func exchange(_ name: String, type: DNSRecordType, server: SocketAddress) async throws -> DNSMessage {
        let id = UInt16.random(in: 0...UInt16.max)
        let query = try DNSMessage.makeQuery(id: id, name: name, type: type)
        let loop = group.next()
        let promise = loop.makePromise(of: DNSMessage.self)
        let bind = server.protocol == .inet6 ? "::" : "0.0.0.0"
        let channel: any Channel
        do {
            channel = try await DatagramBootstrap(group: loop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            DNSAnswerHandler(id: id, server: server, promise: promise)
                        )
                    }
                }
                .bind(host: bind, port: 0)
                .get()
        } catch {
            // The promise exists already (the handler holds it): a failed bind must complete it, or NIO reports
            // a leaked promise.
            promise.fail(error)
            throw error
        }
        let timer = loop.scheduleTask(in: timeout) {
            promise.fail(DNSClientError.timeout(name, server: "\(server)"))
        }
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: server, data: ByteBuffer(bytes: query)), promise: nil)
        defer {
            timer.cancel()
            channel.close(promise: nil)
        }
        return try await promise.futureResult.get()
    }
}

/// Completes the promise with the first datagram from the server carrying the query's ID.
private final class DNSAnswerHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    let id: UInt16
    let server: SocketAddress
    let promise: EventLoopPromise<DNSMessage>

    init(id: UInt16, server: SocketAddress, promise: EventLoopPromise<DNSMessage>) {
        self.id = id
        self.server = server
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        // Datagrams from elsewhere, or with another ID, are spoofing attempts or stale answers: ignore them.
        guard envelope.remoteAddress == server else { return }
        let bytes = Array(envelope.data.readableBytesView)
        guard let message = try? DNSMessage(parsing: bytes), message.id == id, message.isResponse else { return }
        promise.succeed(message)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP port unreachable and the like: fail this attempt now rather than at the timeout.
        promise.fail(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(ChannelError.ioOnClosedChannel)
    }
}
