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

    /// Runs one exchange on the calling loop's pool, following redirects as `request.redirects` says (Go's
    /// `http.Client` rules, see `BackendRedirect`). Every hop shares the request's deadline; a hop to another host
    /// uses that host's pooled connections.
    func execute(
        _ request: BackendWireRequest,
        on host: BackendOrigin,
        eventLoop: any EventLoop
    ) -> EventLoopFuture<BackendWireResponse> {
        let pool = pool(for: eventLoop)
        if eventLoop.inEventLoop { return follow(request, on: host, pool: pool, initial: (request, host), hops: 0) }
        return eventLoop.flatSubmit {
            self.follow(request, on: host, pool: pool, initial: (request, host), hops: 0)
        }
    }

    /// One hop, then the next while the answer redirects. Allocates nothing extra when the answer is not a 3xx.
    private func follow(
        _ request: BackendWireRequest,
        on host: BackendOrigin,
        pool: BackendConnectionPool,
        initial: (request: BackendWireRequest, origin: BackendOrigin),
        hops: Int
    ) -> EventLoopFuture<BackendWireResponse> {
        pool.execute(request, on: host).flatMap { response in
            guard request.redirects.follow, BackendRedirect.isRedirect(response.status) else {
                return pool.eventLoop.makeSucceededFuture(response)
            }
            let next: (request: BackendWireRequest, origin: BackendOrigin)?
            do {
                next = try BackendRedirect.nextRequest(
                    after: response,
                    to: request,
                    at: host,
                    initial: initial,
                    policy: request.redirects
                )
            } catch {
                response.body.discard()
                return pool.eventLoop.makeFailedFuture(error)
            }
            guard let next else { return pool.eventLoop.makeSucceededFuture(response) }
            // The redirect's own body is not wanted; a streamed one is read to its end so its connection is reused.
            response.body.discard()
            if request.body.isEmpty == false && next.request.body.isEmpty { request.body.discard() }
            // Go's defaultCheckRedirect: "stopped after 10 redirects" (the 10th redirect is not followed).
            guard hops + 1 < request.redirects.maxRedirects else {
                return pool.eventLoop.makeFailedFuture(
                    BackendTransportError.protocolError("stopped after \(request.redirects.maxRedirects) redirects")
                )
            }
            return self.follow(next.request, on: next.origin, pool: pool, initial: initial, hops: hops + 1)
        }
    }

    /// Closes the idle connections of every pool.
    func shutdown() async {
        let all = Array(pools.values) + extraPools.withLock { Array($0.values) }
        for pool in all {
            try? await pool.eventLoop.submit { pool.closeAll() }.get()
        }
    }
}
