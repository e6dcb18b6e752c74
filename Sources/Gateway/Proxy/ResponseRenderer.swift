import NIOCore
import NIOHTTP1

/// Writes an endpoint's outcome as an HTTP response, by KrakenD's rules, with Portico's options.
///
/// - Success: 200 with the merged object (`json`), its `collection` array (`json-collection`) or the backend's
///   response untouched (`no-op`); `X-Krakend-Completed`; `Cache-Control` from `cache_ttl` on complete responses.
/// - Some backends failed: 200 with what succeeded and `X-Krakend-Completed: false`.
/// - All failed: 500 (KrakenD) or 502/503/504 (`portico/http.status_codes: precise`), with the error text as
///   `text/plain` only under `router.return_error_msg`.
/// - `backend/http.return_error_code` on a lone failure: the backend's status (its body only under
///   `return_error_msg`); `return_error_details`: the failure as data under `error_<name>`, incomplete.
/// - `proxy.flatmap_filter` (multi-backend, no failure) then `proxy.static`, as Lura's endpoint middlewares.
struct ResponseRenderer: Sendable {
    let outputEncoding: OutputEncoding
    /// `string`, `xml`, `yaml` and `negotiate` (`Formats/OutputEncoder`); nil for the encodings written here.
    let outputEncoder: OutputEncoder?
    let cacheControl: String?
    let statusCodes: StatusCodeMode
    let returnErrorMessage: Bool
    /// Endpoint `proxy.static`.
    var staticData: StaticResponseData?
    /// Endpoint `proxy.flatmap_filter` (cleared by `EndpointProxy` for single-backend endpoints).
    var flatmap: FlatmapFilter?

    init(
        endpoint: EndpointConfiguration,
        service: ServiceConfiguration,
        options: EndpointProxyOptions = EndpointProxyOptions()
    ) {
        self.outputEncoding = endpoint.outputEncoding
        self.outputEncoder = OutputEncoder(endpoint.outputEncoding)
        self.cacheControl = endpoint.cacheTTL.map { "public, max-age=\($0.components.seconds)" }
        self.statusCodes = service.http.statusCodes
        self.returnErrorMessage = service.router.returnErrorMessage
        self.staticData = options.staticData
        self.flatmap = options.flatmap
        self.versionHeader = GatewayRouter.versionHeader(hidden: service.router.hideVersionHeader)
    }

    /// Lura's `X-KrakenD: Version …` as `X-Portico`, set on every response the proxy renders (as Lura's endpoint
    /// handler does), added here to headers the response has anyway: no per-request header storage of its own.
    let versionHeader: String

    func render(single response: BackendResponse, request: GatewayRequest) -> GatewayResponse {
        if outputEncoding == .noop {
            // The backend's status, headers and body, untouched but for hop-by-hop headers.
            var headers = HTTPHeaders()
            for (name, value) in response.headers where !Self.isHopByHop(name) {
                headers.add(name: name, value: value)
            }
            return finish(GatewayResponse(status: response.status, headers: headers, body: response.body), request)
        }
        guard case .buffer(var object) = response.body else {
            return finish(GatewayResponse(status: .ok, body: .empty), request)
        }
        if let staticData, staticData.matches(errored: false, complete: true) {
            object = staticData.merge(over: object)
        }
        return finish(renderJSON(object, complete: true, allocator: ByteBufferAllocator(), request: request), request)
    }

    func render(merging results: [Result<BackendResponse, any Error>], request: GatewayRequest) -> GatewayResponse {
        var objects: [ByteBuffer] = []
        objects.reserveCapacity(results.count)
        var keys: [JSONObjectKeys] = []
        keys.reserveCapacity(results.count)
        var failures: [any Error] = []
        var hasDetails = false
        for result in results {
            switch result {
            case .success(let response):
                if case .buffer(let object) = response.body {
                    objects.append(object)
                    // Stages may replace a body; without keys for every part the merger reads them itself.
                    if let objectKeys = response.objectKeys { keys.append(objectKeys) }
                }
            case .failure(let details as BackendErrorDetails):
                objects.append(details.object)
                hasDetails = true
            case .failure(let error):
                failures.append(error)
            }
        }
        guard !objects.isEmpty else { return render(failures: failures, request: request) }
        let allocator = ByteBufferAllocator()
        var merged = allocator.buffer(capacity: objects.reduce(0) { $0 + $1.readableBytes })
        Self.withReadableBytes(of: objects) { pointers in
            JSONMerger.merge(pointers, keys: keys.count == objects.count ? keys : nil, into: &merged)
        }
        let errored = !failures.isEmpty
        let complete = !errored && !hasDetails && objects.count == results.count
        if flatmap != nil || staticData != nil {
            merged = transform(merged, errored: errored, complete: complete)
        }
        return finish(renderJSON(merged, complete: complete, allocator: allocator, request: request), request)
    }

