public import NIOCore
public import NIOHTTP1

/// A response on its way to the client: built by the proxy layer or short-circuited by a stage.
public struct GatewayResponse: Sendable {
    /// The status line's code.
    public var status: HTTPResponseStatus
    /// Response headers (the server adds `Content-Length`/`Transfer-Encoding`, `Connection`, `Date`).
    public var headers: HTTPHeaders
    /// The body: bytes in hand, or a backend body still arriving (`no-op` pass-through).
    public var body: Body
    /// False when some backend failed or timed out (`X-Krakend-Completed: false`).
    public var isComplete: Bool

    /// A response body.
    public enum Body: Sendable {
        /// No body.
        case empty
        /// The whole body.
        case buffer(ByteBuffer)
        /// A body streamed from a backend connection as it arrives, with its declared length if any.
        case stream(BackendBodyStream)
    }

    public init(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: Body = .empty, isComplete: Bool = true) {
        self.status = status
        self.headers = headers
        self.body = body
        self.isComplete = isComplete
    }

    /// A small plain or JSON response built by the gateway itself (errors, health).
    public static func make(
        status: HTTPResponseStatus,
        contentType: String? = nil,
        text: String? = nil,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) -> GatewayResponse {
        var headers = HTTPHeaders()
        var body = Body.empty
        if let text {
            if let contentType { headers.add(name: "Content-Type", value: contentType) }
            body = .buffer(allocator.buffer(string: text))
        }
        return GatewayResponse(status: status, headers: headers, body: body)
    }
}
