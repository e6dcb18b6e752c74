public import NIOCore
public import NIOHTTP1

/// The request half of one exchange with a backend host, as written on the wire.
public struct BackendWireRequest: Sendable {
    /// Method sent to the backend.
    public var method: HTTPMethod
    /// Request target (path and query), already built from the `url_pattern`.
    public var uri: String
    /// Headers sent, including `Host`.
    public var headers: HTTPHeaders
    /// Body sent, if any.
    public var body: ByteBuffer?
    /// When the exchange must be over.
    public var deadline: NIODeadline
    /// Stream the response body instead of buffering it (`no-op`).
    public var streamResponse: Bool
    /// A larger buffered body fails the exchange.
    public var maxResponseBytes: Int

    public init(
        method: HTTPMethod,
        uri: String,
        headers: HTTPHeaders,
        body: ByteBuffer?,
        deadline: NIODeadline,
        streamResponse: Bool = false,
        maxResponseBytes: Int = 10 << 20
    ) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
        self.deadline = deadline
        self.streamResponse = streamResponse
        self.maxResponseBytes = maxResponseBytes
    }
}

/// What a backend host answered, before any decoding.
public struct BackendWireResponse: Sendable {
    /// The backend's status.
    public var status: HTTPResponseStatus
    /// The backend's headers.
    public var headers: HTTPHeaders
    /// The whole body, or a stream when the request asked for streaming.
    public var body: GatewayResponse.Body
}

/// How an exchange with a backend host failed at the transport level.
enum BackendTransportError: Error, Equatable {
    case connectFailed(String)
    case connectionClosed(beforeResponse: Bool)
    case timeout
    case responseTooLarge(Int)
    case protocolError(String)
}
