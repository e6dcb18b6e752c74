/// The verified payload of a token.
public struct Claims: Sendable, Equatable {
    /// The payload object.
    public let payload: JSONValue

    /// Wraps a payload object.
    public init(payload: JSONValue) {
        self.payload = payload
    }

    /// The top-level claim `name`.
    public subscript(name: String) -> JSONValue? { payload[name] }

    /// Follows a dot-separated path through nested objects (`realm_access.roles`).
    public func value(atPath path: String) -> JSONValue? {
        var current = payload
        for component in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard let next = current[String(component)] else { return nil }
            current = next
        }
        return current
    }
}
