import Auth
import Foundation
import JWTKit

/// A wall clock the auth tests move by hand, so cache ages and cooldowns pass without sleeping.
final class ManualAuthClock: AuthClock, @unchecked Sendable {
    // @unchecked: `current` is guarded by `lock`.
    private let lock = NSLock()
    private var current: Double

    init(_ start: Double = 1_750_000_000) { current = start }

    func now() -> Double { lock.withLock { current } }

    func advance(by seconds: Double) { lock.withLock { current += seconds } }
}

/// A signing key of the test identity provider: signs raw header/payload JSON (so tests can craft hostile
/// headers) and publishes its public JWK for the JWKS the gateway downloads.
struct IssuerSigningKey: Sendable {
    let algorithm: SignatureAlgorithm
    let keyID: String
    let signer: any JWTAlgorithm
    /// The public JWK members (without `kid`/`alg`), as JSON text.
    let publicMembers: String

    /// The public JWK with `kid`, `alg` and `use`.
    var publicJWK: String { #"{"kid":"\#(keyID)","alg":"\#(algorithm.rawValue)","use":"sig",\#(publicMembers)}"# }

    /// `header.payload.signature` over the exact header and payload texts given.
    func token(header: String, payload: String) throws -> String {
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        return signingInput + "." + Base64URL.encode(try signer.sign(Array(signingInput.utf8)))
    }

    /// A token with this key's standard header.
    func token(payload: String) throws -> String {
        try token(header: #"{"alg":"\#(algorithm.rawValue)","kid":"\#(keyID)","typ":"JWT"}"#, payload: payload)
    }

    /// A fresh key (RSA uses the fixed test key: jwt-kit cannot generate RSA keys; HMAC uses `secret`).
    static func make(
        _ algorithm: SignatureAlgorithm,
        keyID: String,
        secret: [UInt8] = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 29 &+ 7) }
    ) async throws -> IssuerSigningKey {
        let collection = JWTKeyCollection()
        let slot = JWKIdentifier(string: "signing")
        let members: String
        switch algorithm {
        case .hs256:
            await collection.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, kid: slot)
            members = #""kty":"oct","k":"\#(Base64URL.encode(secret))""#
        case .rs256:
            let key = try Insecure.RSA.PrivateKey(pem: identityProviderRSAKeyPEM)
            await collection.add(rsa: key, digestAlgorithm: .sha256, kid: slot)
            let primitives = try key.publicKey.getKeyPrimitives()
            members =
                #""kty":"RSA","n":"\#(Base64URL.encode(primitives.modulus))","#
                + #""e":"\#(Base64URL.encode(primitives.publicExponent))""#
        case .es256:
            let key = ES256PrivateKey()
            await collection.add(ecdsa: key, kid: slot)
            let parameters = key.parameters
            members = #""kty":"EC","crv":"P-256","x":"\#(parameters?.x ?? "")","y":"\#(parameters?.y ?? "")""#
        case .edDSA:
            let key = try EdDSA.PrivateKey(curve: .ed25519)
            await collection.add(eddsa: key, kid: slot)
            members = #""kty":"OKP","crv":"Ed25519","x":"\#(Base64URL.encode(key.publicKey.rawRepresentation))""#
        default:
            preconditionFailure("the integration tests mint ES256, RS256, HS256 and EdDSA only")
        }
        return IssuerSigningKey(
            algorithm: algorithm,
            keyID: keyID,
            signer: try await collection.getKey(for: slot),
            publicMembers: members
        )
    }
}

/// A JWKS document publishing `keys`.
func jwksDocument(_ keys: [IssuerSigningKey]) -> String {
    #"{"keys":[\#(keys.map(\.publicJWK).joined(separator: ","))]}"#
}

