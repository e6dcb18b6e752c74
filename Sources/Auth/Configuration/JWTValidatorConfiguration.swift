/// The `auth/validator` endpoint namespace: KrakenD's JWT validation keys, plus a few Portico extensions.
///
/// ```json
/// "extra_config": {
///   "auth/validator": {
///     "alg": "RS256",
///     "jwk_url": "https://idp.example.com/.well-known/jwks.json",
///     "cache": true,
///     "cache_duration": 900,
///     "audience": ["https://api.example.com"],
///     "issuer": "https://idp.example.com/",
///     "roles_key": "realm_access.roles",
///     "roles_key_is_nested": true,
///     "roles": ["user", "admin"],
///     "scopes_key": "scope",
///     "scopes": ["orders:read"],
///     "scopes_matcher": "any",
///     "propagate_claims": [["sub", "x-user"]],
///     "cookie_key": "access_token",
///     "disable_jwk_security": false,
///     "key_identify_strategy": "kid",
///     "operation_debug": false,
///     "failed_jwk_key_cooldown": "10s",
///     "leeway": "1s",
///     "max_token_size": 8192,
///     "require_exp": true,
///     "max_token_lifetime": "24h"
///   }
/// }
/// ```
///
/// KrakenD keys and defaults:
/// - `alg` (default `"RS256"`): the allowed algorithm. Portico extension: an array of allowed algorithms.
///   `none` is never accepted.
/// - `jwk_url` / `jwk_local_path` (one is required; the local path wins, as in KrakenD): where the JWKS lives.
/// - `cache` (default `false`), `cache_duration` (seconds, default `900`): KrakenD downloads keys on every request
///   unless `cache` is true. Portico never fetches on the request path: with `cache` the key set is refreshed in the
///   background every `cache_duration`; without it, at most once per `failed_jwk_key_cooldown` (stale keys keep
///   validating meanwhile).
/// - `audience` (default none): the token's `aud` (string or array) must contain **all** listed audiences
///   (krakend-jose → go-jose `Expected.Audience`: every expected value must be in the token). A token without `aud`
///   fails when audiences are configured.
/// - `issuer` (default none): exact match on `iss`.
/// - `roles_key`, `roles_key_is_nested` (default `false`), `roles` (default none): at least one listed role must be in
///   the claim (an array, or a space-separated string), else 403. Dots traverse objects only when nested is true.
/// - `scopes_key`, `scopes` (default none), `scopes_matcher` (`any` | `all`, default `any`): scopes from a
///   space-separated string or an array; dots in `scopes_key` traverse objects; checked only when both are set; 403.
/// - `propagate_claims` (default none): `[claim, header]` pairs sent to backends.
/// - `cookie_key` (default `access_token`, KrakenD's cookie fallback), `auth_header_name` (default `Authorization`).
/// - `disable_jwk_security` (default `false`): as krakend-jose's `AllowInsecure`, allows a plain `http://`
///   `jwk_url` and skips TLS certificate verification of the JWKS download. Never use it in production.
/// - `key_identify_strategy` (`kid` | `x5t` | `x5t#S256` | `kid_x5t`, default `kid`).
/// - `operation_debug` (default `false`): log every rejection with its reason at error level.
/// - `failed_jwk_key_cooldown` (default unset): minimum time between JWKS downloads caused by unknown keys. KrakenD
///   ignores values under one second; Portico then applies a one-second floor so a flood of random `kid`s can never
///   become a flood of downloads.
/// - `leeway` (default `"1s"`, rounded to seconds, at least one second): clock skew tolerated on `exp`, `nbf`, `iat`.
///
/// Portico extensions: `max_token_size` (bytes, default `8192`), `require_exp` (default `true`; KrakenD accepts
/// tokens without `exp`), `max_token_lifetime` (default unset: tokens whose `exp` lies further than this beyond
/// `iat`, or beyond now when `iat` is absent, are refused).
public struct JWTValidatorConfiguration: Decodable, Sendable {
    /// The `extra_config` key.
    public static let namespace = "auth/validator"

    /// How `scopes` are matched.
    public enum ScopesMatcher: String, Decodable, Sendable {
        /// At least one configured scope is present.
        case any
        /// Every configured scope is present.
        case all
    }

    /// A configuration value that decodes but cannot work.
    public struct ValidationError: Error, CustomStringConvertible, Equatable {
        /// The JSON key at fault.
        public let field: String
        /// What is wrong with it.
        public let message: String
        /// `field: message`.
        public var description: String { "\(field): \(message)" }
    }

