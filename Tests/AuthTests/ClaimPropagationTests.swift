import Auth
import Testing

@Suite("Claim propagation")
struct ClaimPropagationTests {
    static func validator(_ pairs: [(String, String)]) -> JWTValidator {
        var configuration = JWTValidatorConfiguration(algorithms: [.es256], jwkLocalPath: "/unused")
        configuration.propagateClaims = pairs.map { (claim: $0.0, header: $0.1) }
        return JWTValidator(configuration: configuration, keyProvider: KeySetProvider(keySet: .empty))
    }

    static func claims(_ json: String) throws -> Claims {
        Claims(payload: try StrictJSONParser().parse(Array(json.utf8)))
    }

    @Test(
        "values render as krakend-jose renders them",
        arguments: [
            (#""user-42""#, "user-42"),
            ("42", "42"),
            ("1.0", "1"),
            ("1.5", "1.500000"),
            ("12345678901234567890", "12345678901234567890"),
            (#"["admin","viewer"]"#, "admin,viewer"),
            ("[1,2.5,1000000]", "1,2.5,1e+06"),
            ("[]", ""),
            ("true", "true"),
            ("null", "null"),
            (#"{"b":1,"a":"x<y"}"#, #"{"a":"x\u003cy","b":1}"#),
            (#""line\r\nInjected: yes""#, "line  Injected: yes"),
        ]
    )
    func rendering(claim: String, expected: String) throws {
        let headers = Self.validator([("value", "x-value")]).propagatedHeaders(
            from: try Self.claims(#"{"value":\#(claim)}"#)
        )
        #expect(headers.count == 1)
        #expect(headers.first?.name == "x-value")
        #expect(headers.first?.value == expected)
    }

    @Test("nested claims, URL-like names and missing claims")
    func lookups() throws {
        let validator = Self.validator([
            ("realm_access.roles", "x-roles"), ("https://portico.test/tenant", "x-tenant"), ("missing", "x-missing"),
        ])
        let headers = validator.propagatedHeaders(
            from: try Self.claims(#"{"realm_access":{"roles":["a","b"]},"https://portico.test/tenant":"acme"}"#)
        )
        #expect(headers.map(\.value) == ["a,b", "acme", ""])
        #expect(validator.headersToStrip == ["x-roles", "x-tenant", "x-missing"])
    }
}
