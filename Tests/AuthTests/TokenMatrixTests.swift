import Auth
import Foundation
import JWTKit
import Testing

/// One validator per algorithm, fed tokens minted in the test: valid ones must pass, each attack class must fail.
@Suite("Token matrix")
struct TokenMatrixTests {
    static let issuer = "https://idp.portico.test/"
    static let audience = "orders-api"

    struct Fixture {
        let clock: ManualClock
        let key: TestIssuerKey
        let validator: JWTValidator

        var now: Int { Int(clock.now()) }

        /// Claims of a normal session token; `extra` members are appended verbatim.
        func payload(expiresIn: Int = 600, extra: String = "") -> String {
            #"{"iss":"\#(TokenMatrixTests.issuer)","aud":["\#(TokenMatrixTests.audience)","billing"],"sub":"user-42","#
                + #""iat":\#(now),"exp":\#(now + expiresIn)\#(extra)}"#
        }

        func validate(_ token: String) async -> ValidationResult {
            await validator.validate(authorization: "Bearer " + token, cookieHeader: nil)
        }
    }

    static func makeFixture(
        _ algorithm: SignatureAlgorithm,
        configure: (inout JWTValidatorConfiguration) -> Void = { _ in }
    ) async throws -> Fixture {
        let clock = ManualClock()
        let key = try await TestIssuerKey.make(algorithm)
        let keySet = try await KeySet.parse(jwks: Array(jwks([key.publicJWK]).utf8))
        #expect(keySet.keys.count == 1)
        var configuration = JWTValidatorConfiguration(algorithms: [algorithm], jwkLocalPath: "/unused")
        configuration.issuer = issuer
        configuration.audience = [audience]
        configure(&configuration)
        let validator = JWTValidator(
            configuration: configuration,
            keyProvider: KeySetProvider(keySet: keySet, clock: clock),
            clock: clock
        )
        return Fixture(clock: clock, key: key, validator: validator)
    }

