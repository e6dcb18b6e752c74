import Auth
import Foundation
import JWTKit
import MockBackend
import Testing

/// `auth/validator` end to end: a real gateway, a real JWKS served on loopback by a mock identity provider, real
/// backends; tokens minted in the test with the system clock.
@Suite("Auth integration")
struct AuthIntegrationTests {
    static let issuer = "https://idp.portico.test/"
    static let audience = "orders-api"
    static let jwksPath = "/.well-known/jwks.json"
    static let secretJWKSPath = "/hmac/jwks.json"

    /// Claims of a normal session token issued now; `extra` members are appended verbatim.
    static func sessionClaims(expiresIn: Int = 600, notBefore: Int? = nil, extra: String = "") -> String {
        let now = Int(Date().timeIntervalSince1970)
        let nbf = notBefore.map { #","nbf":\#(now + $0)"# } ?? ""
        return #"{"iss":"\#(issuer)","aud":["\#(audience)","billing"],"sub":"user-42","#
            + #""iat":\#(now),"exp":\#(now + expiresIn)\#(nbf)\#(extra)}"#
    }

    /// The claims of a user allowed on `/orders`: the role and the scope it requires.
    static func viewerClaims(expiresIn: Int = 600, notBefore: Int? = nil, extra: String = "") -> String {
        sessionClaims(
            expiresIn: expiresIn,
            notBefore: notBefore,
            extra: #","roles":["orders-viewer"],"scope":"profile orders:read""# + extra
        )
    }

    @Test("valid ES256, RS256, HS256 (oct) and EdDSA tokens pass; one JWKS download per key source")
    func validTokensForEveryAlgorithmFamily() async throws {
        let keys = [
            try await IssuerSigningKey.make(.es256, keyID: "idp-es256"),
            try await IssuerSigningKey.make(.rs256, keyID: "idp-rs256"),
            try await IssuerSigningKey.make(.hs256, keyID: "idp-hs256"),
            try await IssuerSigningKey.make(.edDSA, keyID: "idp-eddsa"),
        ]
        // Served from a file, as an identity provider's static JWKS would be. The HMAC secret lives in a JWKS of its
        // own: a set mixing a symmetric key with public keys has the symmetric one skipped (it could be forged with).
        let jwksFile = FileManager.default.temporaryDirectory.appendingPathComponent("portico-jwks-\(UUID()).json")
        try jwksDocument(keys.filter { !$0.algorithm.isSymmetric }).write(
            to: jwksFile,
            atomically: true,
            encoding: .utf8
        )
        defer { try? FileManager.default.removeItem(at: jwksFile) }
        let endpoints = keys.map { key in
            """
            {"endpoint": "/\(key.algorithm.rawValue.lowercased())/orders", "backend": [{"url_pattern": "/orders"}],
             "extra_config": {"auth/validator": {
                "alg": "\(key.algorithm.rawValue)",
                "jwk_url": "{{idp}}\(key.algorithm.isSymmetric ? Self.secretJWKSPath : Self.jwksPath)",
                "disable_jwk_security": true, "cache": true,
                "issuer": "\(Self.issuer)", "audience": ["\(Self.audience)"],
                "propagate_claims": [["sub", "X-User"]]}}}
            """
        }
        let harness = try await GatewayHarness.start(
            configuration:
                #"{"version": 3, "host": ["{{orders}}"], "endpoints": [\#(endpoints.joined(separator: ","))]}"#,
            backends: [
                "idp": [
                    .get(Self.jwksPath, .file(jwksFile.path, contentType: "application/jwk-set+json")),
                    .get(Self.secretJWKSPath, .json(jwksDocument(keys.filter(\.algorithm.isSymmetric)))),
                ],
                "orders": [.get("/orders", .json(#"{"orders":[{"id":1}]}"#))],
            ]
        )
        defer { Task { await harness.stop() } }
        let orders = harness.backend("orders")

        for key in keys {
            let path = "/\(key.algorithm.rawValue.lowercased())/orders"
            let token = try key.token(payload: Self.sessionClaims())
            let response = try await harness.request(.GET, path, headers: [("Authorization", "Bearer \(token)")])
            #expect(response.status == 200, "\(key.algorithm)")
            #expect(jsonEqual(response.json, parseJSON(#"{"orders":[{"id":1}]}"#)))
            #expect(orders.recordedRequests.last?.header("X-User") == "user-42", "\(key.algorithm)")
        }
        #expect(orders.requestCount == keys.count)
        // Four endpoints, two key sources: one download each at start-up, none on the request path.
        #expect(harness.backend("idp").requestCount == 2)

        // A token is valid only where its algorithm is allowed.
        let edToken = try keys[3].token(payload: Self.sessionClaims())
        let crossed = try await harness.request(
            .GET,
            "/es256/orders",
            headers: [("Authorization", "Bearer \(edToken)")]
        )
        #expect(crossed.status == 401)
        #expect(orders.requestCount == keys.count)
    }

    @Test("every attack class answers 401 or 403 with its challenge, and no backend is called")
    func attackClassesNeverReachTheBackend() async throws {
        let signing = try await IssuerSigningKey.make(.es256, keyID: "idp-es256")
        let rsa = try await IssuerSigningKey.make(.rs256, keyID: "idp-rs256")
        let attacker = try await IssuerSigningKey.make(.es256, keyID: "idp-es256")
        let harness = try await GatewayHarness.start(
            configuration: """
                {"version": 3, "host": ["{{orders}}"], "endpoints": [
                  {"endpoint": "/orders", "backend": [{"url_pattern": "/orders"}],
                   "extra_config": {"auth/validator": {
                      "alg": "ES256", "jwk_url": "{{idp}}\(Self.jwksPath)", "disable_jwk_security": true,
                      "cache": true, "issuer": "\(Self.issuer)", "audience": ["\(Self.audience)"],
                      "roles_key": "roles", "roles": ["orders-viewer", "orders-admin"],
                      "scopes_key": "scope", "scopes": ["orders:read"]}}},
                  {"endpoint": "/ledger", "backend": [{"url_pattern": "/orders"}],
                   "extra_config": {"auth/validator": {
                      "alg": ["RS256", "HS256"], "jwk_url": "{{idp}}\(Self.jwksPath)", "disable_jwk_security": true,
                      "cache": true, "issuer": "\(Self.issuer)"}}}]}
                """,
            backends: [
                "idp": [.get(Self.jwksPath, .json(jwksDocument([signing, rsa])))],
                "orders": [.get("/orders", .json(#"{"orders":[]}"#))],
            ]
        )
        defer { Task { await harness.stop() } }

        let valid = try signing.token(payload: Self.viewerClaims())
        let parts = valid.split(separator: ".").map(String.init)
        let encodedClaims = Base64URL.encode(Array(Self.viewerClaims().utf8))
        let noneHeader = Base64URL.encode(Array(#"{"alg":"none","kid":"idp-es256"}"#.utf8))
        // Algorithm confusion: HS256 keyed with the RSA key's public JWK, naming the RSA key's kid.
        let confusion = try await {
            let collection = JWTKeyCollection()
            await collection.add(hmac: HMACKey(from: Array(rsa.publicJWK.utf8)), digestAlgorithm: .sha256, kid: "rsa")
            let header = #"{"alg":"HS256","kid":"idp-rs256"}"#
            let input = Base64URL.encode(Array(header.utf8)) + "." + encodedClaims
            return input + "." + Base64URL.encode(try await collection.getKey(for: "rsa").sign(Array(input.utf8)))
        }()
        let invalidToken = #"Bearer error="invalid_token""#
        let insufficientScope = #"Bearer error="insufficient_scope""#
        let cases: [(name: String, path: String, authorization: String?, status: Int, challenge: String)] = [
            ("no token", "/orders", nil, 401, #"Bearer error="invalid_token""#),
            ("basic credentials", "/orders", "Basic b3JkZXJzOnNlY3JldA==", 401, #"Bearer error="invalid_token""#),
            ("alg none, unsigned", "/orders", "Bearer \(noneHeader).\(encodedClaims).", 401, invalidToken),
            ("alg none, signed", "/orders", "Bearer \(noneHeader).\(encodedClaims).\(parts[2])", 401, invalidToken),
            ("alg confusion RS256 → HS256", "/ledger", "Bearer \(confusion)", 401, invalidToken),
            (
                "wrong key, same kid", "/orders", "Bearer \(try attacker.token(payload: Self.viewerClaims()))", 401,
                invalidToken
            ),
            (
                "tampered payload", "/orders",
                "Bearer \(parts[0]).\(Base64URL.encode(Array(Self.viewerClaims(extra: #","admin":true"#).utf8))).\(parts[2])",
                401, invalidToken
            ),
            (
                "expired", "/orders", "Bearer \(try signing.token(payload: Self.viewerClaims(expiresIn: -120)))", 401,
                invalidToken
            ),
            (
                "not yet valid", "/orders",
                "Bearer \(try signing.token(payload: Self.viewerClaims(notBefore: 600)))", 401, invalidToken
            ),
            (
                "wrong issuer", "/orders",
                "Bearer \(try signing.token(payload: Self.viewerClaims().replacingOccurrences(of: Self.issuer, with: "https://evil.test/")))",
                401, invalidToken
            ),
            (
                "wrong audience", "/orders",
                "Bearer \(try signing.token(payload: Self.viewerClaims().replacingOccurrences(of: Self.audience, with: "payments-api")))",
                401, invalidToken
            ),
            (
                "unknown kid", "/orders",
                "Bearer \(try signing.token(header: #"{"alg":"ES256","kid":"rotated-away"}"#, payload: Self.viewerClaims()))",
                401, invalidToken
            ),
            (
                "crit header", "/orders",
                "Bearer \(try signing.token(header: #"{"alg":"ES256","kid":"idp-es256","crit":["exp"],"exp":1}"#, payload: Self.viewerClaims()))",
                401, invalidToken
            ),
            (
                "oversized (over max_token_size)", "/orders",
                "Bearer \(try signing.token(payload: Self.viewerClaims(extra: #","pad":"\#(String(repeating: "x", count: 9000))""#)))",
                401, invalidToken
            ),
            ("malformed base64url", "/orders", "Bearer \(parts[0])=.\(parts[1]).\(parts[2])", 401, invalidToken),
            (
                "malformed header JSON", "/orders",
                "Bearer \(Base64URL.encode(Array(#"{"alg":"ES256""#.utf8))).\(parts[1]).\(parts[2])", 401, invalidToken
            ),
            (
                "duplicate header member", "/orders",
                "Bearer \(try signing.token(header: #"{"alg":"ES256","kid":"idp-es256","kid":"other"}"#, payload: Self.viewerClaims()))",
                401, invalidToken
            ),
            (
                "duplicate claim", "/orders",
                "Bearer \(try signing.token(payload: Self.viewerClaims(extra: #","sub":"admin""#)))", 401, invalidToken
            ),
            (
                "missing role", "/orders",
                "Bearer \(try signing.token(payload: Self.sessionClaims(extra: #","roles":["guest"],"scope":"orders:read""#)))",
                403, insufficientScope
            ),
            (
                "missing scope", "/orders",
                "Bearer \(try signing.token(payload: Self.sessionClaims(extra: #","roles":["orders-admin"],"scope":"profile""#)))",
                403, insufficientScope
            ),
        ]
        for attack in cases {
            let headers = attack.authorization.map { [("Authorization", $0)] } ?? []
            let response = try await harness.request(.GET, attack.path, headers: headers)
            #expect(response.status == attack.status, "\(attack.name)")
            #expect(response.header("WWW-Authenticate") == attack.challenge, "\(attack.name)")
            #expect(response.body.isEmpty, "\(attack.name)")
        }
        #expect(harness.backend("orders").requestCount == 0)

        // The same endpoint admits the genuine token, so the zero above is the validator's doing.
        let admitted = try await harness.request(.GET, "/orders", headers: [("Authorization", "Bearer \(valid)")])
        #expect(admitted.status == 200)
        #expect(harness.backend("orders").requestCount == 1)
    }

    @Test("claims reach the backend as headers next to X-Forwarded-*; forged claim headers are stripped everywhere")
    func claimsArePropagatedAndForgeriesStripped() async throws {
        let signing = try await IssuerSigningKey.make(.es256, keyID: "idp-es256")
        let harness = try await GatewayHarness.start(
            configuration: """
                {"version": 3, "host": ["{{profiles}}"], "endpoints": [
                  {"endpoint": "/profile", "input_headers": ["*"], "backend": [{"url_pattern": "/profile"}],
                   "extra_config": {"auth/validator": {
                      "alg": "ES256", "jwk_url": "{{idp}}\(Self.jwksPath)", "disable_jwk_security": true,
                      "cache": true, "issuer": "\(Self.issuer)",
                      "propagate_claims": [["sub", "X-User"], ["roles", "X-Roles"], ["tenant.id", "X-Tenant"],
                                           ["department", "X-Department"]]}}},
                  {"endpoint": "/public", "input_headers": ["*"], "backend": [{"url_pattern": "/profile"}]}]}
                """,
            backends: [
                "idp": [.get(Self.jwksPath, .json(jwksDocument([signing])))],
                "profiles": [.get("/profile", .json(#"{"name":"Ada"}"#))],
            ]
        )
        defer { Task { await harness.stop() } }
        let profiles = harness.backend("profiles")
        let token = try signing.token(
            payload: Self.sessionClaims(extra: #","roles":["orders-viewer","orders-admin"],"tenant":{"id":"acme"}"#)
        )

        let forged: [(String, String)] = [("X-User", "admin"), ("x-tenant", "other-tenant"), ("X-Roles", "root")]
        let protected = try await harness.request(
            .GET,
            "/profile",
            headers: [("Authorization", "Bearer \(token)")] + forged
        )
        #expect(protected.status == 200)
        let seen = try #require(profiles.recordedRequests.last)
        #expect(seen.headers(named: "X-User") == ["user-42"])
        #expect(seen.headers(named: "X-Roles") == ["orders-viewer,orders-admin"])
        #expect(seen.headers(named: "X-Tenant") == ["acme"])
        // A claim the token lacks is sent empty (as KrakenD), which also overrides any client value.
        #expect(seen.headers(named: "X-Department") == [""])
        #expect(seen.header("X-Forwarded-For") == "127.0.0.1")
        #expect(seen.header("X-Forwarded-Host") == "127.0.0.1:\(harness.port)")

        // An unprotected route forwarding every header still never passes a forged claim header on.
        let open = try await harness.request(.GET, "/public", headers: forged + [("X-Request-Id", "r-1")])
        #expect(open.status == 200)
        let unprotected = try #require(profiles.recordedRequests.last)
        #expect(unprotected.header("X-Request-Id") == "r-1")
        #expect(unprotected.header("X-User") == nil)
        #expect(unprotected.header("X-Tenant") == nil)
        #expect(unprotected.header("X-Roles") == nil)
    }

    @Test("the token is taken from the configured cookie when no bearer header is sent")
    func cookieToken() async throws {
        let signing = try await IssuerSigningKey.make(.edDSA, keyID: "idp-eddsa")
        let harness = try await GatewayHarness.start(
            configuration: """
                {"version": 3, "host": ["{{orders}}"], "endpoints": [
                  {"endpoint": "/orders", "backend": [{"url_pattern": "/orders"}],
                   "extra_config": {"auth/validator": {
                      "alg": "EdDSA", "jwk_url": "{{idp}}\(Self.jwksPath)", "disable_jwk_security": true,
                      "cookie_key": "session_jwt", "propagate_claims": [["sub", "X-User"]]}}}]}
                """,
            backends: [
                "idp": [.get(Self.jwksPath, .json(jwksDocument([signing])))],
                "orders": [.get("/orders", .json(#"{"orders":[]}"#))],
            ]
        )
        defer { Task { await harness.stop() } }
        let token = try signing.token(payload: Self.sessionClaims())

        let fromCookie = try await harness.request(
            .GET,
            "/orders",
            headers: [("Cookie", "theme=dark; session_jwt=\(token)")]
        )
        #expect(fromCookie.status == 200)
        #expect(harness.backend("orders").recordedRequests.last?.header("X-User") == "user-42")

        let otherCookie = try await harness.request(.GET, "/orders", headers: [("Cookie", "access_token=\(token)")])
        #expect(otherCookie.status == 401)
        #expect(otherCookie.header("WWW-Authenticate") == #"Bearer error="invalid_token""#)
        #expect(harness.backend("orders").requestCount == 1)
    }
}
