import NIOCore
import NIOHTTP1

/// The proxy layer of one endpoint: calls its backends (one, or several in parallel), merges their objects in
/// declaration order, and renders the response with KrakenD's headers and status rules.
struct EndpointProxy: Sendable {
    private let backends: [BackendProxy]
    private let timeout: TimeAmount
    private let renderer: ResponseRenderer

    init(backends: [BackendProxy], timeout: Duration, renderer: ResponseRenderer) {
        self.backends = backends
        self.timeout = timeout.timeAmount
        self.renderer = renderer
    }

    /// Answers `request`; the returned future never fails (errors are rendered as responses).
    func handle(_ request: GatewayRequest) -> EventLoopFuture<GatewayResponse> {
        let deadline = NIODeadline.now() + timeout
        if backends.count == 1 {
            return backends[0].call(request, deadline: deadline).map { response in
                renderer.render(single: response, request: request)
            }.recover { error in
                renderer.render(failures: [error], request: request)
            }
        }
        return gather(request, deadline: deadline).map { results in
            renderer.render(merging: results, request: request)
        }
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
        guard !done, results[index] == nil else { return }
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
