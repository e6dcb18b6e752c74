import NIOCore

extension Duration {
    /// This duration as NIO's `TimeAmount`, negative values clamped to zero and huge ones to about 292 years.
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = self.components
        if seconds < 0 || (seconds == 0 && attoseconds <= 0) {
            return .zero
        }
        let (wholeNanoseconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow {
            return .nanoseconds(.max)
        }
        let (total, overflowAdding) = wholeNanoseconds.addingReportingOverflow(attoseconds / 1_000_000_000)
        return .nanoseconds(overflowAdding ? .max : total)
    }
}
