import Foundation

/// A value guarded by a lock, shared between the server's event loops and the test thread.
///
/// `NSLock` rather than `Synchronization.Mutex` because the package still declares macOS 14, where `Mutex` is
/// unavailable, and rather than `NIOLockedValueBox` because this target does not depend on NIOConcurrencyHelpers.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        self.lock.lock()
        defer { self.lock.unlock() }
        return try body(&self.value)
    }
}
