import Auth
import MockBackend
import NIOCore
import Testing

@testable import Gateway

/// The JWKS lifecycle through a real gateway: start-up with the identity provider down, outages with cached keys,
/// key rotation, the unknown-`kid` cooldown, and configuration errors. Time is a manual clock (tokens and cache ages
/// alike), so nothing sleeps for time to pass.
@Suite("Auth key set integration")
struct AuthKeySetIntegrationTests {
    static let jwksPath = "/.well-known/jwks.json"

    /// Portico's service namespaces plus `auth/validator` on `clock` (the standard registry uses the system clock).
    static func extensions(clock: ManualAuthClock) -> GatewayExtensions {
        var extensions = GatewayExtensions()
        extensions.registerNamespace("router")
        extensions.registerNamespace("portico/http")
        extensions.registerEndpointStage(
            namespace: JWTValidatorConfiguration.namespace,
            position: .authentication,
            factory: JWTValidationMiddleware.makeFactory(clock: clock)
        )
        return extensions
    }

    /// One protected `/orders` endpoint; `validator` members are spliced into its `auth/validator` object.
    static func configuration(validator: String = "") -> String {
        """
        {"version": 3, "host": ["{{orders}}"], "endpoints": [
          {"endpoint": "/orders", "backend": [{"url_pattern": "/orders"}],
           "extra_config": {"auth/validator": {
              "alg": "ES256", "jwk_url": "{{idp}}\(jwksPath)", "disable_jwk_security": true\(validator)}}}]}
        """
    }

