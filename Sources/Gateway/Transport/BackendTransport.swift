import NIOCore
import Synchronization

/// The gateway's HTTP client: one `BackendConnectionPool` per event loop, chosen by the calling loop.
///
/// Pools for the server's own loops are created up front, so the per-request lookup is a read of an immutable
/// dictionary; a loop the transport has not seen (tests driving it from elsewhere) gets a pool on first use.
final class BackendTransport: Sendable {
    private let pools: [ObjectIdentifier: BackendConnectionPool]
    private let extraPools = Mutex<[ObjectIdentifier: BackendConnectionPool]>([:])
    private let options: PorticoHTTPOptions

    init(eventLoops: [any EventLoop], options: PorticoHTTPOptions) {
        var pools: [ObjectIdentifier: BackendConnectionPool] = [:]
        for loop in eventLoops {
            pools[ObjectIdentifier(loop)] = BackendConnectionPool(eventLoop: loop, options: options)
        }
        self.pools = pools
        self.options = options
    }

    /// The pool owned by `eventLoop`.
    func pool(for eventLoop: any EventLoop) -> BackendConnectionPool {
        let key = ObjectIdentifier(eventLoop)
        if let pool = pools[key] { return pool }
        return extraPools.withLock { extra in
            if let pool = extra[key] { return pool }
            let pool = BackendConnectionPool(eventLoop: eventLoop, options: options)
            extra[key] = pool
            return pool
        }
    }

    /// Runs one exchange on the calling loop's pool.
    func execute(
        _ request: BackendWireRequest,
        on host: BackendOrigin,
        eventLoop: any EventLoop
    ) -> EventLoopFuture<BackendWireResponse> {
        let pool = pool(for: eventLoop)
        if eventLoop.inEventLoop { return pool.execute(request, on: host) }
        return eventLoop.flatSubmit { pool.execute(request, on: host) }
    }

    /// Closes the idle connections of every pool.
    func shutdown() async {
        let all = Array(pools.values) + extraPools.withLock { Array($0.values) }
        for pool in all {
            try? await pool.eventLoop.submit { pool.closeAll() }.get()
        }
    }
}
