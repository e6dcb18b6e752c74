import Auth
import Logging

/// One JWKS key provider per distinct key source, shared by every `auth/validator` endpoint that uses it.
///
/// Two endpoints with the same `jwk_url` (or `jwk_local_path`) and the same cache settings share one provider:
/// one download at start-up, one cache, one refresh per `failed_jwk_key_cooldown` — whatever their roles,
/// audiences or algorithms, which the per-endpoint `JWTValidator` checks.
///
/// Lifecycle, registered on `GatewayResources`:
/// - start-up: the first download is awaited before the gateway listens. A JWKS that is down (or unusable) is
///   logged and start-up continues: requests to its endpoints answer 401 until a later download succeeds (tried
///   at most once per cooldown, triggered by requests).
/// - while serving: no background driver is needed; the provider refreshes in the background when a request finds
///   the set older than `cache_duration` (`cache: true`) or `failed_jwk_key_cooldown` (without `cache`), and keeps
///   validating with the cached keys meanwhile and when the download fails.
/// - `disable_jwk_security` with an `https` `jwk_url`: a client that skips certificate verification, created on the
///   first download and shut down when the gateway stops (`JWTValidationInsecureFetcher`). Plain `http` needs no
///   TLS, so it uses AsyncHTTPClient's shared client, as every other source does.
enum JWTValidationKeySources {
    /// The provider for `configuration`'s key source, made (and its first download scheduled) on first use.
    static func keyProvider(
        for configuration: JWTValidatorConfiguration,
        context: StageContext,
        clock: any AuthClock
    ) throws -> KeySetProvider {
        let source = configuration.jwkLocalPath.map { "file:" + $0 } ?? configuration.jwkURL ?? ""
        let key =
            "auth/validator.jwks \(source) cache=\(configuration.cache) duration=\(configuration.cacheDuration) "
            + "cooldown=\(configuration.failedJWKKeyCooldown) insecure=\(configuration.disableJWKSecurity)"
        let resources = context.resources
        let logger = {
            var logger = context.logger
            logger[metadataKey: "jwks"] = "\(source)"
            return logger
        }()
        return try resources.shared(key) { () -> KeySetProvider in
            let provider: KeySetProvider
            if configuration.jwkLocalPath == nil, configuration.disableJWKSecurity,
                let url = configuration.jwkURL, url.lowercased().hasPrefix("https://")
            {
                let fetcher = JWTValidationInsecureFetcher(url: url)
                resources.addShutdownTask { await fetcher.shutdown() }
                // The refresh policy of `JWTValidator.make`, which cannot take a custom fetcher.
                provider = KeySetProvider(
                    fetcher: fetcher,
                    refreshInterval: configuration.cache
                        ? configuration.cacheDuration : configuration.failedJWKKeyCooldown,
                    unknownKeyCooldown: configuration.failedJWKKeyCooldown,
                    clock: clock,
                    logger: logger
                )
            } else {
                provider = JWTValidator.make(configuration: configuration, clock: clock, logger: logger).keyProvider
            }
            resources.addStartupTask {
                if await provider.load() {
                    logger.debug("JWKS loaded")
                } else {
                    logger.error("JWKS not loaded at start-up; its endpoints answer 401 until a download succeeds")
                }
            }
            return provider
        }
    }
}
