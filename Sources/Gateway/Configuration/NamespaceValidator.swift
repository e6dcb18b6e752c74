/// Checks one `extra_config` namespace at load time, so every mistake in every namespace is reported in one run.
///
/// The gateway registers one per namespace its stages handle, usually the stage's `Decodable` configuration:
///
/// ```swift
/// let loader = ConfigurationLoader(
///     knownNamespaces: [],
///     validators: ["qos/circuit-breaker": .decodable(CircuitBreakerConfiguration.self)]
/// )
/// ```
///
/// A namespace with a validator counts as known. The decoder handed to the closure is set to the namespace's file
/// and JSON path, so its problems read `endpoints[0].backend[0].extra_config["qos/circuit-breaker"].interval: …`.
public struct NamespaceValidator: Sendable {
    let validate: @Sendable (ConfigValue, ConfigValueDecoder) throws(ConfigurationError) -> Void

    /// A validator running `validate` on the namespace's value.
    public init(_ validate: @escaping @Sendable (ConfigValue, ConfigValueDecoder) throws(ConfigurationError) -> Void) {
        self.validate = validate
    }

    /// A validator that decodes the value as `type` and reports the first decoding problem.
    public static func decodable<T: Decodable & SendableMetatype>(_ type: T.Type) -> NamespaceValidator {
        NamespaceValidator { (value, decoder) throws(ConfigurationError) in
            _ = try decoder.decode(T.self, from: value)
        }
    }

    /// A validator that decodes the value as `type`, then runs `check` on it (a feature's `validate()`).
    ///
    /// An error from `check` whose message starts with a key (`"capacity: must be at least 1, got 0"`) is reported
    /// at that key's path under the namespace.
    public static func decodable<T: Decodable & SendableMetatype>(
        _ type: T.Type,
        check: @escaping @Sendable (T) throws -> Void
    ) -> NamespaceValidator {
        NamespaceValidator { (value, decoder) throws(ConfigurationError) in
            let decoded = try decoder.decode(T.self, from: value)
            do {
                try check(decoded)
            } catch {
                throw decoder.configurationError(from: error)
            }
        }
    }
}
