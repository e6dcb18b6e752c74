extension Duration {
    /// The duration in whole nanoseconds, saturating at the bounds of `Int64`.
    public var nanosecondsClamped: Int64 {
        let parts = components
        let (scaled, overflow) = parts.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return parts.seconds < 0 ? .min : .max }
        let (sum, overflow2) = scaled.addingReportingOverflow(parts.attoseconds / 1_000_000_000)
        if overflow2 { return parts.seconds < 0 ? .min : .max }
        return sum
    }
}
