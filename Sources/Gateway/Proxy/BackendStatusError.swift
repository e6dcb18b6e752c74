import NIOCore
import NIOHTTP1

/// A backend's non-success answer kept whole, for `backend/http`: `return_error_code` passes `status` (and, with
/// the router's `return_error_msg`, the body) to the client; `return_error_details` renders it as data.
struct BackendStatusError: Error, CustomStringConvertible {
    /// The backend's status.
    var status: HTTPResponseStatus
    /// The backend's body, as received.
    var body: ByteBuffer
    /// The backend's `Content-Type`, if any.
    var contentType: String?
    /// The `url_pattern`, for logs.
    var backend: String
    /// Whether the client should get `status` (`return_error_code`).
    var passesStatus: Bool

    /// The body as text (what KrakenD prints as the error message).
    var description: String { String(buffer: body) }
}
