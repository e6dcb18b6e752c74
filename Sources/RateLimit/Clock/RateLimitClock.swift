import NIOCore

/// A monotonic clock in nanoseconds, injected into every limiter so tests control time without sleeping.
public protocol RateLimitClock: Sendable {
    /// Monotonic nanoseconds since an arbitrary origin; never goes backwards.
    func nanoseconds() -> Int64
}

/// The process's monotonic clock (the same source NIO uses for deadlines).
public struct SystemRateLimitClock: RateLimitClock {
    /// Creates the system clock.
    public init() {}

    /// `CLOCK_MONOTONIC` in nanoseconds; allocation-free.
    public func nanoseconds() -> Int64 {
        Int64(clamping: NIODeadline.now().uptimeNanoseconds)
    }
}