    static func bearer(_ key: IssuerSigningKey, clock: ManualAuthClock) throws -> [(String, String)] {
        let now = Int(clock.now())
        return [("Authorization", "Bearer " + (try key.token(payload: #"{"sub":"user-42","exp":\#(now + 3600)}"#)))]
    }

    /// Waits (bounded) until the identity provider has answered `count` downloads: a real event on a real socket.
    static func waitForDownloads(_ idp: MockBackendServer, count: Int) async throws {
        for _ in 0..<500 where idp.requestCount < count { try await Task.sleep(for: .milliseconds(10)) }
        #expect(idp.requestCount >= count)
    }

    @Test("an outage after start-up: stale cached keys keep validating while refreshes fail")
    func cachedKeysSurviveAnOutage() async throws {
        let clock = ManualAuthClock()
        let signing = try await IssuerSigningKey.make(.es256, keyID: "idp-es256")
        let harness = try await GatewayHarness.start(
            configuration: Self.configuration(validator: #", "cache": true, "cache_duration": 60"#),
            backends: [
                "idp": [.get(Self.jwksPath, .json(jwksDocument([signing])))],
                "orders": [.get("/orders", .json(#"{"orders":[]}"#))],
            ],
            extensions: Self.extensions(clock: clock)
        )
        defer { Task { await harness.stop() } }
        let idp = harness.backend("idp")
        #expect(try await harness.request(.GET, "/orders", headers: Self.bearer(signing, clock: clock)).status == 200)
        #expect(idp.requestCount == 1)

        idp.setFailure(.status(503))
        clock.advance(by: 120)
        // The set is now older than cache_duration: this request starts a background refresh and is not held up.
        #expect(try await harness.request(.GET, "/orders", headers: Self.bearer(signing, clock: clock)).status == 200)
        try await Self.waitForDownloads(idp, count: 2)
        #expect(try await harness.request(.GET, "/orders", headers: Self.bearer(signing, clock: clock)).status == 200)
        #expect(harness.backend("orders").requestCount == 3)
    }

    @Test("the identity provider down at start-up: the gateway serves 401s, then validates once keys load")
    func identityProviderDownAtStartUp() async throws {
        let clock = ManualAuthClock()
        let signing = try await IssuerSigningKey.make(.es256, keyID: "idp-es256")
        let harness = try await GatewayHarness.start(
            configuration: Self.configuration(),
            backends: [
                "idp": [.get(Self.jwksPath, .status(503))],
                "orders": [.get("/orders", .json(#"{"orders":[]}"#))],
            ],
            extensions: Self.extensions(clock: clock)
        )
        defer { Task { await harness.stop() } }
        let idp = harness.backend("idp")
        #expect(idp.requestCount == 1)

        let refused = try await harness.request(.GET, "/orders", headers: Self.bearer(signing, clock: clock))
        #expect(refused.status == 401)
        #expect(refused.header("WWW-Authenticate") == #"Bearer error="invalid_token""#)
        // Within the cooldown no download is attempted, however many requests arrive.
        #expect(idp.requestCount == 1)

        idp.setRoutes([.get(Self.jwksPath, .json(jwksDocument([signing])))])
        clock.advance(by: 2)
        // This request triggers the download and waits for it (bounded by the endpoint timeout).
        let admitted = try await harness.request(.GET, "/orders", headers: Self.bearer(signing, clock: clock))
        #expect(admitted.status == 200)
        #expect(idp.requestCount == 2)
        #expect(harness.backend("orders").requestCount == 1)
    }

    @Test("a rotated key is accepted on its first request; random kids cost one download per cooldown")
    func keyRotationAndUnknownKeyCooldown() async throws {
        let clock = ManualAuthClock()
        let current = try await IssuerSigningKey.make(.es256, keyID: "idp-2026")
        let next = try await IssuerSigningKey.make(.es256, keyID: "idp-2027")
        let harness = try await GatewayHarness.start(
            configuration: Self.configuration(validator: #", "cache": true, "failed_jwk_key_cooldown": "5s""#),
            backends: [
                "idp": [.get(Self.jwksPath, .json(jwksDocument([current])))],
                "orders": [.get("/orders", .json(#"{"orders":[]}"#))],
            ],
            extensions: Self.extensions(clock: clock)
        )
        defer { Task { await harness.stop() } }
        let idp = harness.backend("idp")

        // A flood of unknown kids within the cooldown: all 401 at once, no download.
        for attempt in 0..<5 {
            let forged = try current.token(
                header: #"{"alg":"ES256","kid":"random-\#(attempt)"}"#,
                payload: #"{"sub":"user-42","exp":\#(Int(clock.now()) + 60)}"#
            )
            let response = try await harness.request(.GET, "/orders", headers: [("Authorization", "Bearer \(forged)")])
            #expect(response.status == 401)
        }
        #expect(idp.requestCount == 1)

        // The provider rotates; after the cooldown the first token signed with the new key triggers one download
        // and is accepted.
        idp.setRoutes([.get(Self.jwksPath, .json(jwksDocument([current, next])))])
        clock.advance(by: 6)
        #expect(try await harness.request(.GET, "/orders", headers: Self.bearer(next, clock: clock)).status == 200)
        #expect(idp.requestCount == 2)
        #expect(try await harness.request(.GET, "/orders", headers: Self.bearer(current, clock: clock)).status == 200)
        #expect(idp.requestCount == 2)
    }

    @Test("disable_jwk_security with an unreachable https JWKS: start-up continues, 401s, clean stop")
    func insecureClientIsOwnedAndShutDown() async throws {
        let clock = ManualAuthClock()
        let signing = try await IssuerSigningKey.make(.es256, keyID: "idp-es256")
        let harness = try await GatewayHarness.start(
            configuration: """
                {"version": 3, "host": ["{{orders}}"], "endpoints": [
                  {"endpoint": "/orders", "backend": [{"url_pattern": "/orders"}],
                   "extra_config": {"auth/validator": {
                      "alg": "ES256", "jwk_url": "https://127.0.0.1:1/jwks.json", "disable_jwk_security": true}}}]}
                """,
            backends: ["orders": [.get("/orders", .json(#"{"orders":[]}"#))]],
            extensions: Self.extensions(clock: clock)
        )
        #expect(try await harness.request(.GET, "/orders", headers: Self.bearer(signing, clock: clock)).status == 401)
        #expect(harness.backend("orders").requestCount == 0)
        // stop() runs the shutdown task that closes the insecure client; a leaked client would trap at deinit.
        await harness.stop()
    }

    @Test("a gateway only built (as `portico check` does) with an insecure https JWKS owns no client to leak")
    func builtButNeverStartedGatewayOwnsNoClient() throws {
        let loaded = try ConfigurationLoader(
            knownNamespaces: GatewayExtensions.standard.knownNamespaces,
            environment: [:]
        )
        .load(
            text: """
                {"version": 3, "host": ["http://127.0.0.1:9"], "endpoints": [
                  {"endpoint": "/orders", "backend": [{"url_pattern": "/orders"}],
                   "extra_config": {"auth/validator": {
                      "jwk_url": "https://idp.portico.test/jwks", "disable_jwk_security": true}}}]}
                """,
            fileName: "portico.json"
        )
        // AsyncHTTPClient traps in debug builds when a client is released without shutdown; reaching the end is
        // the assertion.
        for _ in 0..<2 { _ = try Gateway(configuration: loaded) }
        #expect(loaded.endpoints.count == 1)
    }

    @Test(
        "invalid auth/validator blocks are start-up errors naming the JSON path",
        arguments: [
            (#""alg": "RS256""#, "jwk_url"),
            (#""alg": "none", "jwk_url": "https://idp.portico.test/jwks""#, "alg"),
            (#""jwk_url": "http://idp.portico.test/jwks""#, "jwk_url"),
            (#""jwk_url": "https://idp.portico.test/jwks", "cache_duration": 0"#, "cache_duration"),
            (#""jwk_url": "https://idp.portico.test/jwks", "propagate_claims": [["sub"]]"#, "propagate_claims"),
            (#""jwk_url": "https://idp.portico.test/jwks", "leeway": "soon""#, "leeway"),
        ]
    )
    func invalidConfigurationIsRejected(members: String, field: String) throws {
        let text = """
            {"version": 3, "host": ["http://127.0.0.1:9"], "endpoints": [
              {"endpoint": "/orders", "backend": [{"url_pattern": "/orders"}],
               "extra_config": {"auth/validator": {\(members)}}}]}
            """
        let loaded = try ConfigurationLoader(
            knownNamespaces: GatewayExtensions.standard.knownNamespaces,
            environment: [:]
        )
        .load(text: text, fileName: "portico.json")
        let error = try #require(throws: ConfigurationError.self) { try Gateway(configuration: loaded) }
        let message = error.description
        #expect(message.contains("portico.json: endpoints[0].extra_config"), "\(message)")
        #expect(message.contains("auth/validator"), "\(message)")
        #expect(message.contains(field), "\(message)")
    }
}
