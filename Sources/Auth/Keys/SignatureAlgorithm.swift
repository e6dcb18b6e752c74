/// The JWS algorithms Portico verifies (RFC 7518 §3, RFC 8037). `none` is deliberately not representable.
public enum SignatureAlgorithm: String, Sendable, CaseIterable, Hashable {
    /// HMAC with SHA-256.
    case hs256 = "HS256"
    /// HMAC with SHA-384.
    case hs384 = "HS384"
    /// HMAC with SHA-512.
    case hs512 = "HS512"
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    case rs256 = "RS256"
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    case rs384 = "RS384"
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    case rs512 = "RS512"
    /// RSASSA-PSS with SHA-256.
    case ps256 = "PS256"
    /// RSASSA-PSS with SHA-384.
    case ps384 = "PS384"
    /// RSASSA-PSS with SHA-512.
    case ps512 = "PS512"
    /// ECDSA on P-256 with SHA-256.
    case es256 = "ES256"
    /// ECDSA on P-384 with SHA-384.
    case es384 = "ES384"
    /// ECDSA on P-521 with SHA-512.
    case es512 = "ES512"
    /// Ed25519 (RFC 8037).
    case edDSA = "EdDSA"

    /// The JWK key type (`kty`) this algorithm needs.
    public var keyType: String {
        switch self {
        case .hs256, .hs384, .hs512: "oct"
        case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512: "RSA"
        case .es256, .es384, .es512: "EC"
        case .edDSA: "OKP"
        }
    }

    /// True for HMAC, whose key is a shared secret.
    public var isSymmetric: Bool { keyType == "oct" }

    /// Hash output size in bytes; RFC 7518 §3.2 makes it the minimum HMAC key size.
    var hashByteCount: Int {
        switch self {
        case .hs256, .rs256, .ps256, .es256: 32
        case .hs384, .rs384, .ps384, .es384: 48
        case .hs512, .rs512, .ps512, .es512, .edDSA: 64
        }
    }

    /// The `crv` an EC/OKP key must have for this algorithm, if any.
    var curve: String? {
        switch self {
        case .es256: "P-256"
        case .es384: "P-384"
        case .es512: "P-521"
        case .edDSA: "Ed25519"
        default: nil
        }
    }

    /// Size in bytes of one coordinate (EC) or of the public key (Ed25519).
    var coordinateByteCount: Int? {
        switch self {
        case .es256: 32
        case .es384: 48
        case .es512: 66
        case .edDSA: 32
        default: nil
        }
    }

    /// All algorithms a key of this `kty`/`crv` could verify.
    static func compatible(keyType: String, curve: String?) -> [SignatureAlgorithm] {
        allCases.filter { $0.keyType == keyType && ($0.curve == nil || $0.curve == curve) }
    }
}
