/// A routes file that cannot be used, with the JSON path of the offending value.
public struct MockRouteFileError: Error, CustomStringConvertible, Sendable {
    /// Where the problem is, e.g. `routes[2].delay_ms`, or the file name for I/O and syntax errors.
    public let location: String
    /// What is wrong.
    public let message: String

    /// Creates an error at `location`.
    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    /// `location: message`.
    public var description: String {
        "\(self.location): \(self.message)"
    }
}
