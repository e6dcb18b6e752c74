import CircuitBreaker
import Logging
import Metrics
import NIOCore

/// Adapts `CircuitBreaker` into a backend stage: one breaker per backend definition (endpoint × backend),
/// shared by that backend's hosts and every event loop.
///
/// The stage only executes the breaker's decisions: ask for a permit (none → fail fast without touching the
/// backend, as `GatewayError.unavailable`), call the rest of the chain, report the outcome. Per admitted call it
/// allocates the completion callback; per rejected call, the boxed error and the failed future.
///
/// Metrics (swift-metrics, through the gateway's metrics factory):
/// - `portico_circuit_breaker_state` gauge, dimension `breaker`: closed 0, half-open 1, open 2.
/// - `portico_circuit_breaker_transitions_total` counter, dimensions `breaker` and `to`.
///
/// With `log_status_change`, every transition is logged at warning level in KrakenD's wording:
/// `[BACKEND: /users/{id}][CB] Circuit breaker named 'users-cb' went from 'closed' to 'open' (…)`.
struct CircuitBreakerMiddleware: BackendMiddleware {
    let breaker: CircuitBreaker
    let name: String
    let isNoOp: Bool
    /// The fail-fast reason, formatted once here rather than per rejected call.
    let openReason: String

    /// What every breaker of one gateway shares: the clock and the metrics factory. Production uses the system
    /// clock and `MetricsSystem.factory`; tests inject both through
    /// `GatewayExtensions.useCircuitBreakerEnvironment(clock:metrics:)`.
    struct Environment: Sendable {
        /// The `GatewayResources.shared` key the environment is stored under.
        static let resourceKey = "portico/circuit-breaker.environment"

        /// The time source of every breaker.
        var clock: any BreakerClock
        /// Where gauges and counters are created; nil means the global `MetricsSystem.factory`.
        var metrics: (any MetricsFactory)?
    }

    /// Builds the stage from its context, or nil for an empty block (KrakenD installs no breaker for `{}`).
    static func make(_ context: StageContext) throws -> CircuitBreakerMiddleware? {
        let configuration = try context.decode(CircuitBreakerConfiguration.self)
        // KrakenD ignores unknown keys; a misspelt one (`max_error`) would silently leave a backend unprotected.
        let known = CircuitBreakerConfiguration.knownKeys
        for key in context.value.objectValue?.keys ?? [] where !known.contains(key) {
            let list = known.sorted().joined(separator: ", ")
            context.logger.warning("\(context.path).\(key): unknown key, ignored (known: \(list))")
        }
        guard !configuration.isEmpty, let backend = context.backend else { return nil }
        let environment = try context.resources.shared(Environment.resourceKey) {
            Environment(clock: SystemBreakerClock(), metrics: nil)
        }
        // Unnamed breakers are labelled with the backend's JSON path: unique, unlike the url_pattern.
        let name = configuration.name ?? backend.jsonPath
        let factory = environment.metrics ?? MetricsSystem.factory
        let gauge = Gauge(label: "portico_circuit_breaker_state", dimensions: [("breaker", name)], factory: factory)
        // One counter per target state, made here so a transition only increments.
        let transitions = Dictionary(
            uniqueKeysWithValues: BreakerState.allCases.map { state in
                (
                    state,
                    Counter(
                        label: "portico_circuit_breaker_transitions_total",
                        dimensions: [("breaker", name), ("to", state.description)],
                        factory: factory
                    )
                )
            }
        )
        let logger = context.logger
        let logChanges = configuration.logStatusChange
        let urlPattern = backend.urlPattern
        let breaker = CircuitBreaker(configuration: configuration, clock: environment.clock) { transition in
            // Runs under the breaker's lock: a gauge update, a counter increment and at most one log line.
            gauge.record(transition.to.gaugeValue)
            transitions[transition.to]?.increment()
            if logChanges {
                logger.warning("[BACKEND: \(urlPattern)][CB] Circuit breaker named '\(name)' \(transition)")
            }
        }
        gauge.record(breaker.state.gaugeValue)
        return CircuitBreakerMiddleware(
            breaker: breaker,
            name: name,
            isNoOp: backend.encoding == .noop,
            openReason: "circuit breaker \(name) is open (or half-open with every probe in flight)"
        )
    }

    func handle(_ request: BackendRequest, next: @escaping BackendHandler) -> EventLoopFuture<BackendResponse> {
        guard let permit = breaker.acquire() else {
            // Open (or half-open with every probe slot taken): the backend is not touched.
            return request.eventLoop.makeFailedFuture(GatewayError.unavailable(openReason, backend: request.uri))
        }
        let breaker = self.breaker
        let isNoOp = self.isNoOp
        let future = next(request)
        future.whenComplete { result in
            breaker.record(permit, outcome: Self.outcome(of: result, breaker: breaker, isNoOp: isNoOp))
        }
        return future
    }

    /// How a finished call counts for the breaker. No allocation.
    static func outcome(
        of result: Result<BackendResponse, any Error>,
        breaker: CircuitBreaker,
        isNoOp: Bool
    ) -> CircuitBreakerOutcome {
        switch result {
        case .success(let response):
            // A success to the proxy (any status for no-op, 200/201 otherwise); `failure_statuses` may still count it.
            return breaker.isFailure(status: Int(response.status.code), noOpEncoding: isNoOp) ? .failure : .success
        case .failure(let error):
            switch error as? GatewayError {
            case .backendStatus(let status, _):
                // The proxy already failed the call; whether the breaker counts it is its own rule (`"5xx"`: a 404
                // is a failed request but a healthy backend).
                return breaker.isFailure(status: status, noOpEncoding: isNoOp) ? .failure : .success
            case .unavailable:
                // A stage inside the breaker declined to call the backend (e.g. an extension's own limiter): the
                // backend's health is unknown, so the call neither trips nor closes the breaker.
                return .ignored
            default:
                // Unreachable, timeout, invalid or oversized body, or any other error.
                return .failure
            }
        }
    }
}
