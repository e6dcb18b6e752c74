public import NIOCore
import Synchronization

/// What stages share across a gateway at build time: the event loops, shared objects (one Redis pool per name,
/// one limiter per key), work to do before listening, background work while serving, and work at shutdown.
///
/// Stage factories reach it through `StageContext.resources`. Everything registered here is owned by the
/// `Gateway` that built the stages: startup tasks are awaited by `start()` before the socket is bound,
/// background tasks run until `stop()` cancels them, shutdown tasks run last in `stop()`.
public final class GatewayResources: Sendable {
    /// The gateway's event loops (backend connections, Redis connections and timers live on them).
    public let eventLoopGroup: any EventLoopGroup

    private struct State {
        var shared: [String: any Sendable] = [:]
        var startup: [@Sendable () async throws -> Void] = []
        var background: [(name: String, body: @Sendable () async -> Void)] = []
        var shutdown: [@Sendable () async -> Void] = []
        var strippedHeaders: Set<String> = []
    }

    private let state = Mutex(State())

    init(eventLoopGroup: any EventLoopGroup) {
        self.eventLoopGroup = eventLoopGroup
    }

    /// The object stored under `key`, made by `make` on first use (e.g. one Redis pool per `connection_name`).
    public func shared<T: Sendable>(_ key: String, make: () throws -> T) throws -> T {
        if let existing = state.withLock({ $0.shared[key] }) {
            guard let typed = existing as? T else {
                preconditionFailure("resource \(key) was registered as \(type(of: existing)), not \(T.self)")
            }
            return typed
        }
        // Built outside the lock: factories may be slow; start-up is single-threaded so a race cannot happen.
        let made = try make()
        state.withLock { $0.shared[key] = made }
        return made
    }

    /// Work awaited before the gateway starts listening (e.g. the first JWKS fetch); a throw aborts start-up.
    public func addStartupTask(_ body: @escaping @Sendable () async throws -> Void) {
        state.withLock { $0.startup.append(body) }
    }

    /// Work that runs while the gateway serves (e.g. evicting idle rate-limit buckets); cancelled by `stop()`.
    public func addBackgroundTask(name: String, _ body: @escaping @Sendable () async -> Void) {
        state.withLock { $0.background.append((name, body)) }
    }

    /// Work run once in `stop()`, after in-flight requests finished (e.g. closing Redis connections).
    public func addShutdownTask(_ body: @escaping @Sendable () async -> Void) {
        state.withLock { $0.shutdown.append(body) }
    }

    /// Client request headers removed on every route before routing (e.g. names of propagated JWT claims, so a
    /// client can never forge them). Compared case-insensitively.
    public func stripRequestHeaders(_ names: [String]) {
        state.withLock { $0.strippedHeaders.formUnion(names.map { $0.lowercased() }) }
    }

    var strippedHeaders: Set<String> { state.withLock { $0.strippedHeaders } }
    var startupTasks: [@Sendable () async throws -> Void] { state.withLock { $0.startup } }
    var backgroundTasks: [(name: String, body: @Sendable () async -> Void)] { state.withLock { $0.background } }
    var shutdownTasks: [@Sendable () async -> Void] { state.withLock { $0.shutdown } }
}
