/// Leave to call the backend once, returned by `acquire`; hand it back to `record` exactly once.
///
/// It remembers the breaker's generation, so a result that arrives after a state change (or, for the
/// consecutive-failure count, after an `interval` reset) is ignored, as gobreaker does. A plain value: no allocation.
public struct CircuitBreakerPermit: Sendable, Hashable {
    /// Changes on every state change and every `interval` reset of the closed count.
    let generation: UInt64
    /// Changes on every state change only.
    let epoch: UInt64
    /// The half-open probe slot this permit holds, or -1 for a permit issued while closed.
    let probeSlot: Int32
    /// Which probe of this half-open period it is, so a slot reused after an abandoned probe is not mistaken for it.
    let probeTicket: UInt32

    /// Whether this permit is a half-open probe.
    public var isProbe: Bool { probeSlot >= 0 }
}
