/// A backend's circuit breaker: KrakenD's `qos/circuit-breaker` namespace, plus documented Portico keys.
///
/// ```json
/// "extra_config": {
///   "qos/circuit-breaker": {
///     "interval": 60, "timeout": 10, "max_errors": 2, "name": "users-cb", "log_status_change": true,
///     "failure_statuses": "5xx", "half_open_probes": 1, "probe_timeout": 10,
///     "failure_rate": { "threshold": 0.5, "window": 30, "min_calls": 20 }
///   }
/// }
/// ```
///
/// KrakenD keys and their defaults (KrakenD's runtime reads a missing key as 0):
/// - `interval` (whole seconds, default 0 = never): the cycle after which a closed breaker forgets its count.
/// - `timeout` (whole seconds, default 0 = 60, gobreaker's default): how long the breaker stays open.
/// - `max_errors` (integer, default 0): the breaker opens on the (`max_errors` + 1)-th consecutive failure.
/// - `name` (default none): a label for logs and metrics.
/// - `log_status_change` (default false): log every state change.
///
/// Stricter than KrakenD, which silently reads a wrong type as 0 and truncates fractions (`"timeout": 0.5` becomes
/// 0, i.e. 60 seconds): a wrong type, a fraction, or a negative or out-of-range value is a start-up error naming
/// the key.
///
/// Portico keys (absent from KrakenD; defaults reproduce KrakenD):
/// - `failure_statuses` (default `"krakend"`): which statuses count as failures, see ``FailureStatuses``.
/// - `half_open_probes` (1...1000, default 1 as KrakenD): probes admitted while half-open.
/// - `probe_timeout` (whole seconds, default: the effective `timeout`): a probe whose result is never reported
///   (a lost permit) counts as a failure after this long, so the breaker cannot stay half-open forever.
/// - `failure_rate` (default off): a failure-ratio rule besides the consecutive one, see ``FailureRateRule``.
///
/// A block whose KrakenD keys are all absent or zero and that has no Portico key (`{}`) is ``isEmpty``: KrakenD
/// installs no breaker for it, and the gateway must not either.
///
/// ## The rule, precisely (KrakenD's: sony/gobreaker v0.4 with `ReadyToTrip: ConsecutiveFailures > max_errors`)
/// One breaker per backend definition (endpoint × backend), shared by all of that backend's hosts.
///
/// **Closed.** Calls go through. The breaker counts *consecutive* failures among completed calls, in the order they
/// complete; a success resets the count to 0. The failure that makes the count exceed `max_errors` opens the
/// breaker: `max_errors: 0` opens on the first failure, `max_errors: 2` on the third in a row. The count is not
/// "errors per interval": a single success in between starts it over.
///
/// **`interval` is not a sliding window.** It is a cyclic reset of the count. The first cycle starts when the
/// breaker is created or closes; when a call starts or completes *more than* `interval` seconds after the current
/// cycle started, the count is reset to 0 and a new cycle starts at that moment (so cycles drift with traffic; they
/// are not aligned to multiples of `interval`). All the failures that open the breaker must therefore complete
/// within one cycle. `interval: 0` never resets: only a success clears the count. A call that started in an earlier
/// cycle is ignored when it completes (as are calls that started before any state change), so with an `interval`
/// shorter than the backend's latency the consecutive rule never trips.
///
/// **Open.** Every call fails fast without touching the backend, for `timeout` seconds.
///
/// **Half-open.** The first call strictly after `timeout` has elapsed finds the breaker half-open. Up to
/// `half_open_probes` calls (1 in KrakenD) are admitted as probes; every other caller fails fast. The breaker closes
/// once that many probes have succeeded, and re-opens for another `timeout` on the first probe that fails or times
/// out. A probe the client abandons frees its slot for another caller. State changes happen lazily, on the next
/// call (or state read) after the moment they become due.
///
/// **Failures.** The gateway reports each call as success, failure or ignored. Failures: connect errors, timeouts,
/// an undecodable body, and a status that `failure_statuses` counts (by default every status but 200 and 201; for a
/// `no-op` backend none, so only transport errors). Ignored: the client went away before the backend answered
/// (KrakenD would count that as a failure; Portico does not). A local rate-limit rejection never reaches the breaker.
///
/// ## Worked example
/// `{"interval": 60, "timeout": 10, "max_errors": 2}`, breaker created at t=0 (first cycle: t=0 to t=60):
/// - t=1, t=2: failures, count 1, 2. Not above 2: still closed.
/// - t=3: a success, count 0. t=4, t=5: failures, count 2.
/// - t=6: failure, count 3 > 2: opens, until t=16.
/// - t=7 to t=16: every call fails fast (16 is not *after* 16).
/// - t=17: a call finds it half-open and is the probe; concurrent calls fail fast. If the probe succeeds, the
///   breaker closes and a new cycle starts at t=17; if it fails (say at t=18), it re-opens until t=28.
/// - Interval: closed, cycle started at t=17 so it runs to t=77. Failures complete at t=75 and t=76 (count 2). A call
///   starting at t=78 resets the count (78 is more than 60 after 17) and starts a cycle to t=138; if it fails, the
///   count is 1, not 3. A call that started at t=76.5 and fails at t=78 is ignored: it began in the old cycle.
public struct CircuitBreakerConfiguration: Sendable, Equatable {
    /// The `extra_config` namespace of a backend's breaker.
    public static let namespace = "qos/circuit-breaker"
    /// gobreaker's open period when `timeout` is 0 or absent.
    public static let defaultTimeout: Duration = .seconds(60)
    /// The largest accepted number of seconds for any duration key (10 years), so instants cannot overflow.
    public static let maximumSeconds: Int64 = 315_360_000
    /// The largest accepted `half_open_probes`.
    public static let maximumHalfOpenProbes = 1000
    /// Every key this type reads, so the gateway can warn about unknown (misspelt) keys.
    public static let knownKeys: Set<String> = [
        "interval", "timeout", "max_errors", "name", "log_status_change",
        "failure_statuses", "half_open_probes", "probe_timeout", "failure_rate",
    ]

