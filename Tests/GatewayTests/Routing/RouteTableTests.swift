import Testing

@testable import Gateway

@Suite("Route table")
struct RouteTableTests {
    static let endpoints: [(String, String)] = [
        ("/users", "GET"),
        ("/users", "POST"),
        ("/users/me", "GET"),
        ("/users/{id}", "GET"),
        ("/users/{id}", "DELETE"),
        ("/users/{id}/orders/{order}", "GET"),
        ("/static/*", "GET"),
        ("/", "GET"),
        ("/a/b/c", "GET"),
        ("/a/{x}/d", "GET"),
        ("/trailing/", "GET"),
    ]

    static func makeTable() throws -> RouteTable<String> {
        try RouteTable(
            endpoints.map { (template: try RouteTemplate($0.0), method: $0.1, value: "\($0.1) \($0.0)") }
        )
    }

    @Test(arguments: [
        ("GET", "/users", "GET /users", [String]()),
        ("POST", "/users", "POST /users", []),
        ("GET", "/users/me", "GET /users/me", []),
        ("GET", "/users/42", "GET /users/{id}", ["id=42"]),
        ("DELETE", "/users/42", "DELETE /users/{id}", ["id=42"]),
        ("GET", "/users/42/orders/9", "GET /users/{id}/orders/{order}", ["id=42", "order=9"]),
        ("GET", "/static/css/site.css", "GET /static/*", ["*=css/site.css"]),
        ("GET", "/static/", "GET /static/*", ["*="]),
        ("GET", "/", "GET /", []),
        ("GET", "/a/b/d", "GET /a/{x}/d", ["x=b"]),  // backtracks from the literal "b" branch
        ("GET", "/a/b/c", "GET /a/b/c", []),
        ("GET", "/trailing/", "GET /trailing/", []),
    ])
    func matches(method: String, path: String, expected: String, parameters: [String]) throws {
        let table = try Self.makeTable()
        guard case .found(let value, let captured) = table.match(path: Substring(path), method: method) else {
            Issue.record("\(method) \(path) did not match")
            return
        }
        #expect(value == expected)
        #expect(captured.map { "\($0.name)=\($0.value)" } == parameters)
    }

    @Test(arguments: ["/nothing", "/users/42/orders", "/users/42/extra/x", "/a/b", "/trailing/x", "/users//"])
    func notFound(path: String) throws {
        guard case .notFound = try Self.makeTable().match(path: Substring(path), method: "GET") else {
            Issue.record("\(path) should be 404")
            return
        }
    }

    @Test func methodNotAllowedListsAllowedMethods() throws {
        guard case .methodNotAllowed(let allowed) = try Self.makeTable().match(path: "/users/7", method: "PUT") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == ["DELETE", "GET"])
    }

    @Test(arguments: [
        (["/users/{id}", "/users/{id}"], "is declared twice for GET"),
        (["/users/{id}", "/users/{name}"], "uses {name} where another endpoint uses {id}"),
        (["/files/*", "/files/*"], "is declared twice for GET"),
    ])
    func conflictsAreConfigurationErrors(templates: [String], message: String) throws {
        do {
            _ = try RouteTable(templates.map { (template: try RouteTemplate($0), method: "GET", value: 0) })
            Issue.record("expected a conflict")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    @Test(arguments: [
        ("users", "must start with \"/\""),
        ("/a//b", "empty segment"),
        ("/a/*/b", "only as its last segment"),
        ("/a/{id", "malformed parameter"),
        ("/a/x{id}", "mixes text and a placeholder"),
        ("/a/{id}/{id}", "repeats the parameter"),
    ])
    func invalidTemplates(template: String, message: String) {
        #expect {
            _ = try RouteTemplate(template)
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}
