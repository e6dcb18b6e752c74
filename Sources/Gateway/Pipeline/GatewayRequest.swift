public import NIOCore
public import NIOHTTP1

/// A client request as the endpoint stages see it: parsed once by the server handler, copied and enriched by
/// stages (a typed context, not a dictionary bag).
///
/// Allocation: one per request for the parameter array; headers and body are the codec's own storage.
public struct GatewayRequest: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The raw request target as received (`/users/7?page=2`).
    public var uri: String
    /// The path part of `uri` (before `?`), not percent-decoded.
    public var path: Substring
    /// The query part of `uri` (after `?`), without the `?`; empty when absent.
    public var query: Substring
    /// The route's `{parameters}` with their raw values, in template order.
    public var parameters: [(name: String, value: Substring)]
    /// The request headers as received.
    public var headers: HTTPHeaders
    /// The request body (bounded by `portico/http.max_body_bytes`): none, buffered, or still arriving (a stream
    /// forwarded to a single backend; endpoints that need the bytes more than once see it `.buffered`).
    public var body: RequestBody
    /// The client's address, for `X-Forwarded-For` and per-client limits.
    public var remoteAddress: SocketAddress?
    /// The event loop of the client connection; every future of this request completes on it.
    public var eventLoop: any EventLoop
    /// Headers that stages add to what is sent to every backend (e.g. propagated JWT claims).
    public var backendHeaders: HTTPHeaders
    /// Headers that stages add to the response (e.g. rate-limit fields).
    public var responseHeaders: HTTPHeaders

    /// A request whose body, if any, is already in hand.
    public init(
        method: HTTPMethod,
        uri: String,
        headers: HTTPHeaders,
        body: ByteBuffer? = nil,
        remoteAddress: SocketAddress? = nil,
        eventLoop: any EventLoop,
        parameters: [(name: String, value: Substring)] = []
    ) {
        self.init(
            method: method,
            uri: uri,
            headers: headers,
            requestBody: RequestBody(body),
            remoteAddress: remoteAddress,
            eventLoop: eventLoop,
            parameters: parameters
        )
    }

    /// A request with any kind of body (the server handler passes a stream).
    public init(
        method: HTTPMethod,
        uri: String,
        headers: HTTPHeaders,
        requestBody: RequestBody,
        remoteAddress: SocketAddress? = nil,
        eventLoop: any EventLoop,
        parameters: [(name: String, value: Substring)] = []
    ) {
        self.method = method
        self.uri = uri
        if let mark = uri.firstIndex(of: "?") {
            self.path = uri[uri.startIndex..<mark]
            self.query = uri[uri.index(after: mark)...]
        } else {
            self.path = uri[...]
            self.query = ""
        }
        self.parameters = parameters
        self.headers = headers
        self.body = requestBody
        self.remoteAddress = remoteAddress
        self.eventLoop = eventLoop
        self.backendHeaders = HTTPHeaders()
        self.responseHeaders = HTTPHeaders()
    }

    /// The value of the route parameter `name`, if the route has it.
    public func parameter(_ name: String) -> Substring? {
        parameters.first { $0.name == name }?.value
    }
}
