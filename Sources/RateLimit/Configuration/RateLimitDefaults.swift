/// KrakenD's defaulting and range rules shared by every rate-limit configuration.
enum RateLimitDefaults {
    /// KrakenD's default capacity: the per-second rate truncated, or 1 below one token per second.
    static func capacity(_ configured: Int?, maxRate: Double, every: Duration) -> Int {
        if let configured, configured > 0 { return configured }
        let window = Double(max(every.nanosecondsClamped, 1))
        let perSecond = maxRate * 1e9 / window
        return perSecond < 1 ? 1 : Int(min(perSecond, 1e15))
    }

    static func checkRate(_ rate: Double, key: String) throws(RateLimitConfigurationError) {
        guard rate.isFinite, rate >= 0 else {
            throw RateLimitConfigurationError("\(key): must be a number of at least 0, got \(rate)")
        }
        guard rate <= 1e12 else {
            throw RateLimitConfigurationError("\(key): must be at most 1e12, got \(rate)")
        }
    }

    static func checkCapacity(_ capacity: Int?, key: String) throws(RateLimitConfigurationError) {
        guard let capacity else { return }
        guard capacity >= 0, capacity <= 1_000_000_000_000 else {
            throw RateLimitConfigurationError("\(key): must be between 0 and 1e12, got \(capacity)")
        }
    }

    static func checkEvery(_ every: Duration) throws(RateLimitConfigurationError) {
        guard every > .zero else {
            throw RateLimitConfigurationError("every: must be above 0")
        }
        guard every <= .seconds(366 * 86_400) else {
            throw RateLimitConfigurationError("every: must be at most a year")
        }
    }
}
