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
    /// Body sent: framed with `Content-Length` when its length is known, chunked when it is a stream without one.
    public var body: RequestBody
    /// When the exchange must be over.
    public var deadline: NIODeadline
    /// Stream the response body instead of buffering it (`no-op`).
    public var streamResponse: Bool
    /// A larger buffered body fails the exchange; it counts decompressed bytes.
    public var maxResponseBytes: Int
    /// How 3xx answers are treated (default: followed as Go's `http.Client` does).
    public var redirects: BackendRedirectPolicy

    public init(
        method: HTTPMethod,
        uri: String,
        headers: HTTPHeaders,
        body: RequestBody,
        deadline: NIODeadline,
        streamResponse: Bool = false,
        maxResponseBytes: Int = 10 << 20,
        redirects: BackendRedirectPolicy = .follow
    ) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
        self.deadline = deadline
        self.streamResponse = streamResponse
        self.maxResponseBytes = maxResponseBytes
        self.redirects = redirects
    }
}

extension BackendWireRequest {
    /// Whether the transport asks for gzip itself and decodes the answer, as Go's transport does: only when the
    /// request carries no `Accept-Encoding` (a forwarded one means the client takes the bytes as they are), no
    /// `Range`, and is not a `HEAD`.
    var asksForGzip: Bool {
        method != .HEAD && !headers.contains(name: "accept-encoding") && !headers.contains(name: "range")
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
