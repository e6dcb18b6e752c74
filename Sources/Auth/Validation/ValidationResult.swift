/// The decision for one request: the gateway answers 401/403 itself (calling no backend) or proceeds.
public enum ValidationResult: Sendable, Equatable {
    /// The token is valid and carries the required roles and scopes.
    case authorized(Claims)
    /// Missing or invalid token: 401.
    case unauthorized(AuthFailure)
    /// Valid token without the required roles or scopes: 403.
    case forbidden(AuthFailure)

    /// 200 when authorized, else the status to answer with.
    public var status: Int {
        switch self {
        case .authorized: 200
        case .unauthorized: 401
        case .forbidden: 403
        }
    }

    /// The `WWW-Authenticate` value to send with a rejection (RFC 6750 §3): `error="invalid_token"` for a missing
    /// or bad token (as Portico's issue specifies; RFC 6750 would omit the code when no token was sent),
    /// `error="insufficient_scope"` for missing roles or scopes.
    public var wwwAuthenticate: String? {
        switch self {
        case .authorized: nil
        case .unauthorized: "Bearer error=\"invalid_token\""
        case .forbidden: "Bearer error=\"insufficient_scope\""
        }
    }

    /// The claims when authorized.
    public var claims: Claims? {
        if case .authorized(let claims) = self { return claims }
        return nil
    }
}
