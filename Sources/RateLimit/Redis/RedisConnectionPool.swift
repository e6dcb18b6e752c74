public import Logging
public import NIOCore
import Synchronization

/// A named pool of pipelined Redis connections (`redis.connection_pools[]`), spread over an event loop group.
///
/// Every operation has a timeout and its future completes on the caller's event loop. A request goes to a
/// connection on the caller's own event loop when one is up (no thread hop), else to any connection that is up,
/// else fails at once with `RedisError.notConnected`.
public final class RedisConnectionPool: Sendable {
    /// The pool's configuration.
    public let configuration: RedisConnectionPoolConfiguration
    private let connections: [RedisConnection]
    private let eventLoop: any EventLoop
    private let cursor = Atomic<Int>(0)
    private let isShutDown = Atomic<Bool>(false)

    /// Creates the pool and starts connecting `pool_size` connections round-robin over `group`'s event loops.
    /// - Throws: `RateLimitConfigurationError` when the configuration is invalid.
    public init(
        configuration: RedisConnectionPoolConfiguration,
        group: any EventLoopGroup,
        logger: Logger = Logger(label: "portico.ratelimit.redis")
    ) throws(RateLimitConfigurationError) {
        try configuration.validate()
        let (host, port) = try configuration.hostAndPort()
        self.configuration = configuration
        var loops = group.makeIterator()
        var connections: [RedisConnection] = []
        for _ in 0..<configuration.poolSize {
            let loop = loops.next() ?? group.next()
            connections.append(
                RedisConnection(
                    configuration: configuration,
                    host: host,
                    port: port,
                    eventLoop: loop,
                    logger: logger
                )
            )
        }
        self.connections = connections
        self.eventLoop = group.next()
        for connection in connections { connection.start() }
    }

    /// Number of connections currently up.
    public var connectedCount: Int {
        connections.reduce(0) { $0 + ($1.isConnected ? 1 : 0) }
    }

    /// Sends one command; the future completes on `eventLoop` with the reply (an `.error` reply is a value).
    ///
    /// Allocates the encoded command, a promise and a timer per call.
    /// - Parameters:
    ///   - arguments: the command and its arguments, e.g. `["EVALSHA", sha, "1", key, "1"]`.
    ///   - eventLoop: where the future completes (the caller's).
    ///   - timeout: bound on the whole operation; default `operation_timeout`.
    public func send(
        _ arguments: [String],
        on eventLoop: any EventLoop,
        timeout: Duration? = nil
    ) -> EventLoopFuture<RedisValue> {
        let promise = eventLoop.makePromise(of: RedisValue.self)
        guard !isShutDown.load(ordering: .relaxed) else {
            promise.fail(RedisError.shutdown)
            return promise.futureResult
        }
        var bytes = ByteBufferAllocator().buffer(capacity: 128)
        do {
            try RedisCommandEncoder.encode(arguments, into: &bytes)
        } catch {
            promise.fail(error)
            return promise.futureResult
        }
        guard let connection = pickConnection(for: eventLoop) else {
            promise.fail(RedisError.notConnected)
            return promise.futureResult
        }
        let limit = (timeout ?? configuration.operationTimeout).nanosecondsClamped
        let timer = eventLoop.scheduleTask(in: .nanoseconds(max(limit, 1))) { promise.fail(RedisError.timeout) }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        if !connection.send(bytes, reply: promise) {
            promise.fail(RedisError.notConnected)
        }
        return promise.futureResult
    }

    /// Completes once at least `count` connections are up, or fails with `RedisError.timeout` after `timeout`.
    ///
    /// For start-up and tests; polls every 5 ms on `eventLoop`.
    public func waitForConnections(
        _ count: Int = 1,
        on eventLoop: any EventLoop,
        timeout: Duration = .seconds(5)
    ) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        let deadline = NIODeadline.now() + .nanoseconds(timeout.nanosecondsClamped)
        let wanted = min(count, connections.count)
        let task = eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(5)) { task in
            if self.connectedCount >= wanted {
                promise.succeed()
                task.cancel()
            } else if NIODeadline.now() > deadline {
                promise.fail(RedisError.timeout)
                task.cancel()
            }
        }
        promise.futureResult.whenComplete { _ in task.cancel() }
        return promise.futureResult
    }

    /// Closes every connection and stops reconnecting.
    public func shutdown() -> EventLoopFuture<Void> {
        isShutDown.store(true, ordering: .relaxed)
        return EventLoopFuture.andAllComplete(connections.map { $0.shutdown() }, on: eventLoop)
    }

    private func pickConnection(for eventLoop: any EventLoop) -> RedisConnection? {
        let count = connections.count
        let start = cursor.wrappingAdd(1, ordering: .relaxed).oldValue
        var fallback: RedisConnection?
        for offset in 0..<count {
            let connection = connections[Int(UInt(bitPattern: start &+ offset) % UInt(count))]
            guard connection.isAvailable else { continue }
            if connection.eventLoop === eventLoop { return connection }
            if fallback == nil { fallback = connection }
        }
        return fallback
    }
}
