import Logging
import NIOCore
import NIOHTTP1

/// The proxy layer of one endpoint: calls its backends (one, several in parallel, or a sequential chain), merges
/// their objects in declaration order, and renders the response with KrakenD's headers and status rules.
///
/// Shadow backends (`proxy.shadow`) get a copy of each request and their answers are dropped: the client never
/// waits for them (Lura's `proxy/shadow.go`).
struct EndpointProxy: Sendable {
    private let backends: [BackendProxy]
    private let shadows: [BackendProxy]
    private let shadowTimeout: TimeAmount
    private let timeout: TimeAmount
    private let renderer: ResponseRenderer
    private let sequential: Bool

    init(
        backends: [BackendProxy],
        timeout: Duration,
        renderer: ResponseRenderer,
        options: EndpointProxyOptions = EndpointProxyOptions()
    ) {
        self.backends = backends.filter { !$0.isShadow }
        self.shadows = backends.filter(\.isShadow)
        // Lura: the longest shadow backend timeout, each defaulting to the endpoint's.
        self.shadowTimeout = shadows.map { ($0.shadowTimeout ?? timeout).timeAmount }.max() ?? timeout.timeAmount
        self.timeout = timeout.timeAmount
        var renderer = renderer
        // Lura applies the endpoint flatmap only in its multi-backend (merging) pipeline.
        if self.backends.count < 2 { renderer.flatmap = nil }
        self.renderer = renderer
        self.sequential = options.sequential && self.backends.count > 1
    }

    /// Reads and validates the `proxy` and `backend/http` namespaces of `endpoint` and its backends, logging
    /// warnings; throws every problem with its JSON path.
    static func readOptions(
        for endpoint: EndpointConfiguration,
        file: String,
        logger: Logger
    ) throws(ConfigurationError) -> (
        endpoint: EndpointProxyOptions, backends: [BackendProxyOptions], sequentialIndices: [Int?]
    ) {
        var reader = ProxyNamespaceReader(file: file)
        let options = EndpointProxyOptions.read(endpoint.extraConfig, into: &reader)
        let backendOptions = endpoint.backends.map { BackendProxyOptions.read($0.extraConfig, into: &reader) }
        // In a sequential endpoint `{respN_…}` counts the backends that are not shadows (Lura's shadow factory
        // removes shadows before the merger numbers the rest); shadows read no responses.
        var sequentialIndices: [Int?] = []
        var position = 0
        for backend in backendOptions {
            if options.sequential && !backend.shadow {
                sequentialIndices.append(position)
                position += 1
            } else {
                sequentialIndices.append(nil)
            }
        }
        if !backendOptions.isEmpty && backendOptions.allSatisfy(\.shadow) {
            // Lura's shadow factory then has no regular backend to answer with (ErrNoBackends).
            reader.problem(
                ConfigurationPath.member(endpoint.jsonPath, "backend"),
                "expected at least one backend that is not a shadow (extra_config.proxy.shadow), got none"
            )
        }
        if !options.sequential {
            for backend in endpoint.backends
            where ConfigurationReader.placeholders(in: backend.urlPattern).contains(where: {
                URLTemplate.responseReference($0, allowWhole: false) != nil
            }) {
                reader.warn(
                    ConfigurationPath.member(backend.jsonPath, "url_pattern"),
                    "{respN_…} placeholders are only replaced in sequential endpoints "
                        + "(extra_config.proxy.sequential); here they are sent literally, as KrakenD does"
                )
            }
        }
        for warning in reader.warnings { logger.warning("\(warning)") }
        if let error = reader.error { throw error }
        return (options, backendOptions, sequentialIndices)
    }

