/// The registry through which features — built-in and a user's own package — add stages for their namespaces.
///
/// Lura's plugin system, the Swift way: no globals, no dynamic loading. Build one, register factories, and pass
/// it to `Gateway`. A factory runs once per endpoint (or backend) whose `extra_config` holds its namespace and
/// returns the stage, or nil to add nothing; an endpoint without the namespace pays nothing at all.
///
/// ```swift
/// var extensions = GatewayExtensions.standard
/// extensions.registerEndpointStage(namespace: "acme/tenant") { context in
///     TenantMiddleware(try context.decode(TenantConfiguration.self))
/// }
/// let gateway = try Gateway(configuration: configuration, extensions: extensions)
/// ```
public struct GatewayExtensions: Sendable {
    /// Makes an endpoint stage from its context; nil adds nothing.
    public typealias EndpointStageFactory = @Sendable (StageContext) throws -> (any EndpointMiddleware)?
    /// Makes a backend stage from its context; nil adds nothing.
    public typealias BackendStageFactory = @Sendable (StageContext) throws -> (any BackendMiddleware)?

    struct Registration<Factory: Sendable>: Sendable {
        let namespace: String
        let position: StagePosition
        let sequence: Int
        let factory: Factory
        /// Read from the service's `extra_config` and run for every endpoint (e.g. `qos/ratelimit/service/redis`).
        var isServiceWide = false
    }

    private(set) var endpointStages: [Registration<EndpointStageFactory>] = []
    private(set) var backendStages: [Registration<BackendStageFactory>] = []
    /// Namespaces handled elsewhere than in a stage (service-level settings such as `router`).
    private(set) var otherNamespaces: Set<String> = []
    private var sequence = 0

    /// An empty registry: no built-in features.
    public init() {}

    /// Registers an endpoint stage for `namespace`, placed at `position` (default: after the built-in guards).
    public mutating func registerEndpointStage(
        namespace: String,
        position: StagePosition = .extensions,
        factory: @escaping EndpointStageFactory
    ) {
        sequence += 1
        endpointStages.append(.init(namespace: namespace, position: position, sequence: sequence, factory: factory))
    }

    /// Registers an endpoint stage for a service-level `namespace`: when the service's `extra_config` holds it, the
    /// factory runs for every endpoint (share one object across them through `context.resources.shared`).
    public mutating func registerServiceEndpointStage(
        namespace: String,
        position: StagePosition = .extensions,
        factory: @escaping EndpointStageFactory
    ) {
        sequence += 1
        endpointStages.append(
            .init(namespace: namespace, position: position, sequence: sequence, factory: factory, isServiceWide: true)
        )
    }

    /// Registers a backend stage for `namespace`, placed at `position` (default: inside the breaker).
    public mutating func registerBackendStage(
        namespace: String,
        position: StagePosition = .extensions,
        factory: @escaping BackendStageFactory
    ) {
        sequence += 1
        backendStages.append(.init(namespace: namespace, position: position, sequence: sequence, factory: factory))
    }

    /// Declares a namespace that is read elsewhere (e.g. service-level settings), so it is not reported unknown.
    public mutating func registerNamespace(_ namespace: String) {
        otherNamespaces.insert(namespace)
    }

    /// Every namespace some registration handles; the rest are reported as unknown at start-up.
    public var knownNamespaces: Set<String> {
        Set(endpointStages.map(\.namespace)).union(backendStages.map(\.namespace)).union(otherNamespaces)
    }

    /// Endpoint registrations in canonical order.
    var orderedEndpointStages: [Registration<EndpointStageFactory>] {
        endpointStages.sorted { ($0.position, $0.sequence) < ($1.position, $1.sequence) }
    }

    /// Backend registrations in canonical order.
    var orderedBackendStages: [Registration<BackendStageFactory>] {
        backendStages.sorted { ($0.position, $0.sequence) < ($1.position, $1.sequence) }
    }
}
