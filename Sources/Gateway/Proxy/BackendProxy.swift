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
    /// `concurrent_calls`: identical calls made at once, the first success wins (1: a plain call).
    private let concurrentCalls: Int
    /// `proxy.shadow`: the endpoint mirrors requests here and ignores the answer.
    let isShadow: Bool
    /// `proxy.shadow_timeout`, when set.
    let shadowTimeout: Duration?

    init(
        configuration: BackendConfiguration,
        endpoint: EndpointConfiguration,
        routeParameters: [String],
        options httpOptions: PorticoHTTPOptions,
        transport: BackendTransport,
        userAgent: String,
        stages: [any BackendMiddleware],
        options: BackendProxyOptions = BackendProxyOptions(),
        sequentialIndex: Int? = nil,
        hostSource: BackendHostSource? = nil
    ) throws {
        self.name = configuration.urlPattern
        self.method = HTTPMethod(rawValue: configuration.method)
        self.template = try URLTemplate(
            configuration.urlPattern,
            routeParameters: routeParameters,
            sequentialIndex: sequentialIndex
        )
        self.concurrentCalls = max(1, endpoint.concurrentCalls)
        self.isShadow = options.shadow
        self.shadowTimeout = options.shadowTimeout
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
        let hostCall = try HostCall(
            configuration: configuration,
            options: httpOptions,
            transport: transport,
            proxyOptions: options,
            hostSource: hostSource
        )
        var chain: BackendHandler = { request in hostCall.call(request) }
        for stage in stages.reversed() {
            let next = chain
            chain = { request in stage.handle(request, next: next) }
        }
        self.chain = chain
    }

    /// Calls the backend for `request` through its stages; `responses` are the formatted bodies of the backends
    /// before this one in a sequential endpoint (empty otherwise).
    func call(
        _ request: GatewayRequest,
        deadline: NIODeadline,
        responses: [ByteBuffer?] = []
    ) -> EventLoopFuture<BackendResponse> {
        let body = request.body
        let query = forwarding.makeQuery(for: request)
        var backendRequest = BackendRequest(
            method: method,
            uri: template.readsResponses
                ? template.render(parameters: request.parameters, query: query, responses: responses)
                : template.render(parameters: request.parameters, query: query),
            headers: forwarding.makeHeaders(for: request, hasBody: !body.isEmpty),
            body: body,
            deadline: deadline,
            eventLoop: request.eventLoop
        )
        backendRequest.parameters = request.parameters
        if concurrentCalls == 1 { return chain(backendRequest) }
        return callConcurrently(backendRequest)
    }

    /// `concurrent_calls`, as Lura's `NewConcurrentMiddleware` (`proxy/concurrent.go`): the same request goes out
    /// `concurrentCalls` times through the whole chain; the first success wins and the rest are ignored (their
    /// connections finish or time out on their own); when all fail, the last failure is the result.
    private func callConcurrently(_ request: BackendRequest) -> EventLoopFuture<BackendResponse> {
        let loop = request.eventLoop
        let promise = loop.makePromise(of: BackendResponse.self)
        let state = NIOLoopBound(ConcurrentCallState(remaining: concurrentCalls), eventLoop: loop)
        for _ in 0..<concurrentCalls {
            chain(request).hop(to: loop).whenComplete { result in
                let call = state.value
                call.remaining -= 1
                guard !call.done else {
                    // A late winner's streamed (no-op) body is drained, never left to buffer until the deadline.
                    if case .success(let late) = result { late.body.discard() }
                    return
                }
                switch result {
                case .success(let response):
                    call.done = true
                    promise.succeed(response)
                case .failure(let error):
                    if call.remaining == 0 {
                        call.done = true
                        promise.fail(error)
                    }
                }
            }
        }
        return promise.futureResult
    }

}

/// The progress of one request's concurrent calls, on its event loop.
private final class ConcurrentCallState {
    var remaining: Int
    var done = false

    init(remaining: Int) {
        self.remaining = remaining
    }
}

/// The innermost step of a backend chain: load balancing over `host[]`, the exchange, KrakenD's success rule,
/// decoding and manipulation.
struct HostCall: Sendable {
    let name: String
    private let hosts: [BackendOrigin]
    /// Discovered hosts (`"sd": "dns"`), read per call instead of `hosts`; nil for a static `host` list.
    private let hostSource: BackendHostSource?
    private let nextHost: RoundRobin
    private let transport: BackendTransport
    private let encoding: BackendEncoding
    /// Reads `safejson`, `string`, `xml` and `rss` bodies into a JSON object (`Formats/BackendDecoder`); nil for
    /// `json` and `no-op`, so the JSON path does no extra work.
    private let decoder: BackendDecoder?
    private let manipulation: ResponseManipulation
    private let maxResponseBytes: Int
    /// `proxy.flatmap_filter`: replaces allow/deny/mapping; `group` is applied after it (Lura's flatmapFormatter).
    private let flatmap: FlatmapFilter?
    private let group: String?
    /// `backend/http.return_error_code`.
    private let returnErrorCode: Bool
    /// `backend/http.return_error_details`.
    private let returnErrorDetails: String?

