import Auth
import Foundation
import Testing

/// The key provider against a real HTTP JWKS server on loopback, with a manual clock for cache and cooldown.
@Suite("JWKS provider")
struct JWKSProviderTests {
    struct Setup {
        let server: JWKSTestServer
        let clock: ManualClock
        let key: TestIssuerKey
        let validator: JWTValidator
    }

    static func makeSetup(cooldown: String = "10s") async throws -> Setup {
        let key = try await TestIssuerKey.make(.es256, keyID: "current")
        let server = JWKSTestServer(document: jwks([key.publicJWK]))
        let url = try await server.start()
        let clock = ManualClock()
        let configuration = try JSONDecoder().decode(
            JWTValidatorConfiguration.self,
            from: Data(
                #"""
                {"alg": "ES256", "jwk_url": "\#(url)", "disable_jwk_security": true, "cache": true,
                 "cache_duration": 900, "failed_jwk_key_cooldown": "\#(cooldown)"}
                """#.utf8
            )
        )
        try configuration.validate()
        let validator = JWTValidator.make(configuration: configuration, clock: clock)
        #expect(await validator.keyProvider.load())
        return Setup(server: server, clock: clock, key: key, validator: validator)
    }

    @Test("1,000 validations with random kids within 10 s cause at most 2 fetches")
    func randomKeyIDFlood() async throws {
        let setup = try await Self.makeSetup()
        defer { Task { try await setup.server.stop() } }
        #expect(setup.server.requestCount == 1)
        setup.clock.advance(by: 10)
        let payload = #"{"exp":\#(Int(setup.clock.now()) + 3600)}"#
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1000 {
            let kid = String(UInt64.random(in: 0...UInt64.max, using: &generator), radix: 36)
            let token = try setup.key.token(header: #"{"alg":"ES256","kid":"\#(kid)"}"#, payload: payload)
            let result = await setup.validator.validate(authorization: "Bearer " + token, cookieHeader: nil)
            #expect(result == .unauthorized(.unknownKey))
            setup.clock.advance(by: 0.009)
        }
        // The synchronous path under the same flood does not fetch either.
        for index in 0..<200 {
            let token = try setup.key.token(header: #"{"alg":"ES256","kid":"sync-\#(index)"}"#, payload: payload)
            _ = setup.validator.validateSynchronously(authorization: "Bearer " + token, cookieHeader: nil)
        }
        await setup.validator.keyProvider.waitForPendingRefresh()
        #expect(setup.server.requestCount <= 2)
        #expect(setup.server.requestCount == setup.validator.keyProvider.fetchAttempts)
        // A legitimate token still validates from the cache.
        let good = try setup.key.token(payload: payload)
        #expect(await setup.validator.validate(authorization: "Bearer " + good, cookieHeader: nil).status == 200)
    }

    @Test("JWKS down: cached keys still validate, and the outage is not hammered")
    func endpointDown() async throws {
        let setup = try await Self.makeSetup()
        defer { Task { try await setup.server.stop() } }
        setup.server.setFailing(true)
        setup.clock.advance(by: 901)
        let payload = #"{"exp":\#(Int(setup.clock.now()) + 3600)}"#
        let token = try setup.key.token(payload: payload)
        for _ in 0..<50 {
            #expect(await setup.validator.validate(authorization: "Bearer " + token, cookieHeader: nil).status == 200)
            await setup.validator.keyProvider.waitForPendingRefresh()
        }
        // One stale-triggered attempt, which failed; the cooldown holds off the rest.
        #expect(setup.server.requestCount == 2)
        #expect(await setup.validator.keyProvider.load() == false)
        #expect(await setup.validator.validate(authorization: "Bearer " + token, cookieHeader: nil).status == 200)
    }

    @Test("a rotated key is picked up on its first request by the async path")
    func keyRotation() async throws {
        let setup = try await Self.makeSetup()
        defer { Task { try await setup.server.stop() } }
        let rotated = try await TestIssuerKey.make(.es256, keyID: "next")
        setup.server.setDocument(jwks([setup.key.publicJWK, rotated.publicJWK]))
        setup.clock.advance(by: 11)
        let token = try rotated.token(payload: #"{"exp":\#(Int(setup.clock.now()) + 60)}"#)
        #expect(await setup.validator.validate(authorization: "Bearer " + token, cookieHeader: nil).status == 200)
        #expect(setup.server.requestCount == 2)
    }
}
