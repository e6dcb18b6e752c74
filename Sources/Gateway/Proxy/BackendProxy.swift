import NIOCore
import NIOHTTP1
import Synchronization

/// One backend of one endpoint, built at start-up: URL template, forwarding rules, and the stage chain around
/// the host call.
///
/// Per call it allocates the URI string, the header storage, and (in `HostCall`) the formatted body buffer.
final class BackendProxy: Sendable {
    /// A label for logs and error texts: the `url_pattern`.
    let name: String
    private let method: HTTPMethod
    private let template: URLTemplate
    private let forwarding: RequestForwarding
    /// The backend's stages around `HostCall.call`, outermost first; composed once here.
    private let chain: BackendHandler

    init(
        configuration: BackendConfiguration,
        endpoint: EndpointConfiguration,
        routeParameters: [String],
        options: PorticoHTTPOptions,
        transport: BackendTransport,
        userAgent: String,
        stages: [any BackendMiddleware]
    ) throws {
        self.name = configuration.urlPattern
        self.method = HTTPMethod(rawValue: configuration.method)
        self.template = try URLTemplate(configuration.urlPattern, routeParameters: routeParameters)
        self.forwarding = RequestForwarding(
            headers: RequestForwarding.narrow(
                endpoint.inputHeaders,
                by: configuration.inputHeaders,
                caseInsensitive: true
            ),
            query: RequestForwarding.narrow(
                endpoint.inputQueryStrings,
                by: configuration.inputQueryStrings,
                caseInsensitive: false
            ),
            userAgent: userAgent,
            allowsContentEncoding: configuration.encoding == .noop
        )
        let hostCall = try HostCall(configuration: configuration, options: options, transport: transport)
        var chain: BackendHandler = { request in hostCall.call(request) }
        for stage in stages.reversed() {
            let next = chain
            chain = { request in stage.handle(request, next: next) }
        }
        self.chain = chain
    }

    /// Calls the backend for `request` through its stages.
    func call(_ request: GatewayRequest, deadline: NIODeadline) -> EventLoopFuture<BackendResponse> {
        let body = request.body
        let backendRequest = BackendRequest(
            method: method,
            uri: template.render(parameters: request.parameters, query: forwarding.makeQuery(for: request)),
            headers: forwarding.makeHeaders(for: request, hasBody: body != nil),
            body: body,
            deadline: deadline,
            eventLoop: request.eventLoop
        )
        return chain(backendRequest)
    }

}

/// The innermost step of a backend chain: load balancing over `host[]`, the exchange, KrakenD's success rule,
/// decoding and manipulation.
struct HostCall: Sendable {
    let name: String
    private let hosts: [BackendOrigin]
    private let nextHost: RoundRobin
    private let transport: BackendTransport
    private let encoding: BackendEncoding
    private let manipulation: ResponseManipulation
    private let maxResponseBytes: Int

    init(configuration: BackendConfiguration, options: PorticoHTTPOptions, transport: BackendTransport) throws {
        self.name = configuration.urlPattern
        self.hosts = try configuration.host.map { url throws(BackendOriginError) in try BackendOrigin(url) }
        guard !hosts.isEmpty else {
            throw BackendOriginError(url: "", reason: "list is empty for \(configuration.jsonPath)")
        }
        self.nextHost = RoundRobin()
        self.transport = transport
        self.encoding = configuration.encoding
        self.manipulation = ResponseManipulation(
            target: configuration.target,
            allow: configuration.allow,
            deny: configuration.deny,
            mapping: configuration.mapping,
            group: configuration.group,
            isCollection: configuration.isCollection
        )
        self.maxResponseBytes = options.maxBackendResponseBytes
    }

    /// Picks a host (round robin), runs the exchange, then checks the status and shapes the body.
    func call(_ request: BackendRequest) -> EventLoopFuture<BackendResponse> {
        let host = hosts[nextHost.next() % hosts.count]
        var headers = request.headers
        headers.replaceOrAdd(name: "Host", value: host.hostHeader)
        if let body = request.body { headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes)) }
        let wire = BackendWireRequest(
            method: request.method,
            uri: host.pathPrefix.isEmpty ? request.uri : host.pathPrefix + request.uri,
            headers: headers,
            body: request.body,
            deadline: request.deadline,
            streamResponse: encoding == .noop,
            maxResponseBytes: maxResponseBytes
        )
        return transport.execute(wire, on: host, eventLoop: request.eventLoop).flatMapErrorThrowing { error in
            throw Self.gatewayError(error, backend: self.name)
        }.flatMapThrowing { response in
            try self.shape(response)
        }
    }

    /// Applies KrakenD's success rule and the manipulation. Allocates the output buffer.
    private func shape(_ response: BackendWireResponse) throws -> BackendResponse {
        if encoding == .noop {
            return BackendResponse(status: response.status, headers: response.headers, body: response.body)
        }
        // Only 200 and 201 are successes for a decoded backend (Lura's DefaultHTTPStatusHandler).
        guard response.status == .ok || response.status == .created else {
            throw GatewayError.backendStatus(Int(response.status.code), backend: name)
        }
        guard case .buffer(var input) = response.body else {
            throw GatewayError.invalidBackendBody("empty body", backend: name)
        }
        // Pretty-printed bodies are compacted first (one extra buffer, only for them), as KrakenD re-encodes.
        if input.withUnsafeReadableBytes(JSONWhitespace.needsCompaction) {
            var compacted = ByteBufferAllocator().buffer(capacity: input.readableBytes)
            input.withUnsafeReadableBytes { JSONWhitespace.compact($0, into: &compacted) }
            input = compacted
        }
        var output = ByteBufferAllocator().buffer(capacity: input.readableBytes + 16)
        let keys: JSONObjectKeys
        do {
            keys = try input.withUnsafeReadableBytes { bytes in
                try manipulation.apply(to: bytes, into: &output)
            }
        } catch {
            throw GatewayError.invalidBackendBody("\(error)", backend: name)
        }
        var shaped = BackendResponse(status: response.status, headers: response.headers, body: .buffer(output))
        shaped.objectKeys = keys
        return shaped
    }

    private static func gatewayError(_ error: any Error, backend: String) -> any Error {
        guard let transportError = error as? BackendTransportError else { return error }
        switch transportError {
        case .timeout: return GatewayError.timeout("backend \(backend)")
        case .responseTooLarge(let limit): return GatewayError.backendResponseTooLarge(limit: limit, backend: backend)
        case .connectFailed(let reason): return GatewayError.backendUnreachable(reason, backend: backend)
        case .connectionClosed: return GatewayError.backendUnreachable("connection closed", backend: backend)
        case .protocolError(let reason): return GatewayError.backendUnreachable(reason, backend: backend)
        }
    }
}

/// A lock-free counter for round-robin host selection, shared by every loop.
final class RoundRobin: Sendable {
    private let counter = Atomic<Int>(0)

    /// The next index (wraps around; callers take it modulo their count).
    func next() -> Int {
        counter.wrappingAdd(1, ordering: .relaxed).oldValue & Int.max
    }
}
