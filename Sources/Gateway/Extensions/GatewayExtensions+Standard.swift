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
        // Read by the proxy layer itself (Proxy/EndpointProxyOptions.swift, BackendProxyOptions.swift).
        extensions.registerNamespace("proxy")
        extensions.registerNamespace("backend/http")
        extensions.registerNamespace(CorsConfiguration.namespace)  // read by the loader, applied by GatewayRouter
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
        extensions.registerBackendStage(
            namespace: GraphQLConfiguration.namespace,
            position: .protocolRewrite,
            factory: GraphQLMiddleware.make
        )
        // Service-level DNS SRV discovery options (resolver, timeouts), read by `BackendHostSource`.
        extensions.registerNamespace(DNSDiscoveryOptions.namespace)
        return extensions
    }
}
