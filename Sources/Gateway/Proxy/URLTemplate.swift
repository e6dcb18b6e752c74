import NIOCore

/// A backend `url_pattern` compiled once: literal text, `{parameter}` slots bound to route parameter indices, and
/// in sequential endpoints `{respN_field}` slots bound to an earlier backend's formatted response.
///
/// Rendering appends into one `String` with reserved capacity: one allocation per request (plus, for response
/// slots, the value's text).
struct URLTemplate: Sendable {
    enum Part: Sendable, Equatable {
        case literal(String)
        /// The index of the parameter in the route's `parameters` array.
        case parameter(Int)
        /// A value of backend `backend`'s formatted response, at `path`; `missing` is what KrakenD sends when the
        /// value is absent (its unreplaced `{{.RespN_field}}` template, percent-encoded as Go's URL writes it).
        case response(backend: Int, path: JSONPath, missing: String)
    }

    let parts: [Part]
    let hasQuery: Bool
    /// Whether any part reads an earlier response (only in sequential endpoints).
    let readsResponses: Bool
    private let literalLength: Int

    /// Binds `pattern`'s placeholders to `routeParameters`; unknown placeholders are a configuration error
    /// (reported by the loader; here they throw so a programmatic configuration cannot slip through).
    ///
    /// `sequentialIndex` is the backend's index in a sequential endpoint: `{respN_field}` with N below it reads
    /// backend N's response, N at or above it is an error. Outside sequential endpoints (nil) `{respN_field}` stays
    /// literal, as in KrakenD, whose merger only replaces it in sequential mode.
    init(_ pattern: String, routeParameters: [String], sequentialIndex: Int? = nil) throws(URLTemplateError) {
        var parts: [Part] = []
        var literal = ""
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{") {
            literal += rest[rest.startIndex..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw URLTemplateError(pattern: pattern, reason: "has an unterminated \"{\"")
            }
            let name = String(rest[rest.index(after: open)..<close])
            rest = rest[rest.index(after: close)...]
            if let index = routeParameters.firstIndex(of: name) {
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = ""
                parts.append(.parameter(index))
                continue
            }
            guard let reference = Self.responseReference(name, allowWhole: false) else {
                throw URLTemplateError(
                    pattern: pattern,
                    reason: "uses {\(name)}, which the endpoint does not define"
                )
            }
            let missing = Self.percentEncoded("{{.Resp\(reference.backend)_\(reference.field)}}")
            guard let sequentialIndex else {
                literal += missing
                continue
            }
            guard reference.backend < sequentialIndex else {
                throw URLTemplateError(
                    pattern: pattern,
                    reason: "uses {\(name)}, but backend \(reference.backend) has not answered when backend "
                        + "\(sequentialIndex) is called (only earlier backends can be referenced)"
                )
            }
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
            parts.append(.response(backend: reference.backend, path: JSONPath(reference.field), missing: missing))
        }
        literal += rest
        if !literal.isEmpty { parts.append(.literal(literal)) }
        if !pattern.hasPrefix("/") { parts.insert(.literal("/"), at: 0) }
        self.parts = parts
        self.hasQuery = pattern.contains("?")
        self.readsResponses = parts.contains { if case .response = $0 { true } else { false } }
        self.literalLength = parts.reduce(0) {
            if case .literal(let text) = $1 { return $0 + text.utf8.count }
            return $0
        }
    }

    /// Parses `respN_field` (or, with `allowWhole`, `respN`) into the backend index and the dotted field.
    static func responseReference(_ name: String, allowWhole: Bool) -> (backend: Int, field: String)? {
        guard name.hasPrefix("resp") || name.hasPrefix("Resp") else { return nil }
        let afterResp = name.dropFirst(4)
        let digits = afterResp.prefix(while: { $0.isASCII && $0.isNumber })
        guard !digits.isEmpty, let backend = Int(digits) else { return nil }
        let rest = afterResp.dropFirst(digits.count)
        if rest.isEmpty { return allowWhole ? (backend, "") : nil }
        guard rest.hasPrefix("_"), rest.count > 1 else { return nil }
        return (backend, String(rest.dropFirst()))
    }

    /// Renders the path with the request's parameter values, then appends `query` (already filtered).
    func render(parameters: [(name: String, value: Substring)], query: String) -> String {
        render(parameters: parameters, query: query, responses: [])
    }

    /// Renders like `render(parameters:query:)`, reading `{respN_field}` slots from `responses` (backend N's
    /// formatted body, nil when it has none).
    func render(parameters: [(name: String, value: Substring)], query: String, responses: [ByteBuffer?]) -> String {
        var uri = String()
        uri.reserveCapacity(literalLength + 32 + query.utf8.count)
        for part in parts {
            switch part {
            case .literal(let text): uri += text
            case .parameter(let index): if index < parameters.count { uri += parameters[index].value }
            case .response(let backend, let path, let missing):
                if backend < responses.count, let body = responses[backend], let text = Self.text(at: path, in: body) {
                    uri += Self.percentEncoded(text)
                } else {
                    uri += missing
                }
            }
        }
        if !query.isEmpty {
            uri += hasQuery ? "&" : "?"
            uri += query
        }
        return uri
    }

    /// The value at `path` as KrakenD substitutes it (see `JSONLookup.writeURLText`); nil when missing or an object.
    static func text(at path: JSONPath, in body: ByteBuffer) -> String? {
        body.withUnsafeReadableBytes { bytes -> String? in
            guard let slice = JSONLookup.value(at: path, in: bytes) else { return nil }
            var output = ByteBufferAllocator().buffer(capacity: slice.range.count)
            guard JSONLookup.writeURLText(of: slice, in: bytes, into: &output) else { return nil }
            return String(buffer: output)
        }
    }

    /// Percent-encodes what Go's URL writer escapes in a path: all but unreserved characters and `$&+,/:;=@`.
    static func percentEncoded(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "+"), UInt8(ascii: ","),
                UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "@"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                result.unicodeScalars.append("%")
                result.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                result.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0x0F)]))
            }
        }
        return result
    }
}

/// A `url_pattern` that cannot be compiled.
struct URLTemplateError: Error, CustomStringConvertible {
    var pattern: String
    var reason: String
    var description: String { "the url_pattern \"\(pattern)\" \(reason)" }
}
