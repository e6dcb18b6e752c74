/// A rate-limit configuration value that cannot work; the message starts with the offending key.
public struct RateLimitConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, e.g. `capacity: must be at least 1, got 0`.
    public var message: String

    /// Creates an error with a message that starts with the key it is about.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
