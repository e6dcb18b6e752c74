import Testing

@testable import Gateway

@Suite("Route paths: cleaning, parameter check, decoding")
struct RoutePathTests {
    @Test(arguments: [
        ("", "/"),
        ("/", "/"),
        ("//users///7", "/users/7"),
        ("/users/./7", "/users/7"),
        ("/users/../orders/", "/orders/"),
        ("/../../etc/passwd", "/etc/passwd"),
        ("/users/7/.", "/users/7/"),
        ("/users/7/..", "/users/"),
        ("users", "/users"),
        ("/users//", "/users/"),
    ])
    func cleansLikeGin(path: String, expected: String) {
        #expect(RoutePath.clean(path[...]) == expected)
    }

    @Test(arguments: [
        ("7", false, true),
        ("caf%C3%A9", false, true),  // a once-encoded é is a plain value once decoded
        ("a%20b", false, true),
        ("..%252Fetc", false, false),  // double-encoded "/": Lura's 400
        ("100%25", false, false),  // decodes to "100%", which Go's second PathUnescape rejects
        ("a%2Fb", false, false),  // Go would have split the segment; Portico refuses instead of forwarding
        ("a%2Fb", true, true),  // a trailing wildcard spans segments anyway
        ("a%3Fb", false, false),  // "?"
        ("a%23b", false, false),  // "#"
        ("a#b", false, false),
        ("bad%zz", false, false),  // not an escape: Go refuses the request line
        ("trailing%2", false, false),
    ])
    func parameterCheck(raw: String, isWildcard: Bool, acceptable: Bool) {
        #expect(RoutePath.isAcceptableParameter(raw[...], isWildcard: isWildcard) == acceptable)
    }

    @Test func decodesLikeGo() {
        #expect(RoutePath.decode("caf%C3%A9") == "café")
        #expect(RoutePath.decode("a+b") == "a+b")
        #expect(RoutePath.decode("a+b", plusAsSpace: true) == "a b")
        #expect(RoutePath.decode("%zz") == nil)
        #expect(RoutePath.queryEscape("a b&c=é~") == "a+b%26c%3D%C3%A9~")
    }

    @Test func underPrefix() {
        #expect(RoutePath.isUnder("/__debug", "/__debug"))
        #expect(RoutePath.isUnder("/__debug/", "/__debug"))
        #expect(RoutePath.isUnder("/__debug/a/b", "/__debug"))
        #expect(!RoutePath.isUnder("/__debugger", "/__debug"))
        #expect(!RoutePath.isUnder("/api/__debug", "/__debug"))
    }
}
