/// What a mock route answers: status, headers, body, an optional delay and optional chunked streaming.
///
/// ```swift
/// MockResponse.json(#"{"id": 1, "name": "Ada"}"#)
/// MockResponse.template(#"{"id": "{id}"}"#).delayed(by: .milliseconds(50))
/// MockResponse(body: .bytes(largeBody)).chunked(into: 8, interval: .milliseconds(20))
/// ```
public struct MockResponse: Sendable {
    /// The status code; default 200.
    public var status: Int
    /// Response headers in order. `Content-Length` / `Transfer-Encoding` are set by the server.
    public var headers: [(name: String, value: String)]
    /// The body source; default `.empty`.
    public var body: MockBody
    /// Time to wait before the response head is written, scheduled on the event loop; default zero.
    public var delay: Duration
    /// Streams the body chunked when set; default `nil` (`Content-Length` body).
    public var chunking: MockChunking?

    /// A response with every part given explicitly.
    public init(
        status: Int = 200,
        headers: [(name: String, value: String)] = [],
        body: MockBody = .empty,
        delay: Duration = .zero,
        chunking: MockChunking? = nil
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
        self.chunking = chunking
    }

    /// A JSON body with `Content-Type: application/json`.
    public static func json(
        _ json: String,
        status: Int = 200,
        headers: [(name: String, value: String)] = []
    ) -> MockResponse {
        MockResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: .text(json))
    }

    /// A plain-text body with `Content-Type: text/plain; charset=utf-8`.
    public static func text(
        _ text: String,
        status: Int = 200,
        headers: [(name: String, value: String)] = []
    ) -> MockResponse {
        MockResponse(
            status: status,
            headers: [("Content-Type", "text/plain; charset=utf-8")] + headers,
            body: .text(text)
        )
    }

    /// A body template (see ``MockBody/template(_:)``), by default typed `application/json`.
    public static func template(
        _ template: String,
        status: Int = 200,
        contentType: String = "application/json"
    ) -> MockResponse {
        MockResponse(status: status, headers: [("Content-Type", contentType)], body: .template(template))
    }

    /// Answers with the request itself as JSON (see ``MockBody/echo``).
    public static func echo(status: Int = 200) -> MockResponse {
        MockResponse(status: status, headers: [("Content-Type", "application/json")], body: .echo)
    }

    /// Serves one file; the content type is guessed from its extension unless given.
    public static func file(_ path: String, contentType: String? = nil) -> MockResponse {
        MockResponse(headers: contentType.map { [("Content-Type", $0)] } ?? [], body: .file(path))
    }

    /// Serves files under `root` by the route's trailing wildcard, e.g. `MockRoute.get("/static/*", .directory(dir))`.
    public static func directory(_ root: String) -> MockResponse {
        MockResponse(body: .directory(root))
    }

    /// A bodiless response with this status.
    public static func status(_ code: Int) -> MockResponse {
        MockResponse(status: code)
    }

    /// This response, answered after `delay`.
    public func delayed(by delay: Duration) -> MockResponse {
        var copy = self
        copy.delay = delay
        return copy
    }

    /// This response, streamed chunked in `count` chunks with `interval` between them.
    public func chunked(into count: Int, interval: Duration = .zero) -> MockResponse {
        var copy = self
        copy.chunking = MockChunking(count: count, interval: interval)
        return copy
    }

    /// This response with one more header.
    public func withHeader(_ name: String, _ value: String) -> MockResponse {
        var copy = self
        copy.headers.append((name, value))
        return copy
    }
}
