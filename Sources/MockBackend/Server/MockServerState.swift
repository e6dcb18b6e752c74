import NIOCore

/// Everything the server's connections share: routes, the injected fault, the request log, live channels.
///
/// One lock guards it all; the mock is a test double, and a lock per request costs far less than the socket work.
final class MockServerState: Sendable {
    private struct State {
        var routes: RouteTable
        var failure: MockFailure?
        var recorded: RequestRing
        var requestCount = 0
        var connectionCount = 0
        var channels: [ObjectIdentifier: any Channel] = [:]
        var isShuttingDown = false
    }

    private let box: LockedBox<State>

    init(routes: [MockRoute], recordCapacity: Int) {
        self.box = LockedBox(State(routes: RouteTable(routes), recorded: RequestRing(capacity: recordCapacity)))
    }

    var routes: RouteTable {
        self.box.withLock { $0.routes }
    }

    func setRoutes(_ routes: [MockRoute]) {
        let table = RouteTable(routes)
        self.box.withLock { $0.routes = table }
    }

    func record(_ request: RecordedRequest) {
        self.box.withLock {
            $0.recorded.append(request)
            $0.requestCount += 1
        }
    }

    var recordedRequests: [RecordedRequest] {
        self.box.withLock { $0.recorded.elements }
    }

    var requestCount: Int {
        self.box.withLock { $0.requestCount }
    }

    var connectionCount: Int {
        self.box.withLock { $0.connectionCount }
    }

    var openConnectionCount: Int {
        self.box.withLock { $0.channels.count }
    }

    func clearRecordedRequests() {
        self.box.withLock {
            $0.recorded.removeAll()
            $0.requestCount = 0
        }
    }

    var failure: MockFailure? {
        self.box.withLock { $0.failure }
    }

    func setFailure(_ failure: MockFailure?) {
        self.box.withLock { $0.failure = failure?.count == 0 ? nil : failure }
    }

    /// The fault for the request now being answered, counting it against the failure's `count`.
    func takeFault() -> MockFailure.Fault? {
        self.box.withLock { state in
            guard let failure = state.failure else {
                return nil
            }
            if let count = failure.count {
                state.failure = count <= 1 ? nil : MockFailure(failure.fault, count: count - 1)
            }
            return failure.fault
        }
    }

    /// Tracks an accepted connection so shutdown can close it; false when the server is already shutting down.
    func register(_ channel: any Channel) -> Bool {
        let accepted = self.box.withLock { state in
            if state.isShuttingDown {
                return false
            }
            state.channels[ObjectIdentifier(channel)] = channel
            state.connectionCount += 1
            return true
        }
        if accepted {
            channel.closeFuture.whenComplete { _ in
                self.box.withLock { _ = $0.channels.removeValue(forKey: ObjectIdentifier(channel)) }
            }
        }
        return accepted
    }

    /// Marks the server as shutting down and hands back the connections still open.
    func beginShutdown() -> [any Channel] {
        self.box.withLock { state in
            state.isShuttingDown = true
            return Array(state.channels.values)
        }
    }
}