    /// The endpoint-level slow path: flatmap (only when no backend failed: Lura's `NewFlatmapMiddleware` passes
    /// errored results through), then static data.
    private func transform(_ merged: ByteBuffer, errored: Bool, complete: Bool) -> ByteBuffer {
        var merged = merged
        if let flatmap, !errored, var tree = try? JSONValue(parsing: merged) {
            flatmap.apply(to: &tree)
            var output = ByteBufferAllocator().buffer(capacity: merged.readableBytes)
            tree.write(into: &output)
            merged = output
        }
        if let staticData, staticData.matches(errored: errored, complete: complete) {
            merged = staticData.merge(over: merged)
        }
        return merged
    }

    func render(failures: [any Error], request: GatewayRequest) -> GatewayResponse {
        if failures.contains(where: { $0 is BackendErrorDetails }) {
            return render(merging: failures.map { .failure($0) }, request: request)
        }
        if let staticData, staticData.matches(errored: true, complete: false) {
            // Lura's static middleware gives a failed endpoint a response, which the router renders as 200.
            let object = staticData.merge(over: nil)
            let rendered = renderJSON(object, complete: false, allocator: ByteBufferAllocator(), request: request)
            return finish(rendered, request)
        }
        if failures.count == 1, let statusError = failures[0] as? BackendStatusError, statusError.passesStatus {
            // `return_error_code`: the backend's status; its body only with `return_error_msg` (KrakenD docs,
            // "Returning the backend headers and errors").
            var response = GatewayResponse(status: statusError.status, isComplete: false)
            if returnErrorMessage {
                response.headers.add(
                    name: "Content-Type",
                    value: statusError.contentType ?? "text/plain; charset=utf-8"
                )
                response.body = .buffer(statusError.body)
            }
            return finish(response, request)
        }
        let errors = failures.compactMap { $0 as? GatewayError }
        let status: HTTPResponseStatus
        if statusCodes == .precise {
            // Timeouts dominate (the client waited), then deliberate unavailability, then bad gateways.
            if errors.contains(where: { if case .timeout = $0 { true } else { false } }) {
                status = .gatewayTimeout
            } else if !errors.isEmpty && errors.allSatisfy({ if case .unavailable = $0 { true } else { false } }) {
                status = .serviceUnavailable
            } else {
                status = .badGateway
            }
        } else {
            status = .internalServerError
        }
        var response = GatewayResponse(status: status, isComplete: false)
        if returnErrorMessage {
            let text = failures.map { "\($0)" }.joined(separator: "\n")
            response.headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            response.body = .buffer(ByteBuffer(string: text))
        }
        return finish(response, request)
    }

    /// Encodes the merged object as the endpoint's output encoding.
    private func renderJSON(
        _ object: ByteBuffer,
        complete: Bool,
        allocator: ByteBufferAllocator,
        request: GatewayRequest
    ) -> GatewayResponse {
        var body = object
        var contentType = OutputEncoder.jsonContentType
        if let outputEncoder {
            (body, contentType) = outputEncoder.render(object, requestHeaders: request.headers, allocator: allocator)
        } else if outputEncoding == .jsonCollection {
            var collection = allocator.buffer(capacity: object.readableBytes)
            object.withUnsafeReadableBytes { bytes in
                JSONCollectionRenderer.render(bytes, into: &collection)
            }
            body = collection
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        if complete, let cacheControl { headers.add(name: "Cache-Control", value: cacheControl) }
        return GatewayResponse(status: .ok, headers: headers, body: .buffer(body), isComplete: complete)
    }

    private func finish(_ response: GatewayResponse, _ request: GatewayRequest) -> GatewayResponse {
        var response = response
        if outputEncoding != .noop {
            response.headers.add(name: "X-Krakend-Completed", value: response.isComplete ? "true" : "false")
        }
        response.headers.add(name: GatewayRouter.versionHeaderName, value: versionHeader)
        for (name, value) in request.responseHeaders { response.headers.add(name: name, value: value) }
        return response
    }

    private static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
    ]

    static func isHopByHop(_ name: String) -> Bool {
        hopByHop.contains(name.lowercased())
    }

    /// Exposes several buffers' readable bytes at once, for the merger.
    private static func withReadableBytes<R>(
        of buffers: [ByteBuffer],
        _ body: ([UnsafeRawBufferPointer]) -> R
    ) -> R {
        func recurse(_ index: Int, _ pointers: inout [UnsafeRawBufferPointer]) -> R {
            if index == buffers.count { return body(pointers) }
            return buffers[index].withUnsafeReadableBytes { bytes in
                pointers.append(bytes)
                return recurse(index + 1, &pointers)
            }
        }
        var pointers: [UnsafeRawBufferPointer] = []
        pointers.reserveCapacity(buffers.count)
        return recurse(0, &pointers)
    }
}