    @Test("a valid token is accepted", arguments: SignatureAlgorithm.allCases)
    func validTokenIsAccepted(algorithm: SignatureAlgorithm) async throws {
        let fixture = try await Self.makeFixture(algorithm)
        let result = await fixture.validate(try fixture.key.token(payload: fixture.payload()))
        #expect(result.status == 200)
        #expect(result.claims?["sub"] == .string("user-42"))
        // The synchronous fast path agrees.
        let token = try fixture.key.token(payload: fixture.payload())
        #expect(
            fixture.validator.validateSynchronously(authorization: "Bearer " + token, cookieHeader: nil).status == 200
        )
    }

    @Test("a tampered payload is rejected", arguments: SignatureAlgorithm.allCases)
    func tamperedPayloadIsRejected(algorithm: SignatureAlgorithm) async throws {
        let fixture = try await Self.makeFixture(algorithm)
        let token = try fixture.key.token(payload: fixture.payload())
        var parts = token.split(separator: ".").map(String.init)
        parts[1] = Base64URL.encode(Array(fixture.payload(extra: #","admin":true"#).utf8))
        let result = await fixture.validate(parts.joined(separator: "."))
        #expect(result == .unauthorized(.invalidSignature))
        #expect(result.wwwAuthenticate == #"Bearer error="invalid_token""#)
    }

    @Test("a token signed by another key with the same kid is rejected", arguments: SignatureAlgorithm.allCases)
    func wrongKeyIsRejected(algorithm: SignatureAlgorithm) async throws {
        let fixture = try await Self.makeFixture(algorithm)
        let attacker = try await TestIssuerKey.make(
            algorithm,
            keyID: fixture.key.keyID,
            rsaPEM: RSAFixtures.attackerKeyPEM
        )
        if algorithm.isSymmetric {
            // The test HMAC secret is deterministic; a different secret stands for the attacker's.
            let forged = try fixture.key.token(payload: fixture.payload())
            let flipped = String(forged.dropLast()) + (forged.hasSuffix("A") ? "B" : "A")
            #expect(await fixture.validate(flipped).status == 401)
        } else {
            #expect(
                await fixture.validate(try attacker.token(payload: fixture.payload()))
                    == .unauthorized(.invalidSignature)
            )
        }
    }

    @Test("alg none is refused, whatever its spelling")
    func algNoneIsRefused() async throws {
        let fixture = try await Self.makeFixture(.rs256)
        for spelling in ["none", "None", "NONE", "nOnE"] {
            let header = Base64URL.encode(Array(#"{"alg":"\#(spelling)","kid":"issuer-rs256"}"#.utf8))
            let payload = Base64URL.encode(Array(fixture.payload().utf8))
            for token in ["\(header).\(payload).", "\(header).\(payload).c2ln"] {
                let result = await fixture.validate(token)
                #expect(result.status == 401, "alg \(spelling)")
            }
        }
    }

    @Test("an RSA public key is never used as an HMAC secret (algorithm confusion)")
    func algorithmConfusionIsRefused() async throws {
        let fixture = try await Self.makeFixture(.rs256) { $0.algorithms = [.rs256, .hs256] }
        // The attacker signs HS256 using the RSA public key (as published) as the HMAC secret.
        let collection = JWTKeyCollection()
        await collection.add(
            hmac: HMACKey(from: Array(fixture.key.publicJWK.utf8)),
            digestAlgorithm: .sha256,
            kid: "confused"
        )
        let confused = try await collection.getKey(for: "confused")
        let header = #"{"alg":"HS256","kid":"issuer-rs256"}"#
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(fixture.payload().utf8))
        let forged = signingInput + "." + Base64URL.encode(try confused.sign(Array(signingInput.utf8)))
        #expect(await fixture.validate(forged) == .unauthorized(.algorithmMismatch))
    }

    @Test("a header alg outside the endpoint's list is refused before any key is used")
    func algorithmOutsideAllowListIsRefused() async throws {
        let fixture = try await Self.makeFixture(.rs256)
        let ps = try await TestIssuerKey.make(.ps256, keyID: "issuer-rs256")
        #expect(
            await fixture.validate(try ps.token(payload: fixture.payload()))
                == .unauthorized(.malformedToken(.algorithmNotAllowed("PS256")))
        )
    }

    @Test("expired, not yet valid and future-issued tokens are refused; leeway applies")
    func timeClaims() async throws {
        let fixture = try await Self.makeFixture(.es256)
        let now = fixture.now
        let expired = try fixture.key.token(payload: fixture.payload(expiresIn: -2))
        #expect(await fixture.validate(expired) == .unauthorized(.expired))
        let withinLeeway = try fixture.key.token(payload: fixture.payload(expiresIn: 0))
        #expect(await fixture.validate(withinLeeway).status == 200)
        let notYetValid = try fixture.key.token(payload: fixture.payload(extra: #","nbf":\#(now + 60)"#))
        #expect(await fixture.validate(notYetValid) == .unauthorized(.notYetValid))
        let futureIssued = try fixture.key.token(
            payload: #"{"iss":"\#(Self.issuer)","aud":"\#(Self.audience)","iat":\#(now + 60),"exp":\#(now + 600)}"#
        )
        #expect(await fixture.validate(futureIssued) == .unauthorized(.issuedInTheFuture))
        fixture.clock.advance(by: 700)
        let wasValid = try fixture.key.token(
            payload: #"{"iss":"\#(Self.issuer)","aud":"\#(Self.audience)","exp":\#(now + 600)}"#
        )
        #expect(await fixture.validate(wasValid) == .unauthorized(.expired))
    }

    @Test("exp is required unless configured otherwise; absurd lifetimes are refused when capped")
    func expirationRules() async throws {
        let strict = try await Self.makeFixture(.es256) { $0.maxTokenLifetime = 3600 }
        let noExp = #"{"iss":"\#(Self.issuer)","aud":"\#(Self.audience)"}"#
        #expect(await strict.validate(try strict.key.token(payload: noExp)) == .unauthorized(.missingExpiration))
        let absurd = try strict.key.token(payload: strict.payload(expiresIn: 10 * 365 * 86_400))
        #expect(await strict.validate(absurd) == .unauthorized(.lifetimeTooLong))
        let stringExp = #"{"iss":"\#(Self.issuer)","aud":"\#(Self.audience)","exp":"tomorrow"}"#
        #expect(await strict.validate(try strict.key.token(payload: stringExp)) == .unauthorized(.invalidClaim("exp")))

        let lenient = try await Self.makeFixture(.es256) { $0.requireExpiration = false }
        #expect(await lenient.validate(try lenient.key.token(payload: noExp)).status == 200)
    }

    @Test("issuer must match exactly; audience follows go-jose (all configured audiences present)")
    func issuerAndAudience() async throws {
        let fixture = try await Self.makeFixture(.es256)
        let now = fixture.now
        let wrongIssuer = #"{"iss":"https://idp.portico.test","aud":"\#(Self.audience)","exp":\#(now + 60)}"#
        #expect(await fixture.validate(try fixture.key.token(payload: wrongIssuer)) == .unauthorized(.issuerMismatch))
        let wrongAudience = #"{"iss":"\#(Self.issuer)","aud":["billing"],"exp":\#(now + 60)}"#
        #expect(
            await fixture.validate(try fixture.key.token(payload: wrongAudience)) == .unauthorized(.audienceMismatch)
        )
        let missingAudience = #"{"iss":"\#(Self.issuer)","exp":\#(now + 60)}"#
        #expect(
            await fixture.validate(try fixture.key.token(payload: missingAudience)) == .unauthorized(.audienceMismatch)
        )
        let singleAudience = #"{"iss":"\#(Self.issuer)","aud":"\#(Self.audience)","exp":\#(now + 60)}"#
        #expect(await fixture.validate(try fixture.key.token(payload: singleAudience)).status == 200)

        let both = try await Self.makeFixture(.es256) { $0.audience = ["orders-api", "billing"] }
        let onlyOne = #"{"iss":"\#(Self.issuer)","aud":"orders-api","exp":\#(both.now + 60)}"#
        #expect(await both.validate(try both.key.token(payload: onlyOne)) == .unauthorized(.audienceMismatch))
        #expect(await both.validate(try both.key.token(payload: both.payload())).status == 200)
    }

    @Test("an unknown kid, or a missing kid, never falls back to another key")
    func unknownKeyID() async throws {
        let fixture = try await Self.makeFixture(.es256)
        let unknown = try fixture.key.token(
            header: #"{"alg":"ES256","kid":"rotated-away"}"#,
            payload: fixture.payload()
        )
        #expect(await fixture.validate(unknown) == .unauthorized(.unknownKey))
        let missing = try fixture.key.token(header: #"{"alg":"ES256"}"#, payload: fixture.payload())
        #expect(await fixture.validate(missing) == .unauthorized(.unknownKey))
    }

    @Test("crit headers are refused; key-fetching headers are ignored")
    func headerRules() async throws {
        let fixture = try await Self.makeFixture(.es256)
        let crit = try fixture.key.token(
            header: #"{"alg":"ES256","kid":"issuer-es256","crit":["exp"],"exp":1}"#,
            payload: fixture.payload()
        )
        #expect(await fixture.validate(crit) == .unauthorized(.malformedToken(.unsupportedCriticalHeader)))
        // jku/x5u/jwk pointing at attacker material change nothing: the configured key still decides.
        let hostile = try fixture.key.token(
            header:
                #"{"alg":"ES256","kid":"issuer-es256","jku":"https://attacker.test/jwks","x5u":"https://attacker.test/cert","#
                + #""jwk":{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}}"#,
            payload: fixture.payload()
        )
        #expect(await fixture.validate(hostile).status == 200)
        let attacker = try await TestIssuerKey.make(.es256, keyID: "issuer-es256")
        let embedded = try attacker.token(
            header: #"{"alg":"ES256","kid":"issuer-es256","jwk":{\#(attacker.publicMembers)}}"#,
            payload: fixture.payload()
        )
        #expect(await fixture.validate(embedded) == .unauthorized(.invalidSignature))
    }

    @Test("oversized, malformed, JWE and JSON-serialized tokens are refused")
    func structuralRules() async throws {
        let fixture = try await Self.makeFixture(.es256)
        let padding = String(repeating: "x", count: 9000)
        let oversized = try fixture.key.token(payload: fixture.payload(extra: #","pad":"\#(padding)""#))
        #expect(await fixture.validate(oversized) == .unauthorized(.malformedToken(.tooLarge)))

        let valid = try fixture.key.token(payload: fixture.payload())
        let parts = valid.split(separator: ".").map(String.init)
        let cases: [(String, CompactJWS.Failure)] = [
            (parts[0] + "." + parts[1], .malformed),
            (valid + ".", .malformed),
            ("a.b.c.d.e", .encryptedTokenRefused),
            (#"{"payload":"e30","signatures":[]}"#, .jsonSerializationRefused),
            (parts[0] + "=." + parts[1] + "." + parts[2], .invalidBase64URL),
            (parts[0] + "." + parts[1].replacingOccurrences(of: "-", with: "+") + "+." + parts[2], .invalidBase64URL),
            (parts[0] + " ." + parts[1] + "." + parts[2], .invalidBase64URL),
            (Base64URL.encode(Array("[1]".utf8)) + "." + parts[1] + "." + parts[2], .invalidHeader),
            (Base64URL.encode(Array("{\"alg\":\"ES256\"".utf8)) + "." + parts[1] + "." + parts[2], .invalidHeader),
        ]
        for (token, failure) in cases {
            #expect(await fixture.validate(token) == .unauthorized(.malformedToken(failure)), "\(token.prefix(40))")
        }
        // A non-canonical final character (unused bits set) in the signature segment.
        let last = parts[2].last ?? "A"
        let sibling: Character = last == "A" ? "B" : "A"
        let noncanonical = parts[0] + "." + parts[1] + "." + parts[2].dropLast() + String(sibling)
        #expect(await fixture.validate(noncanonical).status == 401)
    }

    @Test("duplicate members, non-object payloads and invalid UTF-8 are refused")
    func strictJSON() async throws {
        let fixture = try await Self.makeFixture(.es256)
        let duplicateHeader = try fixture.key.token(
            header: #"{"alg":"ES256","kid":"issuer-es256","kid":"other"}"#,
            payload: fixture.payload()
        )
        #expect(await fixture.validate(duplicateHeader) == .unauthorized(.malformedToken(.invalidHeader)))
        let duplicateClaim = try fixture.key.token(payload: fixture.payload(extra: #","sub":"admin""#))
        #expect(await fixture.validate(duplicateClaim) == .unauthorized(.invalidPayload))
        let arrayPayload = try fixture.key.token(payload: "[1,2]")
        #expect(await fixture.validate(arrayPayload) == .unauthorized(.invalidPayload))
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let deepPayload = try fixture.key.token(payload: fixture.payload(extra: #","deep":\#(deep)"#))
        #expect(await fixture.validate(deepPayload) == .unauthorized(.invalidPayload))
        let header = Base64URL.encode(Array(#"{"alg":"ES256","kid":"issuer-es256"}"#.utf8))
        let badUTF8 = Base64URL.encode(Array(#"{"sub":""#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8))
        let signingInput = header + "." + badUTF8
        let token = signingInput + "." + Base64URL.encode(try fixture.key.signer.sign(Array(signingInput.utf8)))
        #expect(await fixture.validate(token) == .unauthorized(.invalidPayload))
    }

    @Test("missing roles or scopes answer 403 insufficient_scope")
    func rolesAndScopes() async throws {
        let fixture = try await Self.makeFixture(.es256) {
            $0.rolesKey = "realm_access.roles"
            $0.rolesKeyIsNested = true
            $0.roles = ["orders-admin", "orders-viewer"]
            $0.scopesKey = "scope"
            $0.scopes = ["orders:read", "orders:write"]
            $0.scopesMatcher = .all
        }
        let granted = fixture.payload(
            extra: #","realm_access":{"roles":["orders-viewer"]},"scope":"profile orders:read orders:write""#
        )
        #expect(await fixture.validate(try fixture.key.token(payload: granted)).status == 200)
        let noRole = fixture.payload(extra: #","realm_access":{"roles":["guest"]},"scope":"orders:read orders:write""#)
        let noRoleResult = await fixture.validate(try fixture.key.token(payload: noRole))
        #expect(noRoleResult == .forbidden(.missingRole))
        #expect(noRoleResult.wwwAuthenticate == #"Bearer error="insufficient_scope""#)
        let oneScope = fixture.payload(extra: #","realm_access":{"roles":["orders-admin"]},"scope":["orders:read"]"#)
        #expect(await fixture.validate(try fixture.key.token(payload: oneScope)) == .forbidden(.missingScope))
        let arrayScopes = fixture.payload(
            extra: #","realm_access":{"roles":["orders-admin"]},"scope":["orders:write","orders:read"]"#
        )
        #expect(await fixture.validate(try fixture.key.token(payload: arrayScopes)).status == 200)
    }

    @Test("token from the configured cookie; missing token answers bare Bearer")
    func tokenSources() async throws {
        let fixture = try await Self.makeFixture(.es256) { $0.cookieKey = "session_jwt" }
        let token = try fixture.key.token(payload: fixture.payload())
        let fromCookie = await fixture.validator.validate(
            authorization: nil,
            cookieHeader: "theme=dark; session_jwt=\(token)"
        )
        #expect(fromCookie.status == 200)
        let missing = await fixture.validator.validate(authorization: "Basic dXNlcjpwYXNz", cookieHeader: "theme=dark")
        #expect(missing == .unauthorized(.missingToken))
        #expect(missing.wwwAuthenticate == "Bearer error=\"invalid_token\"")
        let lowercaseScheme = await fixture.validator.validate(authorization: "bearer " + token, cookieHeader: nil)
        #expect(lowercaseScheme.status == 200)
    }
}
