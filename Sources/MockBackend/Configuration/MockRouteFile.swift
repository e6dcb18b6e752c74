import Foundation

/// Reads the routes files of `portico-mock-backend --routes FILE.json` (also usable in process).
///
/// The file is a JSON array of routes (or `{"routes": [...]}`); each route:
/// ```json
/// {
///   "method": "GET",
///   "path": "/users/{id}",
///   "status": 200,
///   "headers": {"Cache-Control": "no-store"},
///   "body": {"id": "{id}", "name": "demo user"},
///   "delay_ms": 0
/// }
/// ```
/// - `method`: default `"GET"`; `"*"` matches any method.
/// - `path`: required; `{name}` parameters and a trailing `/*` wildcard.
/// - `status`: default 200.
/// - `headers`: default none; string values, with `{name}` path-parameter placeholders replaced.
/// - `content_type`: default `application/json` for JSON bodies, `text/plain; charset=utf-8` for string bodies,
///   guessed from the extension for `body_file`.
/// - exactly one of, or none for an empty body:
///   - `body`: any JSON value, answered compactly serialized; a string is answered as raw text. `{name}` placeholders
///     naming a path parameter are replaced.
///   - `body_file`: a file path relative to the routes file's folder, read per request; it may contain `{name}`
///     placeholders (`"data/users/{id}.json"`), and an unknown id is then a 404.
///   - `echo`: `true` to answer the request as JSON.
/// - `delay_ms`: default 0.
/// - `chunks`: default none (a `Content-Length` body); N streams the body chunked in N parts,
///   `chunk_interval_ms` (default 0) apart.
public enum MockRouteFile {
    /// Reads and parses the routes file at `path`.
    public static func load(path: String) throws(MockRouteFileError) -> [MockRoute] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MockRouteFileError(location: path, message: "cannot read the file")
        }
        let baseDirectory = (path as NSString).deletingLastPathComponent
        do {
            return try Self.parse(Array(data), baseDirectory: baseDirectory.isEmpty ? "." : baseDirectory)
        } catch {
            throw MockRouteFileError(location: "\(path): \(error.location)", message: error.message)
        }
    }

    /// Parses routes from JSON text; `body_file` paths are resolved against `baseDirectory`.
    public static func parse(_ json: [UInt8], baseDirectory: String) throws(MockRouteFileError) -> [MockRoute] {
        let document: JSONValue
        do {
            document = try JSONParser.parse(json)
        } catch {
            throw MockRouteFileError(location: "byte \(error.offset)", message: error.message)
        }
        let routes: [JSONValue]
        switch document {
        case .array(let elements):
            routes = elements
        case .object(let members):
            guard members.count == 1, members[0].key == "routes", case .array(let elements) = members[0].value else {
                throw MockRouteFileError(location: "$", message: "expected an array of routes or {\"routes\": [...]}")
            }
            routes = elements
        default:
            throw MockRouteFileError(location: "$", message: "expected an array of routes, got \(document.typeName)")
        }
        var parsed: [MockRoute] = []
        for (index, route) in routes.enumerated() {
            parsed.append(try Self.route(route, at: "routes[\(index)]", baseDirectory: baseDirectory))
        }
        return parsed
    }

    private static let knownKeys: Set<String> = [
        "method", "path", "status", "headers", "content_type", "body", "body_file", "echo", "delay_ms", "chunks",
        "chunk_interval_ms",
    ]

    private static func route(
        _ value: JSONValue,
        at location: String,
        baseDirectory: String
    ) throws(MockRouteFileError) -> MockRoute {
        guard case .object(let members) = value else {
            throw MockRouteFileError(location: location, message: "expected an object, got \(value.typeName)")
        }
        if let unknown = members.first(where: { !Self.knownKeys.contains($0.key) }) {
            throw MockRouteFileError(
                location: "\(location).\(unknown.key)",
                message: "unknown key (known: \(Self.knownKeys.sorted().joined(separator: ", ")))"
            )
        }
        func member(_ key: String) -> JSONValue? {
            members.first { $0.key == key }?.value
        }
        func string(_ key: String) throws(MockRouteFileError) -> String? {
            guard let value = member(key) else {
                return nil
            }
            guard case .string(let text) = value else {
                throw MockRouteFileError(
                    location: "\(location).\(key)",
                    message: "expected a string, got \(value.typeName)"
                )
            }
            return text
        }
        func integer(_ key: String, in range: ClosedRange<Int>) throws(MockRouteFileError) -> Int? {
            guard let value = member(key) else {
                return nil
            }
            guard case .number(let text) = value, let number = Int(text), range.contains(number) else {
                let shown = if case .number(let text) = value { text } else { value.typeName }
                throw MockRouteFileError(
                    location: "\(location).\(key)",
                    message: "expected an integer in \(range.lowerBound)...\(range.upperBound), got \(shown)"
                )
            }
            return number
        }

        guard let path = try string("path") else {
            throw MockRouteFileError(location: "\(location).path", message: "missing")
        }
        guard path.hasPrefix("/") else {
            throw MockRouteFileError(location: "\(location).path", message: "must start with \"/\", got \"\(path)\"")
        }
        let method = try string("method") ?? "GET"
        guard !method.isEmpty, method == "*" || method.allSatisfy({ $0.isLetter }) else {
            throw MockRouteFileError(location: "\(location).method", message: "not an HTTP method: \"\(method)\"")
        }
        var response = MockResponse(status: try integer("status", in: 100...599) ?? 200)

        if let headers = member("headers") {
            guard case .object(let pairs) = headers else {
                throw MockRouteFileError(
                    location: "\(location).headers",
                    message: "expected an object, got \(headers.typeName)"
                )
            }
            for (name, value) in pairs {
                guard case .string(let text) = value else {
                    throw MockRouteFileError(
                        location: "\(location).headers.\(name)",
                        message: "expected a string, got \(value.typeName)"
                    )
                }
                response.headers.append((name, text))
            }
        }

        let bodySources = ["body", "body_file", "echo"].filter { member($0) != nil }
        if bodySources.count > 1 {
            throw MockRouteFileError(
                location: location,
                message: "give only one of body, body_file, echo (got \(bodySources.joined(separator: ", ")))"
            )
        }
        var defaultContentType: String?
        let templated = path.contains("{") || path.hasSuffix("*")
        if let body = member("body") {
            let bytes: [UInt8]
            if case .string(let text) = body {
                bytes = Array(text.utf8)
                defaultContentType = "text/plain; charset=utf-8"
            } else {
                bytes = body.serialized
                defaultContentType = "application/json"
            }
            response.body = templated ? .template(String(decoding: bytes, as: UTF8.self)) : .bytes(bytes)
        } else if let file = try string("body_file") {
            response.body = .file(file.hasPrefix("/") ? file : baseDirectory + "/" + file)
        } else if let echo = member("echo") {
            guard case .bool(let enabled) = echo else {
                throw MockRouteFileError(
                    location: "\(location).echo",
                    message: "expected a boolean, got \(echo.typeName)"
                )
            }
            if enabled {
                response.body = .echo
                defaultContentType = "application/json"
            }
        }
        if let contentType = try string("content_type") ?? defaultContentType {
            response.headers.insert(("Content-Type", contentType), at: 0)
        }

        response.delay = .milliseconds(try integer("delay_ms", in: 0...3_600_000) ?? 0)
        let interval = try integer("chunk_interval_ms", in: 0...3_600_000)
        if let chunks = try integer("chunks", in: 1...1_000_000) {
            response.chunking = MockChunking(count: chunks, interval: .milliseconds(interval ?? 0))
        } else if interval != nil {
            throw MockRouteFileError(location: "\(location).chunk_interval_ms", message: "needs \"chunks\"")
        }
        return MockRoute(method: method, path: path, response: response)
    }
}
