#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock time for `exp`/`nbf`/`iat` checks and JWKS cache ages, injected so tests never sleep.
public protocol AuthClock: Sendable {
    /// Seconds since the Unix epoch.
    func now() -> Double
}

/// The system's real-time clock.
public struct SystemAuthClock: AuthClock {
    /// Creates the system clock.
    public init() {}

    /// Seconds since the Unix epoch from `clock_gettime(CLOCK_REALTIME)`; no allocation.
    public func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