    /// `interval`: the cyclic reset period of the closed count (`.zero`: never reset).
    public var interval: Duration
    /// `timeout`: how long the breaker stays open (already 60s when written as 0 or absent).
    public var timeout: Duration
    /// `max_errors`: consecutive failures tolerated; one more opens the breaker.
    public var maxErrors: Int
    /// `name`: the label for logs and metrics (nil: the gateway labels it with the backend's JSON path).
    public var name: String?
    /// `log_status_change`: whether the gateway logs state changes (they are always counted).
    public var logStatusChange: Bool
    /// `failure_statuses`: which backend statuses count as failures (default `.krakend`).
    public var failureStatuses: FailureStatuses
    /// `half_open_probes`: how many probes half-open admits, and how many successes close it (default 1).
    public var halfOpenProbes: Int
    /// `probe_timeout`: after this long an unreported probe counts as failed (default: `timeout`).
    public var probeTimeout: Duration
    /// `failure_rate`: the failure-ratio rule, nil when off (default).
    public var failureRate: FailureRateRule?
    /// True for a block that sets nothing (`{}`): KrakenD installs no breaker then, and the gateway must not either.
    public private(set) var isEmpty: Bool

    /// A validated configuration. Defaults are KrakenD's runtime defaults for absent keys.
    /// - Parameters:
    ///   - timeout: `.zero` means 60 seconds, as in KrakenD.
    ///   - probeTimeout: nil means the effective `timeout`.
    /// - Throws: `CircuitBreakerConfigurationError` naming the key that is out of range.
    public init(
        interval: Duration = .zero,
        timeout: Duration = .zero,
        maxErrors: Int = 0,
        name: String? = nil,
        logStatusChange: Bool = false,
        failureStatuses: FailureStatuses = .krakend,
        halfOpenProbes: Int = 1,
        probeTimeout: Duration? = nil,
        failureRate: FailureRateRule? = nil
    ) throws {
        try Self.requireSeconds(interval, key: "interval", minimum: .zero)
        try Self.requireSeconds(timeout, key: "timeout", minimum: .zero)
        guard maxErrors >= 0, maxErrors <= Int(UInt32.max) else {
            throw CircuitBreakerConfigurationError(
                key: "max_errors",
                message: "expected an integer from 0 to \(UInt32.max), got \(maxErrors)"
            )
        }
        guard halfOpenProbes >= 1, halfOpenProbes <= Self.maximumHalfOpenProbes else {
            throw CircuitBreakerConfigurationError(
                key: "half_open_probes",
                message: "expected an integer from 1 to \(Self.maximumHalfOpenProbes), got \(halfOpenProbes)"
            )
        }
        if let probeTimeout {
            try Self.requireSeconds(probeTimeout, key: "probe_timeout", minimum: .nanoseconds(1))
        }
        let effectiveTimeout = timeout == .zero ? Self.defaultTimeout : timeout
        self.interval = interval
        self.timeout = effectiveTimeout
        self.maxErrors = maxErrors
        self.name = name
        self.logStatusChange = logStatusChange
        self.failureStatuses = failureStatuses
        self.halfOpenProbes = halfOpenProbes
        self.probeTimeout = probeTimeout ?? effectiveTimeout
        self.failureRate = failureRate
        self.isEmpty =
            interval == .zero && timeout == .zero && maxErrors == 0 && (name ?? "").isEmpty && !logStatusChange
            && failureStatuses == .krakend && halfOpenProbes == 1 && probeTimeout == nil && failureRate == nil
    }

