/// A backend `url_pattern` compiled once: literal text and `{parameter}` slots bound to route parameter indices.
///
/// Rendering appends into one `String` with reserved capacity: one allocation per request.
struct URLTemplate: Sendable {
    enum Part: Sendable, Equatable {
        case literal(String)
        /// The index of the parameter in the route's `parameters` array.
        case parameter(Int)
    }

    let parts: [Part]
    let hasQuery: Bool
    private let literalLength: Int

    /// Binds `pattern`'s placeholders to `routeParameters`; unknown placeholders are a configuration error
    /// (reported by the loader; here they throw so a programmatic configuration cannot slip through).
    init(_ pattern: String, routeParameters: [String]) throws(URLTemplateError) {
        var parts: [Part] = []
        var literal = ""
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{") {
            literal += rest[rest.startIndex..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw URLTemplateError(pattern: pattern, reason: "has an unterminated \"{\"")
            }
            let name = String(rest[rest.index(after: open)..<close])
            guard let index = routeParameters.firstIndex(of: name) else {
                throw URLTemplateError(
                    pattern: pattern,
                    reason: "uses {\(name)}, which the endpoint does not define"
                )
            }
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
            parts.append(.parameter(index))
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { parts.append(.literal(literal)) }
        if !pattern.hasPrefix("/") { parts.insert(.literal("/"), at: 0) }
        self.parts = parts
        self.hasQuery = pattern.contains("?")
        self.literalLength = parts.reduce(0) {
            if case .literal(let text) = $1 { return $0 + text.utf8.count }
            return $0
        }
    }

    /// Renders the path with the request's parameter values, then appends `query` (already filtered).
    func render(parameters: [(name: String, value: Substring)], query: String) -> String {
        var uri = String()
        uri.reserveCapacity(literalLength + 32 + query.utf8.count)
        for part in parts {
            switch part {
            case .literal(let text): uri += text
            case .parameter(let index): if index < parameters.count { uri += parameters[index].value }
            }
        }
        if !query.isEmpty {
            uri += hasQuery ? "&" : "?"
            uri += query
        }
        return uri
    }
}

/// A `url_pattern` that cannot be compiled.
struct URLTemplateError: Error, CustomStringConvertible {
    var pattern: String
    var reason: String
    var description: String { "the url_pattern \"\(pattern)\" \(reason)" }
}
