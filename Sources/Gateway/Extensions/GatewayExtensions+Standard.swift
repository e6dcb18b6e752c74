import Auth
import CircuitBreaker

extension GatewayExtensions {
    /// Portico's built-in features, registered through the same mechanism a user's extension uses.
    ///
    /// Each feature adds its stage here, at its canonical `StagePosition`; nothing runs for an endpoint whose
    /// `extra_config` lacks the feature's namespace.
    public static var standard: GatewayExtensions {
        var extensions = GatewayExtensions()
        // Service-level settings read by the loader and server, not stages.
        extensions.registerNamespace("router")
        extensions.registerNamespace("portico/http")
        extensions.registerEndpointStage(
            namespace: JWTValidatorConfiguration.namespace,
            position: .authentication,
            factory: JWTValidationMiddleware.makeFactory()
        )
        extensions.registerBackendStage(
            namespace: CircuitBreakerConfiguration.namespace,
            position: .circuitBreaker,
            factory: CircuitBreakerMiddleware.make
        )
        extensions.registerRateLimiting()
        return extensions
    }
}
