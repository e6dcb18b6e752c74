/// A request as the mock backend received it.
public struct RecordedRequest: Sendable {
    /// The method, e.g. `GET`.
    public let method: String
    /// The request target as sent: path and query.
    public let uri: String
    /// The headers in the order received, names as sent.
    public let headers: [(name: String, value: String)]
    /// The body (at most ``MockBackendServer/maxRecordedBodyBytes``; see ``bodyTruncated``).
    public let body: [UInt8]
    /// True when the body was longer than the recorded part.
    public let bodyTruncated: Bool
    /// The path parameters of the matched route (`{*}` for a wildcard's remainder); empty when none matched.
    public let pathParameters: [String: String]

    /// Creates a recorded request; the server makes these, tests may too for dynamic-route unit tests.
    public init(
        method: String,
        uri: String,
        headers: [(name: String, value: String)],
        body: [UInt8] = [],
        bodyTruncated: Bool = false,
        pathParameters: [String: String] = [:]
    ) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
        self.bodyTruncated = bodyTruncated
        self.pathParameters = pathParameters
    }

    /// The path part of ``uri``.
    public var path: String {
        String(self.uri.prefix { $0 != "?" })
    }

    /// The raw query part of ``uri`` (without `?`), empty when there is none.
    public var rawQuery: String {
        guard let mark = self.uri.firstIndex(of: "?") else {
            return ""
        }
        return String(self.uri[self.uri.index(after: mark)...])
    }

    /// The decoded query parameters in order.
    public var queryItems: [(name: String, value: String)] {
        QueryString.parse(Substring(self.rawQuery))
    }

    /// The first decoded value of query parameter `name`.
    public func query(_ name: String) -> String? {
        self.queryItems.first { $0.name == name }?.value
    }

    /// The body as UTF-8 text (invalid sequences replaced).
    public var bodyText: String {
        String(decoding: self.body, as: UTF8.self)
    }

    /// The first value of header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        self.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Every value of header `name`, compared case-insensitively.
    public func headers(named name: String) -> [String] {
        self.headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }
}
