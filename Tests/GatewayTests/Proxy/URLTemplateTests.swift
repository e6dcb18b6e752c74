import Testing

@testable import Gateway

@Suite("URL templates and forwarding")
struct URLTemplateTests {
    @Test(arguments: [
        ("/users/{id}", ["id"], [("id", "7")], "", "/users/7"),
        ("/users/{id}/orders/{order}", ["order", "id"], [("order", "9"), ("id", "7")], "", "/users/7/orders/9"),
        ("/search?fixed=1", [], [], "q=x", "/search?fixed=1&q=x"),
        ("/search", [], [], "q=x&page=2", "/search?q=x&page=2"),
        ("items/{id}", ["id"], [("id", "a%2Fb")], "", "/items/a%2Fb"),
        ("/{id}-suffix", ["id"], [("id", "3")], "", "/3-suffix"),
    ])
    func renders(pattern: String, names: [String], values: [(String, String)], query: String, expected: String) throws {
        let template = try URLTemplate(pattern, routeParameters: names)
        let parameters = values.map { (name: $0.0, value: Substring($0.1)) }
        #expect(template.render(parameters: parameters, query: query) == expected)
    }

    @Test func unknownPlaceholderIsRejected() {
        #expect(throws: URLTemplateError.self) { try URLTemplate("/users/{user}", routeParameters: ["id"]) }
    }

    @Test(arguments: [
        (HeaderSelection.only(["A", "B"]), HeaderSelection?.some(.only(["b", "C"])), HeaderSelection.only(["b"])),
        (.all, .some(.only(["X"])), .only(["X"])),
        (.only(["X"]), .some(.all), .only(["X"])),
        (.only(["X"]), nil, .only(["X"])),
        (.none, .some(.all), .none),
    ])
    func backendSelectionNarrowsTheEndpoints(
        endpoint: HeaderSelection,
        backend: HeaderSelection?,
        expected: HeaderSelection
    ) {
        #expect(RequestForwarding.narrow(endpoint, by: backend, caseInsensitive: true) == expected)
    }

    @Test(arguments: [
        ("http://127.0.0.1:9001", "127.0.0.1", 9001, "127.0.0.1:9001", ""),
        ("http://users.internal", "users.internal", 80, "users.internal", ""),
        ("http://[::1]:8080/api/", "::1", 8080, "[::1]:8080", "/api"),
    ])
    func parsesHosts(url: String, host: String, port: Int, header: String, prefix: String) throws {
        let parsed = try BackendOrigin(url)
        #expect(parsed.host == host)
        #expect(parsed.port == port)
        #expect(parsed.hostHeader == header)
        #expect(parsed.pathPrefix == prefix)
    }

    @Test(arguments: ["https://secure", "ftp://x", "http://", "http://h:0", "http://h:99999", "http://[::1"])
    func rejectsHosts(url: String) {
        #expect(throws: BackendOriginError.self) { try BackendOrigin(url) }
    }
}