    /// Answers `request`; the returned future never fails (errors are rendered as responses).
    func handle(_ request: GatewayRequest) -> EventLoopFuture<GatewayResponse> {
        let deadline = NIODeadline.now() + timeout
        if !shadows.isEmpty { mirror(request) }
        if backends.count == 1 {
            return backends[0].call(request, deadline: deadline).map { response in
                renderer.render(single: response, request: request)
            }.recover { error in
                renderer.render(failures: [error], request: request)
            }
        }
        if sequential {
            return callInSequence(request, deadline: deadline).map { results in
                if results.count == 1, case .failure(let error) = results[0] {
                    // Lura: the first backend's failure is the endpoint's error, not a partial response.
                    return renderer.render(failures: [error], request: request)
                }
                return renderer.render(merging: results, request: request)
            }
        }
        return gather(request, deadline: deadline).map { results in
            renderer.render(merging: results, request: request)
        }
    }

    /// Sends the request to every shadow backend and drops the answers.
    private func mirror(_ request: GatewayRequest) {
        let deadline = NIODeadline.now() + shadowTimeout
        for shadow in shadows {
            // The answer is dropped; a streamed (no-op) body is drained so it does not buffer until the deadline.
            shadow.call(request, deadline: deadline).whenSuccess { $0.body.discard() }
        }
    }

    /// Lura's `sequentialMerge` (`proxy/merging.go`): backends in order, each seeing the formatted responses of
    /// the ones before; stops at the first failure or incomplete answer. Returns the results gathered.
    private func callInSequence(
        _ request: GatewayRequest,
        deadline: NIODeadline
    ) -> EventLoopFuture<[Result<BackendResponse, any Error>]> {
        let loop = request.eventLoop
        let promise = loop.makePromise(of: [Result<BackendResponse, any Error>].self)
        let backends = self.backends
        @Sendable func step(_ index: Int, _ results: [Result<BackendResponse, any Error>], _ bodies: [ByteBuffer?]) {
            backends[index].call(request, deadline: deadline, responses: bodies).hop(to: loop).whenComplete {
                result in
                var results = results
                results.append(result)
                guard case .success(let response) = result, index + 1 < backends.count else {
                    promise.succeed(results)
                    return
                }
                var bodies = bodies
                if case .buffer(let body) = response.body { bodies[index] = body }
                step(index + 1, results, bodies)
            }
        }
        step(0, [], Array(repeating: nil, count: backends.count))
        return promise.futureResult
    }

    /// Calls every backend at once and collects their results in declaration order. Completes by the deadline
    /// even if a stage misbehaves: a result still missing then counts as a timeout.
    private func gather(
        _ request: GatewayRequest,
        deadline: NIODeadline
    ) -> EventLoopFuture<[Result<BackendResponse, any Error>]> {
        let loop = request.eventLoop
        let collector = NIOLoopBound(
            ResultCollector(count: backends.count, promise: loop.makePromise()),
            eventLoop: loop
        )
        for (index, backend) in backends.enumerated() {
            backend.call(request, deadline: deadline).hop(to: loop).whenComplete { result in
                collector.value.set(index, result)
            }
        }
        // A small grace after the deadline lets the transport's own timeouts report first, with their detail.
        let guardTask = loop.scheduleTask(deadline: deadline + .milliseconds(50)) {
            collector.value.expire()
        }
        let future = collector.value.promise.futureResult
        future.whenComplete { _ in guardTask.cancel() }
        return future
    }
}

/// Collects a fixed number of results on one event loop.
private final class ResultCollector {
    let promise: EventLoopPromise<[Result<BackendResponse, any Error>]>
    private var results: [Result<BackendResponse, any Error>?]
    private var remaining: Int
    private var done = false

    init(count: Int, promise: EventLoopPromise<[Result<BackendResponse, any Error>]>) {
        self.promise = promise
        self.results = Array(repeating: nil, count: count)
        self.remaining = count
    }

    func set(_ index: Int, _ result: Result<BackendResponse, any Error>) {
        guard !done, results[index] == nil else {
            // Too late (the endpoint answered at its deadline): a streamed body is drained, not left buffering.
            if case .success(let late) = result { late.body.discard() }
            return
        }
        results[index] = result
        remaining -= 1
        if remaining == 0 { finish() }
    }

    func expire() {
        guard !done else { return }
        finish()
    }

    private func finish() {
        done = true
        promise.succeed(results.map { $0 ?? .failure(GatewayError.timeout("endpoint timeout")) })
    }
}
