import NIOCore
import Synchronization

/// Where a backend's host call takes its hosts from: a snapshot published by DNS SRV discovery.
///
/// Reads are lock-free: every event loop of the gateway has its own copy, touched only on that loop, so a request
/// reads its loop's array (a dictionary lookup and a retain). `publish` updates the copies by a task on each loop.
/// A loop outside the gateway's group (only in tests) reads a mutex-guarded copy instead.
final class BackendHostSource: Sendable {
    /// What the hosts are, for messages (e.g. `DNS SRV _users._tcp.service.consul`).
    let label: String
    private let slots: [ObjectIdentifier: LoopSlot]
    private let fallback: Mutex<[BackendOrigin]>
    /// Why there are no hosts (set when a lookup failed before any succeeded).
    private let emptyReason: Mutex<String>

    /// A source with no hosts yet, with one copy per loop of `loops`.
    init(label: String, loops: [any EventLoop]) {
        self.label = label
        var slots: [ObjectIdentifier: LoopSlot] = [:]
        for loop in loops { slots[ObjectIdentifier(loop)] = LoopSlot(loop: loop) }
        self.slots = slots
        self.fallback = Mutex([])
        self.emptyReason = Mutex("\(label) has not been resolved yet")
    }

    /// The hosts to choose from on `eventLoop` (call it on that loop); empty until a lookup succeeded.
    func hosts(on eventLoop: any EventLoop) -> [BackendOrigin] {
        if let slot = slots[ObjectIdentifier(eventLoop)] {
            return slot.hosts.value
        }
        return fallback.withLock { $0 }
    }

    /// Why `hosts(on:)` is empty, for the failure message.
    var unavailableReason: String { emptyReason.withLock { $0 } }

    /// Replaces the hosts everywhere; completes when every loop sees them.
    @discardableResult
    func publish(_ hosts: [BackendOrigin]) -> EventLoopFuture<Void>? {
        fallback.withLock { $0 = hosts }
        let updates = slots.values.map { slot in
            slot.loop.submit { slot.hosts.value = hosts }
        }
        guard let first = updates.first else { return nil }
        return EventLoopFuture.andAllSucceed(updates, on: first.eventLoop)
    }

    /// Records why the source is still empty (a failed first lookup); ignored once hosts exist.
    func noteFailure(_ reason: String) {
        emptyReason.withLock { $0 = "\(label): \(reason)" }
    }

    /// One loop's copy; read and written only on `loop`.
    private final class LoopSlot: Sendable {
        let loop: any EventLoop
        let hosts: NIOLoopBoundBox<[BackendOrigin]>

        init(loop: any EventLoop) {
            self.loop = loop
            self.hosts = NIOLoopBoundBox.makeBoxSendingValue([], eventLoop: loop)
        }
    }
}
