/// A `qos/circuit-breaker` value that is out of range, naming the key (dotted for nested keys, e.g.
/// `failure_rate.window`).
///
/// Decoding reports the same problem as a `DecodingError.dataCorrupted` whose coding path ends at that key, so
/// the gateway can print the full JSON path.
public struct CircuitBreakerConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The offending key inside the namespace, e.g. `max_errors` or `failure_rate.threshold`.
    public var key: String
    /// What is wrong and what is accepted, e.g. `expected an integer from 0 to 4294967295, got -1`.
    public var message: String

    /// An error about `key`.
    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    /// `key: message`.
    public var description: String { "\(key): \(message)" }
}
