import Testing

@testable import Gateway

@Suite("Route table: case-insensitive lookup for fixed-path redirects")
struct RouteTableFixedPathTests {
    static func makeTable() throws -> RouteTable<String> {
        let routes: [(String, String)] = [
            ("/users", "GET"), ("/users/{id}", "GET"), ("/Users/Admin", "GET"), ("/static/*", "GET"),
            ("/orders", "POST"), ("/trailing/", "GET"),
        ]
        return try RouteTable(routes.map { (template: try RouteTemplate($0.0), method: $0.1, value: $0.0) })
    }

    @Test(arguments: [
        ("/USERS", "GET", "/users"),
        ("/USERS/AbC", "GET", "/users/AbC"),  // parameter values keep the request's spelling
        ("/users/admin", "GET", "/users/admin"),  // the parameter route matches first, as spelt
        ("/STATIC/Site.CSS", "GET", "/static/Site.CSS"),
        ("/Orders", "POST", "/orders"),
        ("/TRAILING", "GET", "/trailing/"),  // trailing slash fixed as well
        ("/Users/", "GET", "/users"),
    ])
    func finds(path: String, method: String, expected: String) throws {
        #expect(try Self.makeTable().caseInsensitivePath(path[...], method: method, fixTrailingSlash: true) == expected)
    }

    @Test(arguments: [("/ORDERS", "GET"), ("/nothing", "GET"), ("/USERS", "POST")])
    func missesOtherMethodsAndPaths(path: String, method: String) throws {
        #expect(try Self.makeTable().caseInsensitivePath(path[...], method: method, fixTrailingSlash: true) == nil)
    }

    @Test func withoutTrailingSlashFix() throws {
        #expect(try Self.makeTable().caseInsensitivePath("/TRAILING", method: "GET", fixTrailingSlash: false) == nil)
    }

    @Test func methodsAreRecorded() throws {
        #expect(try Self.makeTable().methods == ["GET", "POST"])
    }
}
