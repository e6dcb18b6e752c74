import NIOCore
import NIOHTTP1
import NIOPosix

/// Keep-alive HTTP/1.1 connections to backend hosts, owned by one event loop.
///
/// Each event loop has its own pool and opens its connections on itself, so a proxied request never leaves the
/// client connection's loop: no locks, no thread hops (DESIGN.md §3). Idle connections are reused LIFO (the
/// warmest first) and closed after `backend_idle_timeout` or beyond `max_idle_connections_per_host`.
final class BackendConnectionPool: @unchecked Sendable {
    // @unchecked: all state is touched only on `eventLoop` (asserted in every entry point).
    struct Connection {
        let channel: any Channel
        let handler: BackendConnectionHandler
        var idleSince: NIODeadline
    }

    let eventLoop: any EventLoop
    private let options: PorticoHTTPOptions
    private var idle: [BackendOrigin: [Connection]] = [:]
    private var sweeper: RepeatedTask?

    init(eventLoop: any EventLoop, options: PorticoHTTPOptions) {
        self.eventLoop = eventLoop
        self.options = options
    }

    /// Runs one exchange against `host`, reusing an idle connection when there is one.
    ///
    /// A reused connection that the backend closed while idle fails before any response byte; such an exchange is
    /// retried once on a fresh connection when the method is idempotent and the body can be sent again (as Go's
    /// transport does: a streamed body is not replayable).
    func execute(_ request: BackendWireRequest, on host: BackendOrigin) -> EventLoopFuture<BackendWireResponse> {
        eventLoop.preconditionInEventLoop()
        if let connection = popIdle(host) {
            // Loop-bound: the connection's handler is not Sendable, and everything here runs on `eventLoop`.
            let wasReused = connection.handler.hasCompletedExchange
            return run(request, on: connection, host: host).flatMapError { error in
                guard wasReused, error as? BackendTransportError == .connectionClosed(beforeResponse: true),
                    Self.isIdempotent(request.method), request.body.isReplayable, request.deadline > .now()
                else { return self.eventLoop.makeFailedFuture(error) }
                return self.connect(host, deadline: request.deadline).flatMap { self.run(request, on: $0, host: host) }
            }
        }
        return connect(host, deadline: request.deadline).flatMap { self.run(request, on: $0, host: host) }
    }

    /// Closes every idle connection (at shutdown).
    func closeAll() {
        eventLoop.preconditionInEventLoop()
        sweeper?.cancel()
        sweeper = nil
        for connections in idle.values {
            for connection in connections { connection.channel.close(promise: nil) }
        }
        idle.removeAll()
    }

    private func run(
        _ request: BackendWireRequest,
        on connection: Connection,
        host: BackendOrigin
    ) -> EventLoopFuture<BackendWireResponse> {
        let promise = eventLoop.makePromise(of: BackendWireResponse.self)
        connection.handler.start(request, promise: promise) { [self] reusable in
            if reusable {
                self.release(connection, host: host)
            } else {
                connection.channel.close(promise: nil)
            }
        }
        return promise.futureResult
    }

    private func popIdle(_ host: BackendOrigin) -> Connection? {
        // Mutated in place through the dictionary: copying the stack out and back would copy its storage.
        while let connection = idle[host]?.popLast() {
            if connection.channel.isActive && connection.handler.isIdle { return connection }
            connection.channel.close(promise: nil)
        }
        return nil
    }

    private func release(_ connection: Connection, host: BackendOrigin) {
        guard connection.channel.isActive else { return }
        guard idle[host, default: []].count < options.maxIdleConnectionsPerHost else {
            connection.channel.close(promise: nil)
            return
        }
        var connection = connection
        connection.idleSince = .now()
        idle[host, default: []].append(connection)  // in place: no copy of the stack
        scheduleSweeperIfNeeded()
    }

    private func connect(_ host: BackendOrigin, deadline: NIODeadline) -> EventLoopFuture<Connection> {
        let remaining = deadline - .now()
        let connectTimeout = min(options.connectTimeout.timeAmount, max(remaining, .milliseconds(1)))
        let handler = BackendConnectionHandler()
        let loopBoundHandler = NIOLoopBound(handler, eventLoop: eventLoop)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(loopBoundHandler.value)
                }
            }
        let connected: EventLoopFuture<any Channel>
        if let address = host.address {
            connected = bootstrap.connect(to: address)
        } else {
            connected = bootstrap.connect(host: host.host, port: host.port)
        }
        return connected.flatMapErrorThrowing { error in
            throw BackendTransportError.connectFailed("\(error)")
        }.map { channel in
            Connection(channel: channel, handler: loopBoundHandler.value, idleSince: .now())
        }
    }

    private func scheduleSweeperIfNeeded() {
        guard sweeper == nil else { return }
        let period = TimeAmount.nanoseconds(max(options.backendIdleTimeout.timeAmount.nanoseconds / 4, 100_000_000))
        sweeper = eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) { [self] _ in
            self.sweep()
        }
    }

    private func sweep() {
        let cutoff = NIODeadline.now() - options.backendIdleTimeout.timeAmount
        for (host, stack) in idle {
            let (keep, drop) = (stack.filter { $0.idleSince > cutoff }, stack.filter { $0.idleSince <= cutoff })
            for connection in drop { connection.channel.close(promise: nil) }
            idle[host] = keep.isEmpty ? nil : keep
        }
        if idle.isEmpty {
            sweeper?.cancel()
            sweeper = nil
        }
    }

    private static func isIdempotent(_ method: HTTPMethod) -> Bool {
        switch method {
        case .GET, .HEAD, .OPTIONS, .PUT, .DELETE, .TRACE: true
        default: false
        }
    }
}

extension Duration {
    /// This duration as NIO's `TimeAmount` (nanosecond precision, saturating).
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        let nanos = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if nanos.overflow { return .nanoseconds(Int64.max) }
        return .nanoseconds(nanos.partialValue + attoseconds / 1_000_000_000)
    }
}
