import Auth
import Foundation
import Testing

/// Project Wycheproof's JWS and JWK vectors run through Portico's token rules and key loader.
@Suite("Wycheproof")
struct WycheproofTests {
    /// Valid per the data set, refused by design: 346/350 (PS384 token for a key whose `alg` is PS256), 347/351
    /// (key `alg` "ES521" is not an algorithm), 372/373 (a `?` inside a segment is not base64url).
    static let documentedQuirks: Set<Int> = [346, 347, 350, 351, 372, 373]

    struct Case: Sendable {
        let tcId: Int
        let comment: String
        let token: String
        let valid: Bool
        let keyJSON: String
    }

    static func loadCases(_ file: String, keyMember: (([String: Any]) -> Any?)) throws -> [Case] {
        let data = try Data(contentsOf: vectorURL("wycheproof/" + file))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let groups = try #require(root["testGroups"] as? [[String: Any]])
        var cases: [Case] = []
        for group in groups {
            let key = keyMember(group) ?? [:]
            let keyJSON = String(decoding: try JSONSerialization.data(withJSONObject: key), as: UTF8.self)
            for test in try #require(group["tests"] as? [[String: Any]]) {
                let token: String
                if let compact = test["jws"] as? String {
                    token = compact
                } else {
                    token = String(
                        decoding: try JSONSerialization.data(withJSONObject: test["jws"] ?? [:]),
                        as: UTF8.self
                    )
                }
                cases.append(
                    Case(
                        tcId: try #require(test["tcId"] as? Int),
                        comment: test["comment"] as? String ?? "",
                        token: token,
                        valid: test["result"] as? String == "valid",
                        keyJSON: keyJSON
                    )
                )
            }
        }
        return cases
    }

    /// Verifies `token` at the JWS level (payloads here are not JWT claims) with every algorithm allowed.
    static func verify(_ token: String, jwks: String) async -> Bool {
        guard let keySet = try? await KeySet.parse(jwks: Array(jwks.utf8)) else { return false }
        guard
            let jws = try? CompactJWS(
                token: Substring(token),
                allowedAlgorithms: Set(SignatureAlgorithm.allCases),
                maximumSize: 1 << 16
            )
        else { return false }
        guard let key = keySet.key(for: jws, lookup: .keyID) else { return false }
        return key.verifies(jws)
    }

    @Test("json_web_signature_test.json: every invalid case refused, every valid one accepted but the quirks")
    func signatures() async throws {
        let cases = try Self.loadCases("json_web_signature_test.json") { group in
            // Asymmetric groups carry a public JWK; HMAC groups only the (symmetric) private one.
            group["public"] ?? group["private"]
        }
        #expect(cases.count == 401)
        var acceptedInvalid: [Int] = []
        var refusedValid: [Int] = []
        var quirksRefused = 0
        for testCase in cases {
            let accepted = await Self.verify(testCase.token, jwks: #"{"keys":[\#(testCase.keyJSON)]}"#)
            if testCase.valid && !accepted {
                if Self.documentedQuirks.contains(testCase.tcId) {
                    quirksRefused += 1
                } else {
                    refusedValid.append(testCase.tcId)
                }
            }
            if !testCase.valid && accepted { acceptedInvalid.append(testCase.tcId) }
        }
        // In this copy of the data set, tcId 367 and 370 ("invalidBase64Padding…") carry a token byte-identical to
        // the valid tcId 357 (upstream has `=` padding in them), so no verifier can refuse them while accepting 357.
        // They are checked to be exactly that, not silently skipped.
        let validTokens = Set(cases.filter(\.valid).map(\.token))
        let identicalToValid = acceptedInvalid.filter { id in
            cases.first { $0.tcId == id }.map { validTokens.contains($0.token) } ?? false
        }
        #expect(Set(identicalToValid) == [367, 370])
        let genuinelyAccepted = acceptedInvalid.filter { !identicalToValid.contains($0) }
        #expect(genuinelyAccepted.isEmpty, "invalid cases accepted: \(genuinelyAccepted)")
        #expect(refusedValid.isEmpty, "valid cases refused: \(refusedValid)")
        #expect(quirksRefused == Self.documentedQuirks.count)
    }

    @Test("json_web_key_test.json: invalid key sets never verify, valid ones do")
    func keySets() async throws {
        let cases = try Self.loadCases("json_web_key_test.json") { group in
            // Verifiers receive the public set when there is one; symmetric sets only exist as "private".
            group["public"] ?? group["private"]
        }
        #expect(cases.count == 26)
        for testCase in cases {
            let accepted = await Self.verify(testCase.token, jwks: testCase.keyJSON)
            #expect(accepted == testCase.valid, "tcId \(testCase.tcId) \(testCase.comment)")
        }
    }

    @Test("one bad key never poisons a set")
    func badKeyIsSkipped() async throws {
        let good = try await TestIssuerKey.make(.es256, keyID: "good")
        let document = jwks([
            #"{"kty":"RSA","kid":"small","n":"AQAB","e":"AQAB"}"#,
            #"{"kty":"EC","kid":"off-curve","crv":"P-256","x":"04N0xi21hshyvBp7I167sbE_bXqyqkAPfefdklMO7wY","#
                + #""y":"UI8exy-C06a7DUnjIdENkxeFtHM4-l_41LqEw9nVgnw"}"#,
            #"{"kty":"EC","kid":"enc","use":"enc","crv":"P-256","x":"AA","y":"AA"}"#,
            #"{"kty":"oct","kid":"short","k":"c2hvcnQ"}"#,
            #"{"kty":"ML-DSA","kid":"future"}"#,
            #"{"kid":"no-kty"}"#,
            good.publicJWK,
        ])
        let keySet = try await KeySet.parse(jwks: Array(document.utf8))
        #expect(keySet.keys.map(\.keyID) == ["good"])
        #expect(keySet.skipped.count == 6)
        let token = try good.token(payload: "{}")
        let jws = try CompactJWS(token: Substring(token), allowedAlgorithms: [.es256], maximumSize: 8192)
        #expect(keySet.key(for: jws, lookup: .keyID)?.verifies(jws) == true)
    }
}
