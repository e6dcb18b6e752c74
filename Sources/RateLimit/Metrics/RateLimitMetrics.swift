import Metrics

/// The counters and timer one limiter reports through swift-metrics, created once per limiter.
///
/// Labels: `portico_ratelimit_allowed`, `portico_ratelimit_rejected`, `portico_ratelimit_redis_errors`,
/// `portico_ratelimit_fallback_decisions`, `portico_ratelimit_redis_operations` (counters) and
/// `portico_ratelimit_decision_duration` (timer, cluster decisions only), each with a `limiter` dimension.
public struct RateLimitMetrics: Sendable {
    /// Requests let through.
    let allowed: Counter
    /// Requests refused.
    let rejected: Counter
    /// Redis operations that failed or timed out.
    let redisErrors: Counter
    /// Decisions made by the failure policy instead of Redis.
    let fallbackDecisions: Counter
    /// Redis operations sent (script calls, including lease refills).
    let redisOperations: Counter
    /// Time from asking to deciding, for cluster decisions.
    let decisionLatency: Timer

    /// Creates the metrics of the limiter called `limiter` (e.g. the endpoint path).
    public init(limiter: String) {
        let dimensions = [("limiter", limiter)]
        self.allowed = Counter(label: "portico_ratelimit_allowed", dimensions: dimensions)
        self.rejected = Counter(label: "portico_ratelimit_rejected", dimensions: dimensions)
        self.redisErrors = Counter(label: "portico_ratelimit_redis_errors", dimensions: dimensions)
        self.fallbackDecisions = Counter(label: "portico_ratelimit_fallback_decisions", dimensions: dimensions)
        self.redisOperations = Counter(label: "portico_ratelimit_redis_operations", dimensions: dimensions)
        self.decisionLatency = Timer(label: "portico_ratelimit_decision_duration", dimensions: dimensions)
    }

    /// Counts one decision as allowed or rejected.
    func record(_ decision: RateLimitDecision) {
        if decision.isAllowed {
            allowed.increment()
        } else {
            rejected.increment()
        }
    }
}
