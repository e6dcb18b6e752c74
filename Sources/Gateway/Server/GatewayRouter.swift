import NIOCore
import NIOHTTP1

/// Where a request enters the gateway's logic: the health check, then the route table, then the endpoint's
/// compiled pipeline (see `PipelineBuilder`).
struct GatewayRouter: Sendable {
    private let table: RouteTable<EndpointHandler>
    private let healthPath: String
    /// Lower-cased client header names removed before routing (see `GatewayResources.stripRequestHeaders`).
    private let strippedHeaders: [String]

    init(
        endpoints: [PipelineBuilder.CompiledEndpoint],
        router: RouterOptions,
        strippedHeaders: Set<String> = [],
        file: String
    ) throws(ConfigurationError) {
        do {
            table = try RouteTable(endpoints.map { ($0.template, $0.method, $0.handler) })
        } catch {
            throw ConfigurationError(problems: [
                ConfigurationProblem(file: file, path: "endpoints", message: "\(error)")
            ])
        }
        healthPath = router.healthPath
        self.strippedHeaders = strippedHeaders.sorted()
    }

    /// Answers one request; the future never fails.
    func respond(to request: GatewayRequest) -> EventLoopFuture<GatewayResponse> {
        let loop = request.eventLoop
        if request.path == healthPath, request.method == .GET || request.method == .HEAD {
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            return loop.makeSucceededFuture(
                GatewayResponse(status: .ok, headers: headers, body: .buffer(ByteBuffer(string: #"{"status":"ok"}"#)))
            )
        }
        switch table.match(path: request.path, method: request.method.rawValue) {
        case .found(let handler, let parameters):
            var request = request
            // Forged copies of headers the gateway itself derives never reach any stage or backend.
            for name in strippedHeaders { request.headers.remove(name: name) }
            request.parameters = parameters
            return handler(request)
        case .methodNotAllowed(let allowed):
            var response = GatewayResponse.make(
                status: .methodNotAllowed,
                contentType: "text/plain; charset=utf-8",
                text: "405 method not allowed"
            )
            response.headers.add(name: "Allow", value: allowed.joined(separator: ", "))
            return loop.makeSucceededFuture(response)
        case .notFound:
            return loop.makeSucceededFuture(
                .make(status: .notFound, contentType: "text/plain; charset=utf-8", text: "404 page not found")
            )
        }
    }
}
