import CircuitBreaker
import Synchronization

/// Collects a breaker's transitions from any thread, as the gateway's observer would log and count them.
final class TransitionRecorder: Sendable {
    private let recorded = Mutex<[CircuitBreakerTransition]>([])

    var transitions: [CircuitBreakerTransition] { recorded.withLock { $0 } }

    var summary: [String] { transitions.map { "\($0.from)>\($0.to)" } }

    @Sendable func observe(_ transition: CircuitBreakerTransition) {
        recorded.withLock { $0.append(transition) }
    }
}
