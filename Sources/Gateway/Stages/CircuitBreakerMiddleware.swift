import CircuitBreaker
import Logging
import Metrics
import NIOCore

/// Adapts `CircuitBreaker` into a backend stage: one breaker per backend definition (endpoint × backend),
/// shared by that backend's hosts and every event loop.
///
/// The stage only executes the breaker's decisions: ask for a permit (none → fail fast without touching the
/// backend, as `GatewayError.unavailable`), call the rest of the chain, report the outcome. Per call it allocates
/// nothing beyond the future callbacks.
struct CircuitBreakerMiddleware: BackendMiddleware {
    let breaker: CircuitBreaker
    let name: String
    let isNoOp: Bool

    /// Builds the stage from its context, or nil for an empty block (KrakenD installs no breaker for `{}`).
    static func make(_ context: StageContext) throws -> CircuitBreakerMiddleware? {
        let configuration = try context.decode(CircuitBreakerConfiguration.self)
        guard !configuration.isEmpty, let backend = context.backend else { return nil }
        let name = configuration.name ?? "\(context.endpoint.method) \(context.endpoint.path) → \(backend.urlPattern)"
        let gauge = Gauge(label: "portico_circuit_breaker_state", dimensions: [("breaker", name)])
        let logger = context.logger
        let logChanges = configuration.logStatusChange
        let breaker = CircuitBreaker(configuration: configuration) { transition in
            // Runs under the breaker's lock: a gauge update and at most one log line.
            gauge.record(transition.to.gaugeValue)
            if logChanges {
                logger.warning("circuit breaker \(name) \(transition)")
            }
        }
        gauge.record(breaker.state.gaugeValue)
        return CircuitBreakerMiddleware(breaker: breaker, name: name, isNoOp: backend.encoding == .noop)
    }

    func handle(_ request: BackendRequest, next: @escaping BackendHandler) -> EventLoopFuture<BackendResponse> {
        guard let permit = breaker.acquire() else {
            return request.eventLoop.makeFailedFuture(
                GatewayError.unavailable("circuit breaker \(name) is open", backend: request.uri)
            )
        }
        let breaker = self.breaker
        let isNoOp = self.isNoOp
        let future = next(request)
        future.whenComplete { result in
            switch result {
            case .success(let response):
                let failed = breaker.isFailure(status: Int(response.status.code), noOpEncoding: isNoOp)
                breaker.record(permit, outcome: failed ? .failure : .success)
            case .failure(let error):
                if case .backendStatus(let status, _) = error as? GatewayError {
                    // The proxy already failed the call; whether the breaker counts it is its own rule.
                    breaker.record(permit, outcome: breaker.isFailure(status: status) ? .failure : .success)
                } else {
                    breaker.record(permit, outcome: .failure)
                }
            }
        }
        return future
    }
}
