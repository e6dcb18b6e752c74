public import AsyncHTTPClient
public import Logging

/// Validates the bearer token of a request for one endpoint's `auth/validator` configuration.
///
/// Two entry points:
/// - `validateSynchronously(authorization:cookieHeader:)` never suspends: it uses the cached key set and, for an
///   unknown key, starts a background JWKS refresh (subject to the cooldown) and rejects the request now. This is the
///   event-loop fast path.
/// - `validate(authorization:cookieHeader:)` does the same but, for an unknown key, awaits that one refresh (bounded
///   by the fetcher's timeout) and retries once, so a freshly rotated key is accepted on its first request.
///
/// Per request it allocates: the token bytes and decoded segments, the parsed header and payload, and the claim
/// strings; no Foundation, no JSON decoding through `Codable`.
public final class JWTValidator: Sendable {
    /// The endpoint configuration.
    public let configuration: JWTValidatorConfiguration
    /// The key source.
    public let keyProvider: KeySetProvider
    private let allowedAlgorithms: Set<SignatureAlgorithm>
    private let clock: any AuthClock
    private let logger: Logger

    /// Creates a validator over an existing key provider.
    public init(
        configuration: JWTValidatorConfiguration,
        keyProvider: KeySetProvider,
        clock: any AuthClock = SystemAuthClock(),
        logger: Logger = Logger(label: "portico.auth")
    ) {
        self.configuration = configuration
        self.keyProvider = keyProvider
        self.allowedAlgorithms = configuration.allowedAlgorithms
        self.clock = clock
        self.logger = logger
    }

    /// Builds the validator and its key provider from a validated configuration (`jwk_local_path` wins over
    /// `jwk_url`, as in KrakenD). Call `keyProvider.load()` at start-up before serving.
    public static func make(
        configuration: JWTValidatorConfiguration,
        httpClient: HTTPClient = .shared,
        clock: any AuthClock = SystemAuthClock(),
        logger: Logger = Logger(label: "portico.auth")
    ) -> JWTValidator {
        let fetcher: any JWKSFetcher =
            if let path = configuration.jwkLocalPath {
                LocalFileJWKSFetcher(path: path)
            } else {
                HTTPJWKSFetcher(url: configuration.jwkURL ?? "", client: httpClient)
            }
        let provider = KeySetProvider(
            fetcher: fetcher,
            refreshInterval: configuration.cache ? configuration.cacheDuration : configuration.failedJWKKeyCooldown,
            unknownKeyCooldown: configuration.failedJWKKeyCooldown,
            clock: clock,
            logger: logger
        )
        return JWTValidator(configuration: configuration, keyProvider: provider, clock: clock, logger: logger)
    }

    /// Validates without suspending; see the type's documentation.
    /// - Parameters:
    ///   - authorization: The `Authorization` header (or the configured `auth_header_name`), if present.
    ///   - cookieHeader: The `Cookie` header(s) joined with `; `, if present.
    public func validateSynchronously(authorization: String?, cookieHeader: String?) -> ValidationResult {
        switch evaluate(authorization: authorization, cookieHeader: cookieHeader) {
        case .decided(let result): return report(result)
        case .unknownKey:
            _ = keyProvider.refreshForUnknownKey()
            return report(.unauthorized(.unknownKey))
        }
    }

    /// Validates, awaiting at most one JWKS refresh when the token's key is unknown.
    public func validate(authorization: String?, cookieHeader: String?) async -> ValidationResult {
        switch evaluate(authorization: authorization, cookieHeader: cookieHeader) {
        case .decided(let result): return report(result)
        case .unknownKey:
            guard let refresh = keyProvider.refreshForUnknownKey(), await refresh.value else {
                return report(.unauthorized(.unknownKey))
            }
            switch evaluate(authorization: authorization, cookieHeader: cookieHeader) {
            case .decided(let result): return report(result)
            case .unknownKey: return report(.unauthorized(.unknownKey))
            }
        }
    }

