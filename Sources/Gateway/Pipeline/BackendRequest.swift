public import NIOCore
public import NIOHTTP1

/// A request on its way to one backend, as backend stages see it (before a host is chosen).
public struct BackendRequest: Sendable {
    /// Method sent to the backend.
    public var method: HTTPMethod
    /// Path and query, built from the `url_pattern` (the host's path prefix is added by the transport).
    public var uri: String
    /// Headers sent to the backend (`Host` is added by the transport).
    public var headers: HTTPHeaders
    /// Body sent to the backend: none, buffered, or the client's body still arriving (forwarded as it arrives).
    public var body: RequestBody
    /// When the endpoint's `timeout` runs out.
    public var deadline: NIODeadline
    /// The client connection's event loop; the backend connection is opened on it.
    public var eventLoop: any EventLoop
    /// The route's `{parameters}` with their raw values (for stages that template on them, e.g. GraphQL variables).
    public var parameters: [(name: String, value: Substring)] = []

    public init(
        method: HTTPMethod,
        uri: String,
        headers: HTTPHeaders,
        body: RequestBody,
        deadline: NIODeadline,
        eventLoop: any EventLoop
    ) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
        self.deadline = deadline
        self.eventLoop = eventLoop
    }
}

/// A backend's successful answer after decoding and manipulation.
public struct BackendResponse: Sendable {
    /// The backend's status.
    public var status: HTTPResponseStatus
    /// The backend's headers (only `no-op` passes them to the client).
    public var headers: HTTPHeaders
    /// A JSON object after manipulation (`json`), or the untouched body (`no-op`).
    public var body: GatewayResponse.Body
    /// The top-level keys of `body` as found while shaping it, so merging need not read the object again.
    var objectKeys: JSONObjectKeys?

    public init(status: HTTPResponseStatus, headers: HTTPHeaders, body: GatewayResponse.Body) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Calls the rest of a backend's chain.
public typealias BackendHandler = @Sendable (BackendRequest) -> EventLoopFuture<BackendResponse>

/// Calls the rest of an endpoint's chain.
public typealias EndpointHandler = @Sendable (GatewayRequest) -> EventLoopFuture<GatewayResponse>

/// A stage in front of an endpoint's proxy: it may answer itself, or enrich the request and call `next`.
public protocol EndpointMiddleware: Sendable {
    /// Handles one request; must complete on `request.eventLoop`.
    func handle(_ request: GatewayRequest, next: @escaping EndpointHandler) -> EventLoopFuture<GatewayResponse>
}

/// A stage around one backend call: it may fail fast, or adjust the request and call `next`.
///
/// A failed future is a backend failure: inside an aggregate the other backends still answer.
public protocol BackendMiddleware: Sendable {
    /// Handles one backend call; must complete on `request.eventLoop`.
    func handle(_ request: BackendRequest, next: @escaping BackendHandler) -> EventLoopFuture<BackendResponse>
}