    /// Allowed algorithms (`alg`).
    public var algorithms: [SignatureAlgorithm]
    /// `jwk_url`.
    public var jwkURL: String?
    /// `jwk_local_path`.
    public var jwkLocalPath: String?
    /// `cache`.
    public var cache: Bool
    /// `cache_duration`, seconds.
    public var cacheDuration: Double
    /// `audience`.
    public var audience: [String]
    /// `issuer`.
    public var issuer: String?
    /// `roles_key`.
    public var rolesKey: String?
    /// `roles_key_is_nested`.
    public var rolesKeyIsNested: Bool
    /// `roles`.
    public var roles: [String]
    /// `scopes_key`.
    public var scopesKey: String?
    /// `scopes`.
    public var scopes: [String]
    /// `scopes_matcher`.
    public var scopesMatcher: ScopesMatcher
    /// `propagate_claims` as (claim, header) pairs.
    public var propagateClaims: [(claim: String, header: String)]
    /// `cookie_key`.
    public var cookieKey: String
    /// `auth_header_name`.
    public var authHeaderName: String
    /// `disable_jwk_security`.
    public var disableJWKSecurity: Bool
    /// `key_identify_strategy`.
    public var keyIdentifyStrategy: KeySet.Lookup
    /// `operation_debug`.
    public var operationDebug: Bool
    /// `failed_jwk_key_cooldown`, seconds, after the one-second floor.
    public var failedJWKKeyCooldown: Double
    /// `leeway`, seconds.
    public var leeway: Double
    /// `max_token_size`, bytes.
    public var maxTokenSize: Int
    /// `require_exp`.
    public var requireExpiration: Bool
    /// `max_token_lifetime`, seconds.
    public var maxTokenLifetime: Double?

    /// A configuration with KrakenD's defaults for the given key source.
    public init(algorithms: [SignatureAlgorithm] = [.rs256], jwkURL: String? = nil, jwkLocalPath: String? = nil) {
        self.algorithms = algorithms
        self.jwkURL = jwkURL
        self.jwkLocalPath = jwkLocalPath
        self.cache = false
        self.cacheDuration = 900
        self.audience = []
        self.issuer = nil
        self.rolesKey = nil
        self.rolesKeyIsNested = false
        self.roles = []
        self.scopesKey = nil
        self.scopes = []
        self.scopesMatcher = .any
        self.propagateClaims = []
        self.cookieKey = "access_token"
        self.authHeaderName = "Authorization"
        self.disableJWKSecurity = false
        self.keyIdentifyStrategy = .keyID
        self.operationDebug = false
        self.failedJWKKeyCooldown = 1
        self.leeway = 1
        self.maxTokenSize = 8192
        self.requireExpiration = true
        self.maxTokenLifetime = nil
    }

    private enum CodingKeys: String, CodingKey {
        case alg
        case jwkURL = "jwk_url"
        case jwkLocalPath = "jwk_local_path"
        case cache
        case cacheDuration = "cache_duration"
        case audience
        case issuer
        case rolesKey = "roles_key"
        case rolesKeyIsNested = "roles_key_is_nested"
        case roles
        case scopesKey = "scopes_key"
        case scopes
        case scopesMatcher = "scopes_matcher"
        case propagateClaims = "propagate_claims"
        case cookieKey = "cookie_key"
        case authHeaderName = "auth_header_name"
        case disableJWKSecurity = "disable_jwk_security"
        case keyIdentifyStrategy = "key_identify_strategy"
        case operationDebug = "operation_debug"
        case failedJWKKeyCooldown = "failed_jwk_key_cooldown"
        case leeway
        case maxTokenSize = "max_token_size"
        case requireExpiration = "require_exp"
        case maxTokenLifetime = "max_token_lifetime"
    }