    /// The headers to send to backends for `claims`, per `propagate_claims`, rendered as KrakenD renders them.
    /// A missing claim yields an empty value (KrakenD sets the header to ""), which also overrides any client value.
    public func propagatedHeaders(from claims: Claims) -> [(name: String, value: String)] {
        configuration.propagateClaims.map { pair in
            let value: JSONValue?
            if pair.claim.contains("."), !pair.claim.hasPrefix("http") {
                value = nestedLookup(claims.payload, path: pair.claim)
            } else {
                value = claims[pair.claim]
            }
            return (pair.header, value.map(ClaimRendering.headerValue) ?? "")
        }
    }

    /// Header names the gateway must strip from client requests, so a client cannot forge a propagated claim.
    public var headersToStrip: [String] { configuration.propagateClaims.map { $0.header.lowercased() } }

    // MARK: - Core

    private enum Evaluation {
        case decided(ValidationResult)
        case unknownKey
    }

    private func report(_ result: ValidationResult) -> ValidationResult {
        if configuration.operationDebug {
            switch result {
            case .authorized: break
            case .unauthorized(let failure), .forbidden(let failure):
                logger.error("JWT validation rejected the request", metadata: ["reason": "\(failure)"])
            }
        }
        return result
    }

    private func evaluate(authorization: String?, cookieHeader: String?) -> Evaluation {
        guard
            let token = Self.bearerToken(authorization) ?? Self.cookie(named: configuration.cookieKey, in: cookieHeader)
        else { return .decided(.unauthorized(.missingToken)) }

        let jws: CompactJWS
        do {
            jws = try CompactJWS(
                token: token,
                allowedAlgorithms: allowedAlgorithms,
                maximumSize: configuration.maxTokenSize
            )
        } catch {
            return .decided(.unauthorized(.malformedToken(error)))
        }
        guard let key = keyProvider.currentKeySet().key(for: jws, lookup: configuration.keyIdentifyStrategy) else {
            return .unknownKey
        }
        guard key.verifiers[jws.algorithm] != nil else { return .decided(.unauthorized(.algorithmMismatch)) }
        guard key.verify(algorithm: jws.algorithm, signature: jws.signature, signingInput: jws.signingInput) else {
            return .decided(.unauthorized(.invalidSignature))
        }
        let payload: JSONValue
        do {
            payload = try StrictJSONParser(maximumDepth: 32).parse(jws.payload)
        } catch {
            return .decided(.unauthorized(.invalidPayload))
        }
        guard case .object = payload else { return .decided(.unauthorized(.invalidPayload)) }
        if let failure = checkRegisteredClaims(payload) { return .decided(.unauthorized(failure)) }
        if !hasRequiredRole(payload) { return .decided(.forbidden(.missingRole)) }
        if !hasRequiredScopes(payload) { return .decided(.forbidden(.missingScope)) }
        return .decided(.authorized(Claims(payload: payload)))
    }

    private func checkRegisteredClaims(_ payload: JSONValue) -> AuthFailure? {
        let now = clock.now()
        let leeway = configuration.leeway
        func time(_ name: String) -> (present: Bool, value: Double?) {
            guard let value = payload[name] else { return (false, nil) }
            return (true, value.doubleValue)
        }
        let exp = time("exp")
        let nbf = time("nbf")
        let iat = time("iat")
        if exp.present && exp.value == nil { return .invalidClaim("exp") }
        if nbf.present && nbf.value == nil { return .invalidClaim("nbf") }
        if iat.present && iat.value == nil { return .invalidClaim("iat") }
        if let expiry = exp.value {
            // RFC 7519 §4.1.4: the current time must be before exp.
            if now >= expiry + leeway { return .expired }
            if let maximum = configuration.maxTokenLifetime, expiry - (iat.value ?? now) > maximum + leeway {
                return .lifetimeTooLong
            }
        } else if configuration.requireExpiration {
            return .missingExpiration
        }
        if let notBefore = nbf.value, now + leeway < notBefore { return .notYetValid }
        if let issuedAt = iat.value, issuedAt > now + leeway { return .issuedInTheFuture }

        if let issuer = configuration.issuer {
            guard let value = payload["iss"] else { return .issuerMismatch }
            guard let string = value.stringValue else { return .invalidClaim("iss") }
            if string != issuer { return .issuerMismatch }
        }
        if !configuration.audience.isEmpty {
            // go-jose: every expected audience must be among the token's (aud is a string or an array of strings).
            let audiences: [String]
            switch payload["aud"] {
            case .string(let single)?: audiences = [single]
            case .array(let list)?:
                var strings: [String] = []
                for element in list {
                    guard let string = element.stringValue else { return .invalidClaim("aud") }
                    strings.append(string)
                }
                audiences = strings
            case nil: return .audienceMismatch
            default: return .invalidClaim("aud")
            }
            for expected in configuration.audience where !audiences.contains(expected) { return .audienceMismatch }
        }
        return nil
    }