/// The test identity provider's RSA key (generated once with `openssl genpkey -algorithm RSA`); test-only.
let identityProviderRSAKeyPEM = """
    -----BEGIN PRIVATE KEY-----
    MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDZ+Y/bFSCxRpzI
    u2Py+1+zrMSgrjxT+Su+kk0K0UgSReBuRZvtpW8oP2ZZAWonfPArZcOgsNYjLb9X
    RIQgMCbqSSDOQI9R1sUF9gh2AhNYwSBZxg/a4D0zDihIW42q+DPdndgXUjcEEAdx
    U3NagCHlpKOjX33rKoU4XpTIaGMfoPjf3Ovu9L4nrM5nbDDfhQkZuYuuLO3aX2zN
    HFlVd4H2z5T50ZkUVuuIY4EfDLl5A+PARiNpC33fPcXMI1ONjBcGXSo0uxNDv2Lg
    gxekjZbtmcdRQJoEu/Xft5fuUhpRgEMeT6/AEyB7r4CNdDcw4ibrjsJJ+HF1t+km
    X2NZ3xMtAgMBAAECggEAZ+srUsLxWaL1B1wTbBm8yA/TlFlM6Knv2YStVz1sU03e
    ECR+kN9grbsAI+nhPp85by8ug3MbPB1IziWbqi7atrKTgdFUoqs2Nj/US9J0f8lf
    D322PF7QvoD+4nRHh52aOItSpNes4/JyYexrn9dbkbyayT4y7YVRiwzIeP0PWNmH
    0cDsZeLXoh6dhupUfu5grFBIG0FAb45/RnYbBdwUmlcE37RXNc9oHLXlOopAha8X
    JiCI5pMeYvf73Ub6RE8gZ+SoYXpEaHwJ5NXhqrcrT37WGL8EJZwDzZ2h5J7C4Aoa
    Fk1fBvekeGlmEjniT5MqXB7Gu4g5rXR5lKvBnAfHPwKBgQDxeaUziPAJVTA55Xld
    8ukItAR5lNSriBLCaagZ7HtrRhfOnKzdhf1cbVfcyxv1dO/w/LrRad/x9YGsr0Ar
    f1io90cgSuZk9h4mmsJUEJbl9oc5jtlHZfa2lXkpWFT1LHY2n7KSFAyVQ3h0REKG
    7QJ3B7/EGNgEkPrIyZbaq7izswKBgQDnFgwD5xNOkHQitF0r4vI9ozpnOoNSfijW
    R/ZD9S6Oc02MmjMCqmtr3VxwHJLOj7jQYvAcmFip/pm1HjD+af87WXxyQXqaZSyS
    +O/s56gqRIcpfMRA7fVzMLe9asJMwexiJ1mN3sUvbIXl0RIGUS0P98qPveT54422
    +zV/BqstnwKBgBd9NMOxk1/lCH7pQogQA/kTwcet4Y4Z+3Er4+05orvJorE3bl1S
    FlYyULSqkTqsOFbhzq5mNSGNNyL8HSreBVrSSvnqL0Us57vrm/Gfd35BH+BKc/pN
    AdW67oFGFWWQAKPJnw40oxC18nak2S/UyEOZ3l6N6B1xmOOFMIZu49WfAoGAJRVX
    pkStx3zM9kjFbuaDgzqvg6NTMajHOuPfdDZjWz7LohWYvAPHK08hp2gecwGDYgWO
    jLgx+k2+Mt9+c0VlTQvmOZuiZiZ4SbmjHvxp8yZ+Hj1EbTsCmZKm2cHJHnI8UeAI
    sgie0iZzMlcjslnShm54VireFO/cbRHRGupiC/cCgYEAyfjmSpJEl1F3h6cosxaL
    RRhLsYXTKUdJBZ7wfpyICqXJXTvZmWvrV/txFLciS2XMCwWoxn1b2kK4aSdJCqop
    ifAk8IErej7hG9X5gqHL/WGUIugz5YhgQVR9a9U64fS/a48wqd/z1rPoGm4DDYZT
    7T2HDLyZnDGI9+BNHwe4K+8=
    -----END PRIVATE KEY-----
    """
