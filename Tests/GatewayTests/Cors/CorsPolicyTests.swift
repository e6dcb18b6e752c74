import NIOHTTP1
import Testing

@testable import Gateway

/// rs/cors v1.11's behaviour (its own test table's cases), through Portico's compiled policy.
@Suite("CORS policy")
struct CorsPolicyTests {
    static func preflight(
        _ configuration: CorsConfiguration,
        origin: String? = "https://app.example.com",
        method: String = "PUT",
        requestHeaders: String? = nil,
        privateNetwork: Bool = false
    ) -> HTTPHeaders {
        var request = HTTPHeaders()
        if let origin { request.add(name: "Origin", value: origin) }
        request.add(name: "Access-Control-Request-Method", value: method)
        if let requestHeaders { request.add(name: "Access-Control-Request-Headers", value: requestHeaders) }
        if privateNetwork { request.add(name: "Access-Control-Request-Private-Network", value: "true") }
        return CorsPolicy(configuration).preflightHeaders(for: request)
    }

    static func actual(
        _ configuration: CorsConfiguration,
        origin: String? = "https://app.example.com",
        method: HTTPMethod = .GET
    ) -> HTTPHeaders {
        var request = HTTPHeaders()
        if let origin { request.add(name: "Origin", value: origin) }
        var response = HTTPHeaders()
        CorsPolicy(configuration).decorate(&response, method: method, request: request)
        return response
    }

    @Test func defaultsAllowAnyOriginWithSimpleMethods() {
        let headers = Self.actual(CorsConfiguration())
        #expect(headers["Access-Control-Allow-Origin"] == ["*"])
        #expect(headers["Vary"] == ["Origin"])
        #expect(headers["Access-Control-Allow-Credentials"].isEmpty)
        // PUT is not among the default methods: no allow headers, Vary still set.
        let put = Self.actual(CorsConfiguration(), method: .PUT)
        #expect(put["Access-Control-Allow-Origin"].isEmpty)
        #expect(put["Vary"] == ["Origin"])
    }

    @Test(arguments: [
        ("https://app.example.com", true),
        ("https://APP.example.COM", true),  // origins compare lower-cased, as rs/cors
        ("https://api.example.com", true),  // wildcard entry
        ("https://a.b.example.com", true),  // the wildcard spans dots
        ("https://example.com", false),  // "https://" + ".example.com" needs at least the dot
        ("http://api.example.com", false),
        ("https://evil.com", false),
        ("https://example.com.evil.com", false),
    ])
    func listedAndWildcardOrigins(origin: String, allowed: Bool) {
        let configuration = CorsConfiguration(allowOrigins: ["https://app.example.com", "https://*.example.com"])
        let headers = Self.actual(configuration, origin: origin)
        #expect(headers["Access-Control-Allow-Origin"] == (allowed ? [origin] : []))
        #expect(headers["Vary"] == ["Origin"])
    }

    @Test func noOriginAddsOnlyVary() {
        let headers = Self.actual(CorsConfiguration(), origin: nil)
        #expect(headers.map(\.name) == ["Vary"])
    }

    @Test func exposeHeadersAreCanonicalised() {
        let headers = Self.actual(CorsConfiguration(exposeHeaders: ["x-request-id", "content-length"]))
        #expect(headers["Access-Control-Expose-Headers"] == ["X-Request-Id, Content-Length"])
    }

    @Test func credentialsWithStarKeepRsCorsAnswer() {
        // rs/cors v1.11 answers "*" even with credentials, which browsers then refuse: KrakenD's documented limit.
        let headers = Self.actual(CorsConfiguration(allowOrigins: ["*"], allowCredentials: true))
        #expect(headers["Access-Control-Allow-Origin"] == ["*"])
        #expect(headers["Access-Control-Allow-Credentials"] == ["true"])
        let listed = Self.actual(
            CorsConfiguration(allowOrigins: ["https://app.example.com"], allowCredentials: true)
        )
        #expect(listed["Access-Control-Allow-Origin"] == ["https://app.example.com"])
        #expect(listed["Access-Control-Allow-Credentials"] == ["true"])
    }

