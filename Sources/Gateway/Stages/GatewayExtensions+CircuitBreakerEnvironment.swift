import CircuitBreaker
import Metrics

extension GatewayExtensions {
    /// Makes every circuit breaker built through this registry read `clock`, and create its gauge and counters in
    /// `metrics` when given, so tests drive breaker time instead of sleeping and read metrics without bootstrapping
    /// the global `MetricsSystem`. A test hook: production breakers use the system clock.
    ///
    /// It registers a stage factory for `qos/circuit-breaker` one rank before the breaker's own, so for each
    /// backend it runs first, stores the environment in `GatewayResources.shared` (where the breaker factory
    /// looks for it), and adds no stage.
    mutating func useCircuitBreakerEnvironment(clock: any BreakerClock, metrics: (any MetricsFactory)? = nil) {
        let environment = CircuitBreakerMiddleware.Environment(clock: clock, metrics: metrics)
        registerBackendStage(
            namespace: CircuitBreakerConfiguration.namespace,
            position: StagePosition(rank: StagePosition.circuitBreaker.rank - 1)
        ) { context in
            _ = try context.resources.shared(CircuitBreakerMiddleware.Environment.resourceKey) { environment }
            return nil
        }
    }
}