    init(
        configuration: BackendConfiguration,
        options: PorticoHTTPOptions,
        transport: BackendTransport,
        proxyOptions: BackendProxyOptions = BackendProxyOptions(),
        hostSource: BackendHostSource? = nil
    ) throws {
        self.name = configuration.urlPattern
        self.hostSource = hostSource
        // With discovery, `host` holds SRV names, not URLs.
        self.hosts =
            hostSource != nil
            ? [] : try configuration.host.map { url throws(BackendOriginError) in try BackendOrigin(url) }
        guard !hosts.isEmpty || hostSource != nil else {
            throw BackendOriginError(url: "", reason: "list is empty for \(configuration.jsonPath)")
        }
        self.nextHost = RoundRobin()
        self.transport = transport
        self.encoding = configuration.encoding
        self.decoder = BackendDecoder(configuration)
        self.flatmap = proxyOptions.flatmap
        self.group = configuration.group
        self.returnErrorCode = proxyOptions.returnErrorCode
        self.returnErrorDetails = proxyOptions.returnErrorDetails
        let hasFlatmap = proxyOptions.flatmap != nil
        self.manipulation = ResponseManipulation(
            target: configuration.target,
            allow: hasFlatmap ? [] : configuration.allow,
            deny: hasFlatmap ? [] : configuration.deny,
            mapping: hasFlatmap ? [] : configuration.mapping,
            group: hasFlatmap ? nil : configuration.group,
            // A decoder applies `is_collection` its own way (Lura's decoders), and always yields an object.
            isCollection: configuration.isCollection && decoder == nil
        )
        self.maxResponseBytes = options.maxBackendResponseBytes
    }

    /// Picks a host (round robin), runs the exchange, then checks the status and shapes the body.
    func call(_ request: BackendRequest) -> EventLoopFuture<BackendResponse> {
        guard let hostSource else { return call(request, host: hosts[nextHost.next() % hosts.count]) }
        // A discovered list is this loop's snapshot (lock-free); it is empty until a DNS lookup succeeded.
        let discovered = hostSource.hosts(on: request.eventLoop)
        guard !discovered.isEmpty else {
            request.body.discard()
            return request.eventLoop.makeFailedFuture(
                GatewayError.backendUnreachable("no hosts: \(hostSource.unavailableReason)", backend: name)
            )
        }
        return call(request, host: discovered[nextHost.next() % discovered.count])
    }

    /// Runs the exchange with `host`, then checks the status and shapes the body.
    private func call(_ request: BackendRequest, host: BackendOrigin) -> EventLoopFuture<BackendResponse> {
        var headers = request.headers
        headers.replaceOrAdd(name: "Host", value: host.hostHeader)
        // Content-Length / Transfer-Encoding: the transport frames the body (buffered, or streamed chunked).
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
            throw failure(response)
        }
        // Other encodings become a JSON object first (`Formats/BackendDecoder`); `json` has no decoder.
        let body = try decoder?.decode(response.body) ?? response.body
        guard case .buffer(var input) = body else {
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
        if let flatmap {
            // The slow path: a tree, the operations, then `group` (as Lura's flatmapFormatter.Format).
            guard var tree = try? JSONValue(parsing: output) else {
                throw GatewayError.invalidBackendBody("flatmap_filter: not a JSON object", backend: name)
            }
            flatmap.apply(to: &tree)
            if let group {
                var wrapper = JSONObject()
                wrapper[group] = tree
                tree = .object(wrapper)
            }
            var flattened = ByteBufferAllocator().buffer(capacity: output.readableBytes + 16)
            tree.write(into: &flattened)
            return BackendResponse(status: response.status, headers: response.headers, body: .buffer(flattened))
        }
        var shaped = BackendResponse(status: response.status, headers: response.headers, body: .buffer(output))
        shaped.objectKeys = keys
        return shaped
    }

    /// The error for a non-success status: KrakenD's plain failure, or what `backend/http` asks for (details win
    /// over the status code, as Lura's `NewHTTPStatusHandler` checks them first).
    private func failure(_ response: BackendWireResponse) -> any Error {
        guard returnErrorCode || returnErrorDetails != nil else {
            return GatewayError.backendStatus(Int(response.status.code), backend: name)
        }
        var body = ByteBuffer()
        if case .buffer(let buffer) = response.body { body = buffer }
        let contentType = response.headers.first(name: "Content-Type")
        if let returnErrorDetails {
            return BackendErrorDetails(
                name: returnErrorDetails,
                status: Int(response.status.code),
                body: body,
                contentType: contentType
            )
        }
        return BackendStatusError(
            status: response.status,
            body: body,
            contentType: contentType,
            backend: name,
            passesStatus: true
        )
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