    /// Decodes the namespace object; type errors carry the coding path, semantic ones come from `validate()`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        if container.contains(.alg) {
            if let single = try? container.decode(String.self, forKey: .alg) {
                algorithms = [try Self.algorithm(single, container)]
            } else {
                let names = try container.decode([String].self, forKey: .alg)
                algorithms = try names.map { try Self.algorithm($0, container) }
            }
        }
        jwkURL = try container.decodeIfPresent(String.self, forKey: .jwkURL)
        jwkLocalPath = try container.decodeIfPresent(String.self, forKey: .jwkLocalPath)
        cache = try container.decodeIfPresent(Bool.self, forKey: .cache) ?? false
        cacheDuration = try container.decodeIfPresent(Double.self, forKey: .cacheDuration) ?? 900
        audience = try container.decodeIfPresent([String].self, forKey: .audience) ?? []
        issuer = try container.decodeIfPresent(String.self, forKey: .issuer)
        rolesKey = try container.decodeIfPresent(String.self, forKey: .rolesKey)
        rolesKeyIsNested = try container.decodeIfPresent(Bool.self, forKey: .rolesKeyIsNested) ?? false
        roles = try container.decodeIfPresent([String].self, forKey: .roles) ?? []
        scopesKey = try container.decodeIfPresent(String.self, forKey: .scopesKey)
        scopes = try container.decodeIfPresent([String].self, forKey: .scopes) ?? []
        scopesMatcher = try container.decodeIfPresent(ScopesMatcher.self, forKey: .scopesMatcher) ?? .any
        let pairs = try container.decodeIfPresent([[String]].self, forKey: .propagateClaims) ?? []
        propagateClaims = try pairs.map { pair in
            guard pair.count == 2 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .propagateClaims,
                    in: container,
                    debugDescription: "expected [claim, header] pairs, got \(pair.count) elements"
                )
            }
            return (pair[0], pair[1])
        }
        cookieKey =
            try container.decodeIfPresent(String.self, forKey: .cookieKey).flatMap { $0.isEmpty ? nil : $0 }
            ?? "access_token"
        authHeaderName = try container.decodeIfPresent(String.self, forKey: .authHeaderName) ?? "Authorization"
        disableJWKSecurity = try container.decodeIfPresent(Bool.self, forKey: .disableJWKSecurity) ?? false
        switch try container.decodeIfPresent(String.self, forKey: .keyIdentifyStrategy) ?? "kid" {
        case "kid": keyIdentifyStrategy = .keyID
        case "x5t": keyIdentifyStrategy = .x5t
        case "x5t#S256": keyIdentifyStrategy = .x5tS256
        case "kid_x5t": keyIdentifyStrategy = .keyIDAndX5t
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .keyIdentifyStrategy,
                in: container,
                debugDescription: "expected kid, x5t, x5t#S256 or kid_x5t, got \"\(other)\""
            )
        }
        operationDebug = try container.decodeIfPresent(Bool.self, forKey: .operationDebug) ?? false
        if let text = try container.decodeIfPresent(String.self, forKey: .failedJWKKeyCooldown) {
            // KrakenD ignores cooldowns under a second; Portico keeps a one-second floor instead of none.
            failedJWKKeyCooldown = max(1, try Self.duration(text, .failedJWKKeyCooldown, container))
        }
        if let text = try container.decodeIfPresent(String.self, forKey: .leeway) {
            leeway = max(1, (try Self.duration(text, .leeway, container)).rounded())
        }
        maxTokenSize = try container.decodeIfPresent(Int.self, forKey: .maxTokenSize) ?? 8192
        requireExpiration = try container.decodeIfPresent(Bool.self, forKey: .requireExpiration) ?? true
        if let text = try container.decodeIfPresent(String.self, forKey: .maxTokenLifetime) {
            maxTokenLifetime = try Self.duration(text, .maxTokenLifetime, container)
        }
    }

    /// Checks the relations between fields, once at start-up.
    public func validate() throws(ValidationError) {
        if algorithms.isEmpty { throw ValidationError(field: "alg", message: "at least one algorithm is required") }
        if jwkLocalPath == nil {
            guard let jwkURL else {
                throw ValidationError(field: "jwk_url", message: "jwk_url or jwk_local_path is required")
            }
            let lowered = jwkURL.lowercased()
            if lowered.hasPrefix("http://") {
                if !disableJWKSecurity {
                    throw ValidationError(
                        field: "jwk_url",
                        message: "plain http is refused unless disable_jwk_security is true"
                    )
                }
            } else if !lowered.hasPrefix("https://") {
                throw ValidationError(field: "jwk_url", message: "expected an http(s) URL, got \"\(jwkURL)\"")
            }
        }
        if cacheDuration <= 0 { throw ValidationError(field: "cache_duration", message: "must be positive") }
        if maxTokenSize < 16 || maxTokenSize > 1 << 20 {
            throw ValidationError(field: "max_token_size", message: "must be between 16 and 1048576 bytes")
        }
        if let maxTokenLifetime, maxTokenLifetime <= 0 {
            throw ValidationError(field: "max_token_lifetime", message: "must be positive")
        }
        for (claim, header) in propagateClaims {
            if claim.isEmpty { throw ValidationError(field: "propagate_claims", message: "empty claim name") }
            if header.isEmpty || !header.utf8.allSatisfy(Self.isTokenCharacter) {
                throw ValidationError(field: "propagate_claims", message: "invalid header name \"\(header)\"")
            }
        }
    }

    /// The allowed algorithms as a set.
    var allowedAlgorithms: Set<SignatureAlgorithm> { Set(algorithms) }

    private static func algorithm(
        _ name: String,
        _ container: KeyedDecodingContainer<CodingKeys>
    ) throws -> SignatureAlgorithm {
        guard let algorithm = SignatureAlgorithm(rawValue: name) else {
            throw DecodingError.dataCorruptedError(
                forKey: .alg,
                in: container,
                debugDescription: "unsupported algorithm \"\(name)\""
            )
        }
        return algorithm
    }

    private static func duration(
        _ text: String,
        _ key: CodingKeys,
        _ container: KeyedDecodingContainer<CodingKeys>
    ) throws -> Double {
        guard let seconds = GoDuration.seconds(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key,
                in: container,
                debugDescription: "expected a duration such as \"10s\" or \"1m\", got \"\(text)\""
            )
        }
        return seconds
    }

    /// RFC 9110 `tchar`, so a configured header name can never smuggle separators into a request.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
