internal import JWTKit

/// One usable key from a JWKS: its identifiers, the algorithms it may verify, and jwt-kit verifiers bound to them.
///
/// A key verifies only the algorithms of its own type (and its `alg`, when the JWK names one), so an RSA public key
/// can never be used as an HMAC secret and one token cannot re-bind a key to another algorithm.
public struct VerificationKey: Sendable {
    /// The JWK `kid`, if any.
    public let keyID: String?
    /// The JWK `x5t` (base64url SHA-1 certificate thumbprint), if any.
    public let x5t: String?
    /// The JWK `x5t#S256`, if any.
    public let x5tS256: String?
    /// The JWK `kty`.
    public let keyType: String
    /// The algorithms this key may verify.
    public var algorithms: Set<SignatureAlgorithm> { Set(verifiers.keys) }

    /// Exact signature length in bytes for this key (RSA modulus size, 2 × EC coordinate, 64 for Ed25519,
    /// the hash size for HMAC); anything else is refused before calling the primitive.
    let signatureByteCount: [SignatureAlgorithm: Int]
    let verifiers: [SignatureAlgorithm: any JWTAlgorithm]

    init(
        keyID: String?,
        x5t: String?,
        x5tS256: String?,
        keyType: String,
        signatureByteCount: [SignatureAlgorithm: Int],
        verifiers: [SignatureAlgorithm: any JWTAlgorithm]
    ) {
        self.keyID = keyID
        self.x5t = x5t
        self.x5tS256 = x5tS256
        self.keyType = keyType
        self.signatureByteCount = signatureByteCount
        self.verifiers = verifiers
    }

    /// True when this key serves the token's algorithm and its signature verifies.
    public func verifies(_ jws: CompactJWS) -> Bool {
        verify(algorithm: jws.algorithm, signature: jws.signature, signingInput: jws.signingInput)
    }

    /// Checks `signature` over `signingInput` with `algorithm`; false for an algorithm this key does not serve.
    ///
    /// Synchronous and lock-free; the primitive itself allocates its digest and signature objects.
    func verify(
        algorithm: SignatureAlgorithm,
        signature: [UInt8],
        signingInput: ArraySlice<UInt8>
    ) -> Bool {
        guard let verifier = verifiers[algorithm], signatureByteCount[algorithm] == signature.count else {
            return false
        }
        return (try? verifier.verify(signature, signs: signingInput)) ?? false
    }
}
