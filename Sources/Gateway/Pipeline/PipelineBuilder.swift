import Logging
import NIOCore

/// Builds every endpoint's pipeline at start-up: this is where a request's path through the gateway is decided.
///
/// For each endpoint: each backend gets `BackendProxy` (its backend stages around the host call), the backends
/// together get an `EndpointProxy`, and the endpoint stages wrap that. Stages come from `GatewayExtensions` in
/// the canonical order written in `StagePosition`; a stage exists only where its namespace is configured.
struct PipelineBuilder {
    let service: ServiceConfiguration
    let extensions: GatewayExtensions
    let transport: BackendTransport
    let resources: GatewayResources
    let logger: Logger

    /// The User-Agent sent to backends, as KrakenD sends `KrakenD Version x`.
    static let userAgent = "Portico Version \(PorticoVersion.current)"

    /// One compiled endpoint: its route and its handler.
    struct CompiledEndpoint {
        let template: RouteTemplate
        let method: String
        let handler: EndpointHandler
        /// Whether the handler collects a streamed request body before its proxy (see `RequestBody.mustBuffer`).
        var needsBufferedBody = false
    }

    /// Builds every endpoint, collecting every problem (not just the first) with its JSON path.
    func build() throws(ConfigurationError) -> [CompiledEndpoint] {
        var problems: [ConfigurationProblem] = []
        var compiled: [CompiledEndpoint] = []
        for endpoint in service.endpoints {
            do {
                compiled.append(try build(endpoint))
            } catch let error as ConfigurationError {
                problems.append(contentsOf: error.problems)
            } catch {
                problems.append(
                    ConfigurationProblem(file: service.fileName, path: endpoint.jsonPath, message: "\(error)")
                )
            }
        }
        if !problems.isEmpty { throw ConfigurationError(problems: problems) }
        return compiled
    }

    private func build(_ endpoint: EndpointConfiguration) throws -> CompiledEndpoint {
        let template: RouteTemplate
        do {
            template = try RouteTemplate(endpoint.path)
        } catch {
            throw ConfigurationError(problems: [
                .init(file: service.fileName, path: endpoint.jsonPath + ".endpoint", message: "\(error)")
            ])
        }
        // proxy / backend/http namespaces (Proxy/EndpointProxy.swift): validated here, problems carry JSON paths.
        let proxyOptions = try EndpointProxy.readOptions(for: endpoint, file: service.fileName, logger: logger)
        var backends: [BackendProxy] = []
        for (index, backend) in endpoint.backends.enumerated() {
            let stages = try backendStages(for: backend, index: index, endpoint: endpoint)
            do {
                backends.append(
                    try BackendProxy(
                        configuration: backend,
                        endpoint: endpoint,
                        routeParameters: template.parameterNames,
                        options: service.http,
                        transport: transport,
                        userAgent: Self.userAgent,
                        stages: stages,
                        options: proxyOptions.backends[index],
                        sequentialIndex: proxyOptions.sequentialIndices[index],
                        hostSource: try BackendHostSource.make(
                            for: backend,
                            service: service,
                            resources: resources,
                            logger: logger
                        )
                    )
                )
            } catch {
                throw ConfigurationError(problems: [
                    .init(file: service.fileName, path: backend.jsonPath, message: "\(error)")
                ])
            }
        }
        let proxy = EndpointProxy(
            backends: backends,
            timeout: endpoint.timeout,
            renderer: ResponseRenderer(endpoint: endpoint, service: service, options: proxyOptions.endpoint),
            options: proxyOptions.endpoint
        )
        var handler: EndpointHandler = { request in proxy.handle(request) }
        // Bodies stream to a single backend; several backend calls need the bytes in hand (collected after auth).
        let needsBufferedBody = RequestBody.mustBuffer(for: endpoint)
        if needsBufferedBody { handler = RequestBody.buffering(handler, maxBytes: service.http.maxBodyBytes) }
        for stage in try endpointStages(for: endpoint).reversed() {
            let next = handler
            handler = { request in stage.handle(request, next: next) }
        }
        return CompiledEndpoint(
            template: template,
            method: endpoint.method,
            handler: handler,
            needsBufferedBody: needsBufferedBody
        )
    }

    private func endpointStages(for endpoint: EndpointConfiguration) throws -> [any EndpointMiddleware] {
        try extensions.orderedEndpointStages.compactMap { registration in
            let extraConfig = registration.isServiceWide ? service.extraConfig : endpoint.extraConfig
            guard let value = extraConfig[registration.namespace] else { return nil }
            return try registration.factory(
                StageContext(
                    namespace: registration.namespace,
                    value: value,
                    path: extraConfig.path(of: registration.namespace),
                    service: service,
                    endpoint: endpoint,
                    backend: nil,
                    backendIndex: nil,
                    logger: logger,
                    resources: resources
                )
            )
        }
    }

    private func backendStages(
        for backend: BackendConfiguration,
        index: Int,
        endpoint: EndpointConfiguration
    ) throws -> [any BackendMiddleware] {
        try extensions.orderedBackendStages.compactMap { registration in
            guard let value = backend.extraConfig[registration.namespace] else { return nil }
            return try registration.factory(
                StageContext(
                    namespace: registration.namespace,
                    value: value,
                    path: backend.extraConfig.path(of: registration.namespace),
                    service: service,
                    endpoint: endpoint,
                    backend: backend,
                    backendIndex: index,
                    logger: logger,
                    resources: resources
                )
            )
        }
    }
}

/// Portico's version, as `portico version` prints it and backends see it in `User-Agent`.
public enum PorticoVersion {
    /// The release version.
    public static let current = "0.1.0"
}
