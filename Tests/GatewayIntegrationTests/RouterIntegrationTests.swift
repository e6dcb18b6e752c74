import Foundation
import MockBackend
import NIOCore
import Testing

/// Router behaviour that needs raw control of the request line (redirects, encoded paths, extra slashes), through a
/// real gateway on loopback.
@Suite("Router over real sockets")
struct RouterIntegrationTests {
    static let backends: [String: [MockRoute]] = [
        "users": [
            MockRoute(method: "GET", path: "/users/{id}", response: .json(#"{"id":7}"#)),
            MockRoute(method: "POST", path: "/users", response: .json(#"{"created":true}"#, status: 201)),
        ]
    ]

    static func configuration(router: String = "{}", service: String = "") -> String {
        """
        {"version": 3, "host": ["{{users}}"], \(service)
         "extra_config": {"router": \(router)},
         "endpoints": [
           {"endpoint": "/users/{id}", "backend": [{"url_pattern": "/users/{id}"}]},
           {"endpoint": "/users", "method": "POST", "backend": [{"url_pattern": "/users"}]}
         ]}
        """
    }

    /// One raw HTTP/1.1 exchange: status, headers (lower-cased names) and body.
    struct RawResponse {
        var status = 0
        var headers: [String: String] = [:]
        var body = ""
    }

    static func send(
        _ harness: GatewayHarness,
        _ method: String,
        _ target: String,
        headers: [(String, String)] = []
    ) async throws -> RawResponse {
        var request = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        let text = try await rawExchange(port: harness.port, bytes: Array(request.utf8))
        var response = RawResponse()
        guard let split = text.range(of: "\r\n\r\n") else { return response }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        response.status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            response.headers[name] = response.headers[name].map { $0 + ", " + value } ?? value
        }
        response.body = String(text[split.upperBound...])
        return response
    }

    @Test func pipelinedRequestsAreAllAnsweredInOrder() async throws {
        let harness = try await GatewayHarness.start(configuration: Self.configuration(), backends: Self.backends)
        defer { Task { await harness.stop() } }
        // Three requests in one write: a proxied GET, a POST with a body, a built-in path that closes.
        let requests =
            "GET /users/7 HTTP/1.1\r\nHost: a\r\n\r\n"
            + "POST /users HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}"
            + "GET /__health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
        let text = try await rawExchange(port: harness.port, bytes: Array(requests.utf8), timeout: .seconds(5))
        // Bodies are not followed by a line break, so responses are counted by their status line's start.
        let statuses = text.components(separatedBy: "HTTP/1.1 ").dropFirst().map { $0.prefix(6) }
        #expect(statuses == ["200 OK", "200 OK", "200 OK"], "\(text)")
        let bodies = [#"{"id":7}"#, #"{"created":true}"#, #"{"status":"ok"}"#]
        let positions = bodies.map { text.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(text)")
        if positions.allSatisfy({ $0 != nil }) { #expect(positions.map { $0! } == positions.map { $0! }.sorted()) }
    }

    @Test func redirectsFollowGin() async throws {
        let harness = try await GatewayHarness.start(configuration: Self.configuration(), backends: Self.backends)
        defer { Task { await harness.stop() } }

        let slash = try await Self.send(harness, "GET", "/users/7/?page=2")
        #expect(slash.status == 301)
        #expect(slash.headers["location"] == "/users/7?page=2")
        #expect(slash.headers["content-type"] == "text/html; charset=utf-8")
        #expect(slash.body == "<a href=\"/users/7?page=2\">Moved Permanently</a>.\n\n")

        let fixed = try await Self.send(harness, "GET", "/USERS/7")
        #expect(fixed.status == 301)
        #expect(fixed.headers["location"] == "/users/7")

        let cleaned = try await Self.send(harness, "GET", "/api/../users//7")
        #expect(cleaned.status == 301)
        #expect(cleaned.headers["location"] == "/users/7")

        // Other methods keep method and body: 307, and no HTML body.
        let post = try await Self.send(harness, "POST", "/Users", headers: [("Content-Length", "0")])
        #expect(post.status == 307)
        #expect(post.headers["location"] == "/users")
        // gin: only GET gets 301; HEAD is "another method" and gets 307.
        let head = try await Self.send(harness, "HEAD", "/users/7/")
        #expect(head.status == 307)
        #expect(head.headers["location"] == "/users/7")
        #expect(post.body == "")

        // Only the request's own method counts: DELETE has no routes, so no redirect, and GET lives there → 405.
        let delete = try await Self.send(harness, "DELETE", "/users/7")
        #expect(delete.status == 405)
        #expect(delete.headers["allow"] == "GET")
        await harness.stop()
    }

    @Test func redirectsCanBeTurnedOff() async throws {
        let router = #"{"disable_redirect_trailing_slash": true, "disable_redirect_fixed_path": true}"#
        let harness = try await GatewayHarness.start(
            configuration: Self.configuration(router: router),
            backends: Self.backends
        )
        defer { Task { await harness.stop() } }
        #expect(try await Self.send(harness, "GET", "/users/7/").status == 404)
        #expect(try await Self.send(harness, "GET", "/USERS/7").status == 404)
        await harness.stop()
    }

    @Test func encodedParametersAreRefused() async throws {
        let harness = try await GatewayHarness.start(configuration: Self.configuration(), backends: Self.backends)
        defer { Task { await harness.stop() } }
        let doubleEncoded = try await Self.send(harness, "GET", "/users/..%252Fadmin")
        #expect(doubleEncoded.status == 400)
        #expect(doubleEncoded.body == "error: encoded url params")
        #expect(try await Self.send(harness, "GET", "/users/a%2Fb").status == 400)
        #expect(try await Self.send(harness, "GET", "/users/a%zz").status == 400)
        #expect(harness.backend("users").recordedRequests.isEmpty)

        let accented = try await Self.send(harness, "GET", "/users/caf%C3%A9")
        #expect(accented.status == 200)
        #expect(harness.backend("users").recordedRequests.last?.uri == "/users/caf%C3%A9")
        await harness.stop()
    }

    @Test func pathDecodingCheckCanBeTurnedOff() async throws {
        let harness = try await GatewayHarness.start(
            configuration: Self.configuration(router: #"{"disable_path_decoding": true}"#),
            backends: Self.backends
        )
        defer { Task { await harness.stop() } }
        #expect(try await Self.send(harness, "GET", "/users/..%252Fadmin").status == 200)
        await harness.stop()
    }

    @Test func extraSlashesRemovedOnlyWhenAsked() async throws {
        let plain = try await GatewayHarness.start(configuration: Self.configuration(), backends: Self.backends)
        // Without remove_extra_slash, gin's fixed-path redirect cleans the path instead.
        let redirected = try await Self.send(plain, "GET", "//users///7")
        #expect(redirected.status == 301)
        #expect(redirected.headers["location"] == "/users/7")
        await plain.stop()

        let removing = try await GatewayHarness.start(
            configuration: Self.configuration(router: #"{"remove_extra_slash": true}"#),
            backends: Self.backends
        )
        defer { Task { await removing.stop() } }
        let served = try await Self.send(removing, "GET", "//users///7")
        #expect(served.status == 200)
        #expect(served.body == #"{"id":7}"#)
        await removing.stop()
    }

    @Test func headKeepsContentLengthWithoutBody() async throws {
        let harness = try await GatewayHarness.start(configuration: Self.configuration(), backends: Self.backends)
        defer { Task { await harness.stop() } }
        let head = try await Self.send(harness, "HEAD", "/users/7")
        #expect(head.status == 200)
        #expect(head.headers["content-length"] == "8")
        #expect(head.body == "")
        #expect(head.headers["x-portico"]?.hasPrefix("Version ") == true)
        await harness.stop()
    }

    @Test func methodNotAllowedCanBecomeNotFound() async throws {
        let harness = try await GatewayHarness.start(
            configuration: Self.configuration(
                router: #"{"disable_handle_method_not_allowed": true, "disable_health": true}"#
            ),
            backends: Self.backends
        )
        defer { Task { await harness.stop() } }
        let delete = try await Self.send(harness, "DELETE", "/users/7")
        #expect(delete.status == 404)
        #expect(delete.body == "404 page not found")
        #expect(try await Self.send(harness, "GET", "/__health").status == 404)
        await harness.stop()
    }

    @Test func echoEndpointShape() async throws {
        let harness = try await GatewayHarness.start(
            configuration: Self.configuration(service: #""echo_endpoint": true,"#),
            backends: Self.backends
        )
        defer { Task { await harness.stop() } }
        let echo = try await Self.send(
            harness,
            "GET",
            "/__echo/some/path?b=2&a=1&b=3",
            headers: [("x-request-id", "r-1")]
        )
        #expect(echo.status == 200)
        let expected: [String: Any] = [
            "req_uri": "/__echo/some/path?b=2&a=1&b=3",
            "req_uri_details": [
                "fragment": "", "host": "localhost", "path": "/__echo/some/path", "query": "a=1&b=2&b=3",
                "scheme": "", "user": "",
            ],
            "req_method": "GET",
            "req_querystring": ["a": ["1"], "b": ["2", "3"]],
            "req_body": "",
            "req_headers": ["Connection": ["close"], "X-Request-Id": ["r-1"]],
        ]
        #expect(jsonEqual(parseJSON(echo.body), expected), "\(echo.body)")
        // Go's encoding/json sorts map keys, keeps the struct's field order, and escapes "&" for HTML.
        #expect(
            echo.body.hasPrefix(#"{"req_uri":"/__echo/some/path?b=2\u0026a=1\u0026b=3","req_uri_details":{"fragment":"#)
        )
        await harness.stop()
    }

    @Test func debugEndpointReadsTheBody() async throws {
        let harness = try await GatewayHarness.start(
            configuration: Self.configuration(service: #""debug_endpoint": true,"#),
            backends: Self.backends
        )
        defer { Task { await harness.stop() } }
        let request =
            "POST /__debug/anything?x=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
            + "Content-Length: 5\r\n\r\nhello"
        let text = try await rawExchange(port: harness.port, bytes: Array(request.utf8), timeout: .seconds(5))
        #expect(text.hasPrefix("HTTP/1.1 200 OK"), "\(text)")
        #expect(text.hasSuffix(#"{"message":"pong"}"#), "\(text)")
        await harness.stop()
    }

    @Test func corsPassthroughReachesAutoOptions() async throws {
        let harness = try await GatewayHarness.start(
            configuration: """
                {"version": 3, "host": ["{{users}}"],
                 "extra_config": {"router": {"auto_options": true},
                                  "security/cors": {"options_passthrough": true, "allow_methods": ["GET"]}},
                 "endpoints": [{"endpoint": "/users/{id}", "backend": [{"url_pattern": "/users/{id}"}]}]}
                """,
            backends: Self.backends
        )
        defer { Task { await harness.stop() } }
        let preflight = try await Self.send(
            harness,
            "OPTIONS",
            "/users/7",
            headers: [("Origin", "https://app.example.com"), ("Access-Control-Request-Method", "GET")]
        )
        #expect(preflight.status == 200)
        #expect(preflight.headers["allow"] == "GET")
        #expect(preflight.headers["access-control-allow-origin"] == "*")
        #expect(preflight.headers["access-control-allow-methods"] == "GET")
        await harness.stop()
    }
}
