import Auth
import Foundation
import Testing

@Suite("auth/validator configuration")
struct ConfigurationTests {
    static func decode(_ json: String) throws -> JWTValidatorConfiguration {
        try JSONDecoder().decode(JWTValidatorConfiguration.self, from: Data(json.utf8))
    }

    @Test("KrakenD defaults")
    func defaults() throws {
        let configuration = try Self.decode(#"{"jwk_url": "https://idp.portico.test/jwks.json"}"#)
        try configuration.validate()
        #expect(JWTValidatorConfiguration.namespace == "auth/validator")
        #expect(configuration.algorithms == [.rs256])
        #expect(configuration.cache == false)
        #expect(configuration.cacheDuration == 900)
        #expect(configuration.scopesMatcher == .any)
        #expect(configuration.cookieKey == "access_token")
        #expect(configuration.keyIdentifyStrategy == .keyID)
        #expect(configuration.leeway == 1)
        #expect(configuration.maxTokenSize == 8192)
        #expect(configuration.requireExpiration)
    }

    @Test("every key decodes; alg may be an array")
    func fullConfiguration() throws {
        let configuration = try Self.decode(
            #"""
            {"alg": ["ES256", "EdDSA"], "jwk_local_path": "./jwks.json", "cache": true, "cache_duration": 60,
             "audience": ["orders-api"], "issuer": "https://idp.portico.test/", "roles_key": "realm_access.roles",
             "roles_key_is_nested": true, "roles": ["admin"], "scopes_key": "scope", "scopes": ["orders:read"],
             "scopes_matcher": "all", "propagate_claims": [["sub", "x-user"], ["realm_access.roles", "x-roles"]],
             "cookie_key": "session", "disable_jwk_security": false, "key_identify_strategy": "x5t#S256",
             "operation_debug": true, "failed_jwk_key_cooldown": "1m30s", "leeway": "1500ms",
             "max_token_size": 4096, "require_exp": false, "max_token_lifetime": "24h"}
            """#
        )
        try configuration.validate()
        #expect(configuration.algorithms == [.es256, .edDSA])
        #expect(configuration.propagateClaims.map(\.header) == ["x-user", "x-roles"])
        #expect(configuration.failedJWKKeyCooldown == 90)
        #expect(configuration.leeway == 2)
        #expect(configuration.maxTokenLifetime == 86_400)
        #expect(configuration.keyIdentifyStrategy == .x5tS256)
        #expect(configuration.scopesMatcher == .all)
    }

    @Test(
        "invalid values are refused at decode time",
        arguments: [
            #"{"alg": "none", "jwk_url": "https://idp.portico.test/"}"#,
            #"{"alg": ["RS256", "HS1"], "jwk_url": "https://idp.portico.test/"}"#,
            #"{"jwk_url": "https://idp.portico.test/", "scopes_matcher": "some"}"#,
            #"{"jwk_url": "https://idp.portico.test/", "key_identify_strategy": "thumbprint"}"#,
            #"{"jwk_url": "https://idp.portico.test/", "propagate_claims": [["sub"]]}"#,
            #"{"jwk_url": "https://idp.portico.test/", "leeway": "soon"}"#,
            #"{"jwk_url": "https://idp.portico.test/", "cache": "yes"}"#,
        ]
    )
    func decodeErrors(json: String) {
        #expect(throws: DecodingError.self) { try Self.decode(json) }
    }

    @Test("semantic errors name the field")
    func validationErrors() throws {
        let cases: [(String, String)] = [
            (#"{"alg": "RS256"}"#, "jwk_url"),
            (#"{"jwk_url": "http://idp.portico.test/jwks"}"#, "jwk_url"),
            (#"{"jwk_url": "ftp://idp.portico.test/jwks"}"#, "jwk_url"),
            (#"{"jwk_url": "https://idp.portico.test/", "propagate_claims": [["sub", "x user"]]}"#, "propagate_claims"),
            (#"{"jwk_url": "https://idp.portico.test/", "max_token_size": 1}"#, "max_token_size"),
        ]
        for (json, field) in cases {
            let configuration = try Self.decode(json)
            #expect(throws: JWTValidatorConfiguration.ValidationError.self) { try configuration.validate() }
            do {
                try configuration.validate()
            } catch {
                #expect(error.field == field)
            }
        }
        let insecureAllowed = try Self.decode(#"{"jwk_url": "http://idp/jwks", "disable_jwk_security": true}"#)
        try insecureAllowed.validate()
    }
}
