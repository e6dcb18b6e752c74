import NIOCore

/// A backend failure turned into data by `backend/http.return_error_details`: the object
/// `{"error_<name>": {"http_status_code": …, "http_body": "…", "http_body_encoding": "…"}}`.
///
/// It travels as an error so the backend's stages (circuit breaker) still see a failure, but the proxy merges
/// `object` into the response and marks it incomplete. As Lura's `NewHTTPProxyDetailed` (`proxy/http.go`), the
/// endpoint is not "errored" for `static` strategies: the detail is data.
struct BackendErrorDetails: Error, CustomStringConvertible {
    /// The JSON object to merge.
    var object: ByteBuffer
    /// The backend's status, for logs.
    var status: Int

    init(name: String, status: Int, body: ByteBuffer, contentType: String?) {
        var details = JSONObject()
        details["http_status_code"] = .number(String(status))
        details["http_body"] = .string(String(buffer: body))
        details["http_body_encoding"] = .string(contentType ?? "")
        var wrapper = JSONObject()
        wrapper["error_\(name)"] = .object(details)
        var output = ByteBufferAllocator().buffer(capacity: body.readableBytes + name.utf8.count + 96)
        JSONValue.object(wrapper).write(into: &output)
        self.object = output
        self.status = status
    }

    var description: String { "backend answered with status \(status) (returned as details)" }
}