    /// Whether a backend response with `status` counts as a breaker failure (connect errors, timeouts and
    /// undecodable bodies always do; the gateway reports those itself).
    ///
    /// - Parameter noOpEncoding: true for a backend with `"encoding": "no-op"`.
    /// No allocation.
    public func isFailure(status: Int, noOpEncoding: Bool = false) -> Bool {
        failureStatuses.isFailure(status: status, noOpEncoding: noOpEncoding)
    }

    private static func requireSeconds(_ value: Duration, key: String, minimum: Duration) throws {
        guard value >= minimum, value <= .seconds(maximumSeconds) else {
            throw CircuitBreakerConfigurationError(
                key: key,
                message: "expected from \(minimum == .zero ? 0 : 1) to \(maximumSeconds) seconds, got \(value)"
            )
        }
    }
}

extension CircuitBreakerConfiguration: Decodable {
    private enum CodingKeys: String, CodingKey {
        case interval
        case timeout
        case maxErrors = "max_errors"
        case name
        case logStatusChange = "log_status_change"
        case failureStatuses = "failure_statuses"
        case halfOpenProbes = "half_open_probes"
        case probeTimeout = "probe_timeout"
        case failureRate = "failure_rate"
    }

    /// Decodes the namespace's object; type and range errors are `DecodingError`s whose coding path ends at the key.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let seconds = 0...Self.maximumSeconds
        let interval = try container.decodeWholeNumber(forKey: .interval, in: seconds, expected: "whole seconds")
        let timeout = try container.decodeWholeNumber(forKey: .timeout, in: seconds, expected: "whole seconds")
        let maxErrors = try container.decodeWholeNumber(
            forKey: .maxErrors,
            in: 0...Int64(UInt32.max),
            expected: "an integer"
        )
        let halfOpenProbes = try container.decodeWholeNumber(
            forKey: .halfOpenProbes,
            in: 1...Int64(Self.maximumHalfOpenProbes),
            expected: "an integer"
        )
        let probeTimeout = try container.decodeWholeNumber(
            forKey: .probeTimeout,
            in: 1...Self.maximumSeconds,
            expected: "whole seconds"
        )
        do {
            try self.init(
                interval: .seconds(interval ?? 0),
                timeout: .seconds(timeout ?? 0),
                maxErrors: Int(maxErrors ?? 0),
                name: try container.decodeIfPresent(String.self, forKey: .name),
                logStatusChange: try container.decodeIfPresent(Bool.self, forKey: .logStatusChange) ?? false,
                failureStatuses: try container.decodeIfPresent(FailureStatuses.self, forKey: .failureStatuses)
                    ?? .krakend,
                halfOpenProbes: Int(halfOpenProbes ?? 1),
                probeTimeout: probeTimeout.map { .seconds($0) },
                failureRate: try container.decodeIfPresent(FailureRateRule.self, forKey: .failureRate)
            )
        } catch let error as CircuitBreakerConfigurationError {
            // Unreachable with the range checks above; kept so a future check still reports a JSON path.
            let path = error.key.split(separator: ".").map { PathKey(String($0)) }
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath + path, debugDescription: error.message)
            )
        }
        // Any Portico key, even at its default, asks for a breaker; only KrakenD's all-zero block means none.
        let porticoKeys: [CodingKeys] = [.failureStatuses, .halfOpenProbes, .probeTimeout, .failureRate]
        if porticoKeys.contains(where: container.contains) { isEmpty = false }
    }
}

/// A coding-path element for errors found after decoding.
private struct PathKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
