import NIOCore
import NIOHTTP1

/// `echo_endpoint`: `/__echo/*` for any method answers the request it received as JSON, in Lura's gin
/// `EchoHandler` shape (Go's `encoding/json` writes map keys sorted, so `req_uri_details`, `req_querystring` and
/// `req_headers` are sorted here too):
///
/// ```json
/// {"req_uri": "/__echo/users?id=7", "req_uri_details": {"fragment": "", "host": "localhost:8080",
///  "path": "/__echo/users", "query": "id=7", "scheme": "", "user": ""}, "req_method": "GET",
///  "req_querystring": {"id": ["7"]}, "req_body": "", "req_headers": {"Accept": ["*/*"]}}
/// ```
///
/// Header names are canonicalised as Go does (`x-request-id` → `X-Request-Id`) and `Host` is left out of
/// `req_headers` (Go keeps it apart). A debugging aid: it echoes every header, credentials included.
struct EchoEndpoint: Sendable {
    /// The path prefix it answers under; no endpoint may use it while it is on.
    static let prefix = "/__echo"

    /// The largest body echoed (or logged by the debug endpoint); a larger one answers 413.
    static let maxBodyBytes = 1 << 20

    /// Echoes `request`, once its body has arrived.
    func respond(to request: GatewayRequest) -> EventLoopFuture<GatewayResponse> {
        request.body.collect(max: Self.maxBodyBytes, on: request.eventLoop).map { body in
            Self.echo(request, body: body.buffer)
        }.recover { _ in .make(status: .payloadTooLarge) }
    }

    private static func echo(_ request: GatewayRequest, body: ByteBuffer?) -> GatewayResponse {
        let query = parseQuery(request.query)
        var headers: [String: [String]] = [:]
        var hostHeader = ""
        for (name, value) in request.headers {
            if name.lowercased() == "host" {
                if hostHeader.isEmpty { hostHeader = value }
                continue
            }
            headers[CorsPolicy.canonicalHeaderName(name), default: []].append(value)
        }
        let encodedQuery = query.keys.sorted().flatMap { key in
            query[key, default: []].map { RoutePath.queryEscape(key) + "=" + RoutePath.queryEscape($0) }
        }.joined(separator: "&")
        let details = JSONObject([
            ("fragment", .string("")),
            ("host", .string(hostHeader)),
            ("path", .string(RoutePath.decode(request.path) ?? String(request.path))),
            ("query", .string(encodedQuery)),
            ("scheme", .string("")),
            ("user", .string("")),
        ])
        let echo = JSONValue.object(
            JSONObject([
                ("req_uri", .string(request.uri)),
                ("req_uri_details", .object(details)),
                ("req_method", .string(request.method.rawValue)),
                ("req_querystring", sortedObject(query)),
                ("req_body", .string(body.map { String(buffer: $0) } ?? "")),
                ("req_headers", sortedObject(headers)),
            ])
        )
        var body = ByteBuffer()
        echo.write(into: &body)
        var responseHeaders = HTTPHeaders()
        responseHeaders.add(name: "Content-Type", value: "application/json; charset=utf-8")
        return GatewayResponse(status: .ok, headers: responseHeaders, body: .buffer(body))
    }

    /// Go's `url.ParseQuery`, keeping what it keeps: pairs split at `&`, parts with `;` or a bad escape dropped.
    static func parseQuery(_ query: Substring) -> [String: [String]] {
        var values: [String: [String]] = [:]
        for part in query.split(separator: "&", omittingEmptySubsequences: true) where !part.contains(";") {
            let key: Substring
            let value: Substring
            if let equals = part.firstIndex(of: "=") {
                key = part[..<equals]
                value = part[part.index(after: equals)...]
            } else {
                key = part
                value = ""
            }
            guard let decodedKey = RoutePath.decode(key, plusAsSpace: true),
                let decodedValue = RoutePath.decode(value, plusAsSpace: true)
            else { continue }
            values[decodedKey, default: []].append(decodedValue)
        }
        return values
    }

    private static func sortedObject(_ map: [String: [String]]) -> JSONValue {
        .object(JSONObject(map.keys.sorted().map { ($0, JSONValue.array(map[$0, default: []].map(JSONValue.string))) }))
    }
}