    private func hasRequiredRole(_ payload: JSONValue) -> Bool {
        guard !configuration.roles.isEmpty else { return true }
        guard let key = configuration.rolesKey else { return false }
        let claim: JSONValue?
        if configuration.rolesKeyIsNested, key.contains("."), !key.hasPrefix("http") {
            claim = nestedLookup(payload, path: key)
        } else {
            claim = payload[key]
        }
        let present = Self.stringList(claim)
        return configuration.roles.contains { present.contains(Substring($0)) }
    }

    private func hasRequiredScopes(_ payload: JSONValue) -> Bool {
        // As krakend-jose: the check runs only when both scopes and scopes_key are set.
        guard !configuration.scopes.isEmpty, let key = configuration.scopesKey, !key.isEmpty else { return true }
        let claim = key.contains(".") ? nestedLookup(payload, path: key) : payload[key]
        let present = Self.stringList(claim)
        switch configuration.scopesMatcher {
        case .any: return configuration.scopes.contains { present.contains(Substring($0)) }
        case .all: return configuration.scopes.allSatisfy { present.contains(Substring($0)) }
        }
    }

    /// KrakenD's `getNestedClaim`: dots traverse objects; a missing or non-object step finds nothing.
    private func nestedLookup(_ payload: JSONValue, path: String) -> JSONValue? {
        var current = payload
        for component in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard case .object = current, let next = current[String(component)] else { return nil }
            current = next
        }
        return current
    }

    /// Roles or scopes from an array of strings or a space-separated string.
    private static func stringList(_ value: JSONValue?) -> [Substring] {
        switch value {
        case .string(let string)?: return string.split(separator: " ")
        case .array(let elements)?: return elements.compactMap { $0.stringValue.map { Substring($0) } }
        default: return []
        }
    }

    /// The token of `Bearer <token>` (scheme case-insensitive, RFC 7235 §2.1).
    static func bearerToken(_ header: String?) -> Substring? {
        guard let header else { return nil }
        let trimmed = header.drop { $0 == " " || $0 == "\t" }
        guard trimmed.utf8.count > 7 else { return nil }
        let scheme = trimmed.prefix(6)
        guard scheme.lowercased() == "bearer" else { return nil }
        let afterScheme = trimmed.dropFirst(6)
        guard afterScheme.first == " " else { return nil }
        var token = afterScheme.drop { $0 == " " }
        while let last = token.last, last == " " || last == "\t" { token = token.dropLast() }
        return token.isEmpty ? nil : token
    }

    /// The value of cookie `name` in a `Cookie` header (RFC 6265 §4.2), quotes removed.
    static func cookie(named name: String, in header: String?) -> Substring? {
        guard let header else { return nil }
        for pair in header.split(separator: ";") {
            let trimmed = pair.drop { $0 == " " || $0 == "\t" }
            guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals] == name else { continue }
            var value = trimmed[trimmed.index(after: equals)...]
            while let last = value.last, last == " " || last == "\t" { value = value.dropLast() }
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
