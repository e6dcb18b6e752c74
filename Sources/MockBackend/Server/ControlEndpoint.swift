import NIOHTTP1

/// The `/__mock/*` endpoints that let another process (a shell, compose) inject faults and read the log.
///
/// - `POST /__mock/fail?status=500&count=3` — answer `status` (default 500) with the request body (or
///   `{"error":"injected failure"}`) for `count` requests (default: until reset). `kind=` selects another fault:
///   `status` (default), `delay` (with `ms=`), `invalid_json`, `oversized` (with `bytes=`), `close`, `reset`.
/// - `POST /__mock/delay?ms=200[&count=N]` — answer `ms` late.
/// - `POST /__mock/reset` — clear the fault and the request log.
/// - `GET /__mock/requests` — the request log as a JSON array, oldest first (header `X-Mock-Request-Total`).
/// - `GET /__mock/health` — `{"status":"ok"}`.
enum ControlEndpoint {
    static let prefix = "/__mock/"

    struct Reply {
        var status: HTTPResponseStatus
        var body: [UInt8]
        var headers: [(name: String, value: String)] = []

        static func json(_ text: String, status: HTTPResponseStatus = .ok) -> Reply {
            Reply(status: status, body: Array(text.utf8))
        }

        static func badRequest(_ message: String) -> Reply {
            var writer = JSONWriter()
            writer.beginObject()
            writer.field("error", message)
            writer.endObject()
            return Reply(status: .badRequest, body: writer.bytes)
        }
    }

    /// Upper bound for `oversized` bodies, so a typo cannot make the mock allocate unbounded memory.
    static let maxOversizedBytes = 1 << 30
    /// Upper bound for injected delays: an hour.
    static let maxDelayMilliseconds = 3_600_000

    static func handle(
        method: HTTPMethod,
        path: Substring,
        query: Substring,
        body: [UInt8],
        state: MockServerState
    ) -> Reply {
        let name = path.dropFirst(Self.prefix.count)
        let expectedMethod: HTTPMethod
        switch name {
        case "fail", "delay", "reset": expectedMethod = .POST
        case "requests", "health": expectedMethod = .GET
        default: return .json(#"{"error":"unknown mock control endpoint"}"#, status: .notFound)
        }
        guard method == expectedMethod || (method == .HEAD && expectedMethod == .GET) else {
            var reply = Reply.json(#"{"error":"method not allowed"}"#, status: .methodNotAllowed)
            reply.headers.append(("Allow", expectedMethod.rawValue))
            return reply
        }
        switch name {
        case "fail": return Self.fail(query: query, body: body, state: state)
        case "delay": return Self.delay(query: query, state: state)
        case "reset":
            state.setFailure(nil)
            state.clearRecordedRequests()
            return .json(#"{"ok":true}"#)
        case "requests":
            var writer = JSONWriter(reservingCapacity: 4096)
            writer.beginArray()
            for request in state.recordedRequests {
                request.write(to: &writer)
            }
            writer.endArray()
            return Reply(
                status: .ok,
                body: writer.bytes,
                headers: [("X-Mock-Request-Total", String(state.requestCount))]
            )
        default:
            return .json(#"{"status":"ok"}"#)
        }
    }

    private static func fail(query: Substring, body: [UInt8], state: MockServerState) -> Reply {
        let count: Int?
        switch Self.integer("count", in: query, range: 1...Int.max) {
        case .absent: count = nil
        case .value(let value): count = value
        case .invalid(let message): return .badRequest(message)
        }
        let fault: MockFailure.Fault
        switch QueryString.value(of: "kind", in: query) ?? "status" {
        case "status":
            let failureBody = body.isEmpty ? Array(MockFailure.defaultStatusBody.utf8) : body
            switch Self.integer("status", in: query, range: 100...599) {
            case .absent: fault = .status(500, body: failureBody)
            case .value(let code): fault = .status(code, body: failureBody)
            case .invalid(let message): return .badRequest(message)
            }
        case "delay":
            switch Self.integer("ms", in: query, range: 0...Self.maxDelayMilliseconds) {
            case .absent: return .badRequest("kind=delay needs ms=")
            case .value(let milliseconds): fault = .delay(.milliseconds(milliseconds))
            case .invalid(let message): return .badRequest(message)
            }
        case "invalid_json": fault = .invalidJSON
        case "oversized":
            switch Self.integer("bytes", in: query, range: 1...Self.maxOversizedBytes) {
            case .absent: return .badRequest("kind=oversized needs bytes=")
            case .value(let bytes): fault = .oversizedBody(bytes: bytes)
            case .invalid(let message): return .badRequest(message)
            }
        case "close": fault = .closeConnection
        case "reset": fault = .resetMidBody
        default:
            return .badRequest("kind must be one of status, delay, invalid_json, oversized, close, reset")
        }
        state.setFailure(MockFailure(fault, count: count))
        return .json(#"{"ok":true}"#)
    }

    private static func delay(query: Substring, state: MockServerState) -> Reply {
        let count: Int?
        switch Self.integer("count", in: query, range: 1...Int.max) {
        case .absent: count = nil
        case .value(let value): count = value
        case .invalid(let message): return .badRequest(message)
        }
        switch Self.integer("ms", in: query, range: 0...Self.maxDelayMilliseconds) {
        case .absent: return .badRequest("delay needs ms=")
        case .value(let milliseconds):
            state.setFailure(milliseconds == 0 ? nil : .delay(.milliseconds(milliseconds), count: count))
            return .json(#"{"ok":true}"#)
        case .invalid(let message): return .badRequest(message)
        }
    }

    private enum IntegerParameter {
        case absent
        case value(Int)
        case invalid(String)
    }

    private static func integer(_ name: String, in query: Substring, range: ClosedRange<Int>) -> IntegerParameter {
        guard let text = QueryString.value(of: name, in: query) else {
            return .absent
        }
        guard let value = Int(text), range.contains(value) else {
            return .invalid("\(name) must be an integer in \(range.lowerBound)...\(range.upperBound), got \"\(text)\"")
        }
        return .value(value)
    }
}
