/// The Portico key `failure_rate`: open the closed breaker when too large a share of recent calls failed.
///
/// ```json
/// "failure_rate": { "threshold": 0.5, "window": 30, "min_calls": 20 }
/// ```
///
/// Off unless the key is present; missing members take these defaults: `threshold` 0.5 (a ratio in (0, 1]),
/// `window` 30 (whole seconds, 1 or more), `min_calls` 20 (1 or more).
///
/// It complements KrakenD's consecutive-failure rule, which never trips on sparse failures (one success between
/// failures resets it). On every failure of a closed breaker: when the calls completed in the last `window` number at
/// least `min_calls` and `failures / calls >= threshold`, the breaker opens. Both rules apply; either opens it. The
/// window is 10 buckets of `window / 10` each, anchored at the moment the breaker (re)closed, so "the last `window`"
/// means the current bucket and the 9 before it. `interval` does not reset it; every state change clears it. Calls
/// the gateway reports as ignored (client gone) are not calls here.
public struct FailureRateRule: Sendable, Equatable {
    /// Buckets per window: the window slides in steps of `window / bucketCount`.
    public static let bucketCount = 10

    /// `threshold`: the failure ratio at or above which the breaker opens (default 0.5).
    public var threshold: Double
    /// `window`: how far back calls are counted (default 30 seconds).
    public var window: Duration
    /// `min_calls`: fewer completed calls than this in the window never open the breaker (default 20).
    public var minimumCalls: Int

    /// A validated rule.
    /// - Throws: `CircuitBreakerConfigurationError` naming `failure_rate.threshold`, `.window` or `.min_calls`.
    public init(threshold: Double = 0.5, window: Duration = .seconds(30), minimumCalls: Int = 20) throws {
        guard threshold > 0, threshold <= 1 else {
            throw CircuitBreakerConfigurationError(
                key: "failure_rate.threshold",
                message: "expected a ratio greater than 0 and at most 1, got \(threshold)"
            )
        }
        guard window >= .seconds(1), window <= .seconds(CircuitBreakerConfiguration.maximumSeconds) else {
            throw CircuitBreakerConfigurationError(
                key: "failure_rate.window",
                message: "expected from 1 to \(CircuitBreakerConfiguration.maximumSeconds) seconds, got \(window)"
            )
        }
        guard minimumCalls >= 1, minimumCalls <= 1_000_000_000 else {
            throw CircuitBreakerConfigurationError(
                key: "failure_rate.min_calls",
                message: "expected an integer from 1 to 1000000000, got \(minimumCalls)"
            )
        }
        self.threshold = threshold
        self.window = window
        self.minimumCalls = minimumCalls
    }
}

extension FailureRateRule: Decodable {
    private enum CodingKeys: String, CodingKey {
        case threshold
        case window
        case minimumCalls = "min_calls"
    }

    /// Decodes `failure_rate`; absent members take their defaults, out-of-range ones are `dataCorrupted` errors.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let threshold = try container.decodeIfPresent(Double.self, forKey: .threshold) ?? 0.5
        guard threshold > 0, threshold <= 1 else {
            throw DecodingError.dataCorruptedError(
                forKey: .threshold,
                in: container,
                debugDescription: "expected a ratio greater than 0 and at most 1, got \(threshold)"
            )
        }
        let window =
            try container.decodeWholeNumber(
                forKey: .window,
                in: 1...CircuitBreakerConfiguration.maximumSeconds,
                expected: "whole seconds"
            ) ?? 30
        let minimumCalls =
            try container.decodeWholeNumber(
                forKey: .minimumCalls,
                in: 1...1_000_000_000,
                expected: "an integer"
            ) ?? 20
        try self.init(threshold: threshold, window: .seconds(window), minimumCalls: Int(minimumCalls))
    }
}
