/// One mock endpoint: a method, a path template and what to answer.
///
/// Path templates use KrakenD's syntax: literal segments, `{name}` parameters (one non-empty segment) and a
/// trailing `*` that matches the rest of the path (zero or more segments, available as `{*}`). Routes are tried in
/// the order given; the first match wins. Method `"*"` matches any method.
///
/// ```swift
/// MockRoute.get("/users/{id}", .template(#"{"id": {id}, "name": "user {id}"}"#))
/// MockRoute(method: "POST", path: "/orders", response: .echo(status: 201))
/// MockRoute(method: "GET", path: "/whoami") { request in .text(request.header("Authorization") ?? "anonymous") }
/// ```
public struct MockRoute: Sendable {
    /// The HTTP method, upper case, or `"*"` for any.
    public let method: String
    /// The path template.
    public let path: String
    let responder: Responder

    enum Responder: Sendable {
        case fixed(MockResponse)
        case dynamic(@Sendable (RecordedRequest) -> MockResponse)
    }

    /// A route with a fixed response.
    public init(method: String = "GET", path: String, response: MockResponse) {
        self.method = method.uppercased()
        self.path = path
        self.responder = .fixed(response)
    }

    /// A route whose response is computed per request. `respond` runs on an event loop and must not block.
    public init(method: String = "GET", path: String, respond: @escaping @Sendable (RecordedRequest) -> MockResponse) {
        self.method = method.uppercased()
        self.path = path
        self.responder = .dynamic(respond)
    }

    /// A `GET` route with a fixed response.
    public static func get(_ path: String, _ response: MockResponse) -> MockRoute {
        MockRoute(method: "GET", path: path, response: response)
    }

    /// A `POST` route with a fixed response.
    public static func post(_ path: String, _ response: MockResponse) -> MockRoute {
        MockRoute(method: "POST", path: path, response: response)
    }

    /// A route answering every method with a fixed response.
    public static func any(_ path: String, _ response: MockResponse) -> MockRoute {
        MockRoute(method: "*", path: path, response: response)
    }

    func response(for request: RecordedRequest) -> MockResponse {
        switch self.responder {
        case .fixed(let response): response
        case .dynamic(let respond): respond(request)
        }
    }
}
