/// Why a request was not authorized; safe to log, not sent to clients.
public enum AuthFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// No bearer token in the header nor the cookie.
    case missingToken
    /// The token broke a structural rule (size, segments, base64url, header JSON, `alg`, `crit`).
    case malformedToken(CompactJWS.Failure)
    /// No key matches the token's `kid` (or thumbprint).
    case unknownKey
    /// The matched key does not serve the token's algorithm.
    case algorithmMismatch
    /// The signature does not verify.
    case invalidSignature
    /// The payload is not a JSON object (or not UTF-8, too deep, duplicate members).
    case invalidPayload
    /// A registered claim has the wrong type.
    case invalidClaim(String)
    /// `exp` is absent and required.
    case missingExpiration
    /// `exp` has passed (beyond the leeway).
    case expired
    /// `nbf` is in the future (beyond the leeway).
    case notYetValid
    /// `iat` is in the future (beyond the leeway).
    case issuedInTheFuture
    /// `exp` lies further ahead than the configured maximum lifetime.
    case lifetimeTooLong
    /// `iss` differs from the configured issuer.
    case issuerMismatch
    /// `aud` lacks a configured audience.
    case audienceMismatch
    /// None of the required roles.
    case missingRole
    /// The required scopes are not present.
    case missingScope

    /// A short reason for logs.
    public var description: String {
        switch self {
        case .missingToken: "missing token"
        case .malformedToken(let failure): "malformed token: \(failure)"
        case .unknownKey: "unknown key"
        case .algorithmMismatch: "algorithm does not match the key"
        case .invalidSignature: "invalid signature"
        case .invalidPayload: "payload is not a JSON object"
        case .invalidClaim(let name): "invalid \(name) claim"
        case .missingExpiration: "missing exp"
        case .expired: "token expired"
        case .notYetValid: "token not valid yet"
        case .issuedInTheFuture: "token issued in the future"
        case .lifetimeTooLong: "token lifetime too long"
        case .issuerMismatch: "issuer mismatch"
        case .audienceMismatch: "audience mismatch"
        case .missingRole: "missing role"
        case .missingScope: "missing scope"
        }
    }
}
