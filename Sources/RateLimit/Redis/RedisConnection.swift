import Logging
import NIOCore
import NIOPosix
import Synchronization

/// One pooled connection that reconnects by itself with exponential backoff.
///
/// Requests never wait for a connection: while it is down, `send` refuses at once and the caller's failure
/// policy decides. That keeps connection set-up (bounded by `dial_timeout`) off the request path.
final class RedisConnection: Sendable {
    let eventLoop: any EventLoop
    private let configuration: RedisConnectionPoolConfiguration
    private let host: String
    private let port: Int
    private let logger: Logger
    private let inFlight = InFlightCounter()
    private let state = Mutex(State())

    /// Outstanding requests beyond which the connection refuses more (Redis is slow; fail fast instead).
    static let maxInFlight = 4_096

    private struct State {
        var channel: (any Channel)?
        var isShutDown = false
        var backoff: Duration = .zero
        var generation = 0
    }

    init(
        configuration: RedisConnectionPoolConfiguration,
        host: String,
        port: Int,
        eventLoop: any EventLoop,
        logger: Logger
    ) {
        self.configuration = configuration
        self.host = host
        self.port = port
        self.eventLoop = eventLoop
        self.logger = logger
    }

    /// Whether a handshaken channel is up.
    var isConnected: Bool {
        state.withLock { $0.channel != nil }
    }

    /// Whether a request may be sent now (connected and not overloaded).
    var isAvailable: Bool {
        isConnected && inFlight.current < Self.maxInFlight
    }

    /// Starts connecting (and reconnecting after every loss until `shutdown`).
    func start() {
        eventLoop.execute { self.connect() }
    }

    /// Sends one request; returns false (without touching `reply`) when not connected.
    func send(_ bytes: ByteBuffer, reply: EventLoopPromise<RedisValue>) -> Bool {
        guard let channel = state.withLock({ $0.channel }) else { return false }
        guard inFlight.current < Self.maxInFlight else {
            reply.fail(RedisError.overloaded)
            return true
        }
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { reply.fail($0) }
        channel.writeAndFlush(RedisRequest(bytes: bytes, reply: reply), promise: written)
        return true
    }

    /// Closes the connection and stops reconnecting.
    func shutdown() -> EventLoopFuture<Void> {
        let channel = state.withLock { state -> (any Channel)? in
            state.isShutDown = true
            defer { state.channel = nil }
            return state.channel
        }
        guard let channel else { return eventLoop.makeSucceededVoidFuture() }
        return channel.close().recover { _ in }
    }

    private func connect() {
        let generation = state.withLock { state -> Int? in
            guard !state.isShutDown else { return nil }
            state.generation += 1
            return state.generation
        }
        guard let generation else { return }
        let inFlight = self.inFlight
        let dialTimeout = TimeAmount.nanoseconds(configuration.dialTimeout.nanosecondsClamped)
        ClientBootstrap(group: eventLoop)
            .connectTimeout(dialTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RedisChannelHandler(inFlight: inFlight))
                }
            }
            .connect(host: host, port: port)
            .flatMap { channel in
                self.handshake(channel).map { channel }.flatMapErrorThrowing { error in
                    channel.close(promise: nil)
                    throw error
                }
            }
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    self.connected(channel, generation: generation)
                case .failure(let error):
                    self.logger.debug(
                        "redis connect failed",
                        metadata: ["pool": "\(self.configuration.name)", "error": "\(error)"]
                    )
                    self.scheduleReconnect()
                }
            }
    }

    /// AUTH, SELECT and CLIENT SETNAME before the connection takes requests.
    private func handshake(_ channel: any Channel) -> EventLoopFuture<Void> {
        var commands: [[String]] = []
        if let password = configuration.password {
            commands.append(configuration.userName.map { ["AUTH", $0, password] } ?? ["AUTH", password])
        }
        if configuration.database != 0 { commands.append(["SELECT", String(configuration.database)]) }
        if let clientName = configuration.clientName { commands.append(["CLIENT", "SETNAME", clientName]) }
        var future = channel.eventLoop.makeSucceededVoidFuture()
        let timeout = TimeAmount.nanoseconds(configuration.dialTimeout.nanosecondsClamped)
        for command in commands {
            future = future.flatMap {
                let reply = channel.eventLoop.makePromise(of: RedisValue.self)
                var bytes = channel.allocator.buffer(capacity: 64)
                do {
                    try RedisCommandEncoder.encode(command, into: &bytes)
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
                let timer = channel.eventLoop.scheduleTask(in: timeout) { reply.fail(RedisError.timeout) }
                channel.writeAndFlush(RedisRequest(bytes: bytes, reply: reply), promise: nil)
                return reply.futureResult.flatMapThrowing { value in
                    timer.cancel()
                    if case .error(let message) = value { throw RedisError.serverError(message) }
                }
            }
        }
        return future
    }

    private func connected(_ channel: any Channel, generation: Int) {
        let accepted = state.withLock { state -> Bool in
            guard !state.isShutDown, state.generation == generation else { return false }
            state.channel = channel
            state.backoff = .zero
            return true
        }
        guard accepted else {
            channel.close(promise: nil)
            return
        }
        logger.debug("redis connected", metadata: ["pool": "\(configuration.name)"])
        channel.closeFuture.whenComplete { _ in
            let reconnect = self.state.withLock { state -> Bool in
                if let current = state.channel, current === channel { state.channel = nil }
                return !state.isShutDown
            }
            if reconnect { self.scheduleReconnect() }
        }
    }

    private func scheduleReconnect() {
        let delay = state.withLock { state -> Duration? in
            guard !state.isShutDown else { return nil }
            let doubled = state.backoff * 2
            state.backoff = min(max(doubled, configuration.minRetryBackoff), configuration.maxRetryBackoff)
            return state.backoff
        }
        guard let delay else { return }
        eventLoop.scheduleTask(in: .nanoseconds(delay.nanosecondsClamped)) { self.connect() }
    }
}
