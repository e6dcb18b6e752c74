/// A point on a breaker clock: nanoseconds since the clock's own reference point.
///
/// A plain `Int64` rather than a generic `InstantProtocol` keeps the state machine non-generic and every
/// comparison a single integer compare. Arithmetic saturates, so no configured duration can overflow it.
public struct BreakerInstant: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the clock's reference point (may be negative for a manual clock).
    public var nanoseconds: Int64

    /// An instant `nanoseconds` after the clock's reference point.
    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// The clock's reference point.
    public static let zero = BreakerInstant(nanoseconds: 0)

    /// An instant `seconds` after the reference point, for tests and examples.
    public static func seconds(_ seconds: Int64) -> BreakerInstant {
        BreakerInstant(nanoseconds: Self.saturatingMultiply(seconds, 1_000_000_000))
    }

    /// This instant moved by `nanoseconds`, saturating at the ends of `Int64`.
    public func advanced(byNanoseconds nanoseconds: Int64) -> BreakerInstant {
        let (sum, overflow) = self.nanoseconds.addingReportingOverflow(nanoseconds)
        if overflow { return BreakerInstant(nanoseconds: nanoseconds > 0 ? .max : .min) }
        return BreakerInstant(nanoseconds: sum)
    }

    /// This instant moved by `duration` (sub-nanosecond parts dropped), saturating at the ends of `Int64`.
    public func advanced(by duration: Duration) -> BreakerInstant {
        advanced(byNanoseconds: Self.nanoseconds(of: duration))
    }

    /// Whole nanoseconds in `duration`, saturating at the ends of `Int64`.
    public static func nanoseconds(of duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let whole = saturatingMultiply(seconds, 1_000_000_000)
        let (sum, overflow) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow { return seconds > 0 ? .max : .min }
        return sum
    }

    /// Earlier than.
    public static func < (lhs: BreakerInstant, rhs: BreakerInstant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// The offset from the reference point, e.g. `1500000000ns`.
    public var description: String { "\(nanoseconds)ns" }

    private static func saturatingMultiply(_ lhs: Int64, _ rhs: Int64) -> Int64 {
        let (product, overflow) = lhs.multipliedReportingOverflow(by: rhs)
        if overflow { return (lhs < 0) != (rhs < 0) ? .min : .max }
        return product
    }
}
