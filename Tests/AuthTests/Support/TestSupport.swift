import Auth
import Foundation
import JWTKit

/// A clock the tests move by hand.
final class ManualClock: AuthClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Double

    init(_ start: Double = 1_750_000_000) { current = start }

    func now() -> Double { lock.withLock { current } }

    func advance(by seconds: Double) { lock.withLock { current += seconds } }
}

/// A signing key of the test issuer: signs raw header/payload JSON (so tests can craft hostile headers) and
/// publishes its public JWK.
struct TestIssuerKey: Sendable {
    let algorithm: SignatureAlgorithm
    let keyID: String
    let signer: any JWTAlgorithm
    /// The public JWK members (without `kid`/`alg`), as JSON text fragments.
    let publicMembers: String

    /// The public JWK as JSON, with `kid` and `alg`.
    var publicJWK: String { #"{"kid":"\#(keyID)","alg":"\#(algorithm.rawValue)","use":"sig",\#(publicMembers)}"# }

    /// `header.payload.signature` with the given raw JSON texts.
    func token(header: String, payload: String) throws -> String {
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        let signature = try signer.sign(Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// A token with the standard header for this key.
    func token(payload: String) throws -> String {
        try token(header: #"{"alg":"\#(algorithm.rawValue)","kid":"\#(keyID)","typ":"JWT"}"#, payload: payload)
    }

    static func make(
        _ algorithm: SignatureAlgorithm,
        keyID: String? = nil,
        rsaPEM: String = RSAFixtures.issuerKeyPEM
    )
        async throws -> TestIssuerKey
    {
        let kid = keyID ?? "issuer-\(algorithm.rawValue.lowercased())"
        let collection = JWTKeyCollection()
        let slot = JWKIdentifier(string: "signing")
        let members: String
        switch algorithm {
        case .hs256, .hs384, .hs512:
            let secret = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let digest: DigestAlgorithm = algorithm == .hs256 ? .sha256 : algorithm == .hs384 ? .sha384 : .sha512
            await collection.add(hmac: HMACKey(from: secret), digestAlgorithm: digest, kid: slot)
            members = #""kty":"oct","k":"\#(Base64URL.encode(secret))""#
        case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512:
            let key = try Insecure.RSA.PrivateKey(pem: rsaPEM)
            let digest: DigestAlgorithm =
                switch algorithm {
                case .rs256, .ps256: .sha256
                case .rs384, .ps384: .sha384
                default: .sha512
                }
            if algorithm.rawValue.hasPrefix("PS") {
                await collection.add(pss: key, digestAlgorithm: digest, kid: slot)
            } else {
                await collection.add(rsa: key, digestAlgorithm: digest, kid: slot)
            }
            let primitives = try key.publicKey.getKeyPrimitives()
            members =
                #""kty":"RSA","n":"\#(Base64URL.encode(primitives.modulus))","e":"\#(Base64URL.encode(primitives.publicExponent))""#
        case .es256:
            let key = ES256PrivateKey()
            await collection.add(ecdsa: key, kid: slot)
            members = ecMembers(key.parameters, curve: "P-256")
        case .es384:
            let key = ES384PrivateKey()
            await collection.add(ecdsa: key, kid: slot)
            members = ecMembers(key.parameters, curve: "P-384")
        case .es512:
            let key = ES512PrivateKey()
            await collection.add(ecdsa: key, kid: slot)
            members = ecMembers(key.parameters, curve: "P-521")
        case .edDSA:
            let key = try EdDSA.PrivateKey(curve: .ed25519)
            await collection.add(eddsa: key, kid: slot)
            members = #""kty":"OKP","crv":"Ed25519","x":"\#(Base64URL.encode(key.publicKey.rawRepresentation))""#
        }
        let signer = try await collection.getKey(for: slot)
        return TestIssuerKey(algorithm: algorithm, keyID: kid, signer: signer, publicMembers: members)
    }

    private static func ecMembers(_ parameters: ECDSAParameters?, curve: String) -> String {
        #""kty":"EC","crv":"\#(curve)","x":"\#(parameters?.x ?? "")","y":"\#(parameters?.y ?? "")""#
    }
}

/// Builds a JWKS document from JWK texts.
func jwks(_ keys: [String]) -> String { #"{"keys":[\#(keys.joined(separator: ","))]}"# }

/// `../shared/vectors/<name>` relative to the package root, resolved from this file's path.
func vectorURL(_ name: String) -> URL {
    // <root>/Tests/AuthTests/Support/TestSupport.swift → <root>
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    return root.deletingLastPathComponent().appendingPathComponent("shared/vectors").appendingPathComponent(name)
}
