import CircuitBreaker
import Foundation
import Logging
import MetricsTestKit
import MockBackend
import NIOPosix
import Synchronization

@testable import Gateway

/// A real gateway whose circuit breakers run on a `ManualBreakerClock`, report to a `TestMetrics` factory and log
/// into a `RecordedLog`, in front of real mock backends.
///
/// Like `GatewayHarness.start`, but with the breaker environment injected through
/// `GatewayExtensions.useCircuitBreakerEnvironment(clock:metrics:)` and a recording logger, so breaker time is driven
/// by the test (no sleeping) and neither metrics nor logging is bootstrapped globally.
struct CircuitBreakerGateway {
    let harness: GatewayHarness
    let clock: ManualBreakerClock
    let metrics: TestMetrics
    let log: RecordedLog

    static func start(
        configuration: String,
        backends routes: [String: [MockRoute]],
        eventLoops: Int = 1
    ) async throws -> CircuitBreakerGateway {
        let clock = ManualBreakerClock()
        let metrics = TestMetrics()
        let log = RecordedLog()
        var extensions = GatewayExtensions.standard
        extensions.useCircuitBreakerEnvironment(clock: clock, metrics: metrics)
        let harness = try await GatewayHarness.start(
            configuration: configuration,
            backends: routes,
            extensions: extensions,
            eventLoops: eventLoops,
            logger: Logger(label: "portico-test") { _ in RecordingLogHandler(log: log) }
        )
        return CircuitBreakerGateway(
            harness: harness,
            clock: clock,
            metrics: metrics,
            log: log
        )
    }

    /// Stops the gateway and every backend.
    func stop() async { await harness.stop() }

    /// Sends one GET through the gateway.
    func get(_ path: String) async throws -> TestResponse { try await harness.request(.GET, path) }

    /// The backend started under `name`.
    func backend(_ name: String) -> MockBackendServer { harness.backend(name) }

    /// Every value the state gauge of breaker `name` recorded, in order (closed 0, half-open 1, open 2).
    func gaugeValues(breaker name: String) throws -> [Double] {
        try metrics.expectGauge("portico_circuit_breaker_state", [("breaker", name)]).values
    }

    /// How many transitions into `state` breaker `name` counted.
    func transitions(breaker name: String, to state: String) -> Int64 {
        metrics.counterTotal(
            label: "portico_circuit_breaker_transitions_total",
            dimensions: [("breaker", name), ("to", state)]
        )
    }
}

/// Log lines captured by `RecordingLogHandler`.
final class RecordedLog: Sendable {
    private let lines = Mutex<[String]>([])

    /// Every line so far, oldest first.
    var messages: [String] { lines.withLock { $0 } }

    func append(_ line: String) { lines.withLock { $0.append(line) } }
}

/// A log handler that keeps every message in a `RecordedLog`.
struct RecordingLogHandler: LogHandler {
    let log: RecordedLog
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        log.append("\(event.level): \(event.message)")
    }
}