    @Test func preflightAllowed() {
        let configuration = CorsConfiguration(
            allowOrigins: ["https://app.example.com"],
            allowMethods: ["GET", "PUT"],
            allowHeaders: ["Authorization", "Content-Type"],
            maxAge: .seconds(43200)
        )
        let headers = Self.preflight(configuration, requestHeaders: "authorization,content-type")
        #expect(headers["Vary"] == ["Origin, Access-Control-Request-Method, Access-Control-Request-Headers"])
        #expect(headers["Access-Control-Allow-Origin"] == ["https://app.example.com"])
        #expect(headers["Access-Control-Allow-Methods"] == ["PUT"])
        #expect(headers["Access-Control-Allow-Headers"] == ["authorization,content-type"])
        #expect(headers["Access-Control-Max-Age"] == ["43200"])
    }

    @Test(arguments: [
        ("DELETE", nil as String?),  // method not allowed
        ("put", nil),  // methods compare case-sensitively, as rs/cors v1.11
        ("PUT", "x-secret"),  // header not allowed
        ("PUT", "content-type, x-secret"),
    ])
    func preflightRefused(method: String, requestHeaders: String?) {
        let configuration = CorsConfiguration(allowMethods: ["GET", "PUT"], allowHeaders: ["Content-Type"])
        let headers = Self.preflight(configuration, method: method, requestHeaders: requestHeaders)
        #expect(headers.map(\.name) == ["Vary"])
    }

    @Test func preflightHeadersCaseAndOrderDoNotMatter() {
        // rs/cors insists on the browsers' lower-case sorted list; Portico accepts any spelling and order.
        let configuration = CorsConfiguration(allowHeaders: ["X-Request-Id", "Content-Type"])
        let headers = Self.preflight(configuration, method: "GET", requestHeaders: "X-Request-Id, content-type")
        #expect(headers["Access-Control-Allow-Headers"] == ["X-Request-Id, content-type"])
    }

    @Test func defaultAllowedHeaders() {
        let allowed = Self.preflight(
            CorsConfiguration(),
            method: "POST",
            requestHeaders: "accept,content-type,x-requested-with"
        )
        #expect(allowed["Access-Control-Allow-Origin"] == ["*"])
        let refused = Self.preflight(CorsConfiguration(), method: "POST", requestHeaders: "authorization")
        #expect(refused["Access-Control-Allow-Origin"].isEmpty)
        let star = Self.preflight(CorsConfiguration(allowHeaders: ["*"]), method: "POST", requestHeaders: "x-anything")
        #expect(star["Access-Control-Allow-Headers"] == ["x-anything"])
    }

    @Test func preflightWithoutOriginOrWithUnknownOrigin() {
        let configuration = CorsConfiguration(allowOrigins: ["https://app.example.com"])
        #expect(Self.preflight(configuration, origin: nil, method: "GET").map(\.name) == ["Vary"])
        #expect(Self.preflight(configuration, origin: "https://evil.com", method: "GET").map(\.name) == ["Vary"])
    }

    @Test func privateNetwork() {
        let on = CorsConfiguration(allowPrivateNetwork: true)
        let headers = Self.preflight(on, method: "GET", privateNetwork: true)
        #expect(headers["Access-Control-Allow-Private-Network"] == ["true"])
        #expect(
            headers["Vary"] == [
                "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, "
                    + "Access-Control-Request-Private-Network"
            ]
        )
        #expect(Self.preflight(on, method: "GET")["Access-Control-Allow-Private-Network"].isEmpty)
        let off = Self.preflight(CorsConfiguration(), method: "GET", privateNetwork: true)
        #expect(off["Access-Control-Allow-Private-Network"].isEmpty)
    }

    @Test func preflightDetection() {
        var headers = HTTPHeaders()
        #expect(!CorsPolicy.isPreflight(method: .OPTIONS, headers: headers))
        headers.add(name: "Access-Control-Request-Method", value: "GET")
        #expect(CorsPolicy.isPreflight(method: .OPTIONS, headers: headers))
        #expect(!CorsPolicy.isPreflight(method: .GET, headers: headers))
    }

    @Test func subSecondMaxAgeSendsNoHeader() {
        #expect(
            Self.preflight(CorsConfiguration(maxAge: .milliseconds(500)), method: "GET")["Access-Control-Max-Age"]
                .isEmpty
        )
    }
}
