/// The route table, compiled once at start-up from every endpoint: a segment trie per path, methods per node.
///
/// Lookup precedence at each segment is literal, then `{parameter}`, then trailing `*`, with backtracking, so
/// `/users/me` and `/users/{id}` coexist as in KrakenD (gin ≥ 1.8). Per request, `match` allocates only the
/// array of captured parameter ranges (no copies of the path).
public struct RouteTable<Value: Sendable>: Sendable {
    /// The outcome of a lookup.
    public enum Match {
        /// A route for this path and method, and the captured parameters (name, raw value) in template order.
        case found(Value, parameters: [(name: String, value: Substring)])
        /// The path exists, but not for this method; `allowed` lists the methods that do (for `Allow`).
        case methodNotAllowed(allowed: [String])
        /// No route has this path.
        case notFound
    }

    private final class Node: @unchecked Sendable {
        // Mutated only while the table is built; frozen (never mutated) once `RouteTable.init` returns.
        var literals: [Substring: Node] = [:]
        var parameter: (name: String, node: Node)?
        var wildcard: [String: Value] = [:]
        var wildcardTemplate: String?
        var handlers: [String: Value] = [:]
        var template: String?
    }

    private let root = Node()
    /// Every method some route uses (gin keeps one tree per method; redirects only look in the request's).
    public let methods: Set<String>

    /// Builds the table; throws when two endpoints claim the same method and path shape.
    /// - Parameter routes: (template, method, value) in configuration order.
    public init(_ routes: [(template: RouteTemplate, method: String, value: Value)]) throws(RouteConflictError) {
        methods = Set(routes.map(\.method))
        for route in routes {
            try insert(route.template, method: route.method, value: route.value)
        }
    }

    private func insert(_ template: RouteTemplate, method: String, value: Value) throws(RouteConflictError) {
        var node = root
        for segment in template.segments {
            switch segment {
            case .literal(let text):
                let key = Substring(text)
                if let next = node.literals[key] {
                    node = next
                } else {
                    let next = Node()
                    node.literals[key] = next
                    node = next
                }
            case .parameter(let name):
                if let existing = node.parameter {
                    // gin refuses two parameter names at one position; so does Portico, to stay loadable by both.
                    guard existing.name == name else {
                        throw RouteConflictError(
                            template: template.description,
                            other: existing.node.template ?? "another endpoint",
                            reason: "uses {\(name)} where another endpoint uses {\(existing.name)} at the same position"
                        )
                    }
                    node = existing.node
                } else {
                    let next = Node()
                    node.parameter = (name, next)
                    node = next
                }
            case .wildcard:
                if node.wildcard[method] != nil {
                    throw RouteConflictError(
                        template: template.description,
                        other: node.wildcardTemplate ?? "another endpoint",
                        reason: "is declared twice for \(method)"
                    )
                }
                node.wildcard[method] = value
                node.wildcardTemplate = template.description
                return
            }
        }
        if node.handlers[method] != nil {
            throw RouteConflictError(
                template: template.description,
                other: node.template ?? "another endpoint",
                reason: "is declared twice for \(method)"
            )
        }
        node.handlers[method] = value
        node.template = template.description
    }

    /// Finds the route for `path` (without query string) and `method`.
    public func match(path: Substring, method: String) -> Match {
        var parameters: [(name: String, value: Substring)] = []
        var allowed: Set<String> = []
        // "/" is the root node itself; every other path is consumed segment by segment.
        let path = path == "/" ? path.dropFirst() : path
        if let value = Self.search(root, path: path, method: method, parameters: &parameters, allowed: &allowed) {
            return .found(value, parameters: parameters)
        }
        if allowed.isEmpty { return .notFound }
        return .methodNotAllowed(allowed: allowed.sorted())
    }

    /// Depth-first search with backtracking; records the methods of every node whose path matched.
    private static func search(
        _ node: Node,
        path: Substring,
        method: String,
        parameters: inout [(name: String, value: Substring)],
        allowed: inout Set<String>
    ) -> Value? {
        // `path` is what is left after the segments consumed so far, starting with "/" or empty.
        if path.isEmpty {
            if let value = node.handlers[method] { return value }
            allowed.formUnion(node.handlers.keys)
            if let value = node.wildcard[method] {
                parameters.append((name: "*", value: path))
                return value
            }
            allowed.formUnion(node.wildcard.keys)
            return nil
        }
        guard path.first == "/" else { return nil }
        let rest = path.dropFirst()
        let end = rest.firstIndex(of: "/") ?? rest.endIndex
        let segment = rest[rest.startIndex..<end]
        let remainder = rest[end...]

        if let next = node.literals[segment],
            let value = search(next, path: remainder, method: method, parameters: &parameters, allowed: &allowed)
        {
            return value
        }
        if !segment.isEmpty, let (name, next) = node.parameter {
            parameters.append((name: name, value: segment))
            if let value = search(next, path: remainder, method: method, parameters: &parameters, allowed: &allowed) {
                return value
            }
            parameters.removeLast()
        }
        if !node.wildcard.isEmpty {
            if let value = node.wildcard[method] {
                parameters.append((name: "*", value: rest))
                return value
            }
            allowed.formUnion(node.wildcard.keys)
        }
        return nil
    }
}

extension RouteTable {
    /// gin's `findCaseInsensitivePath` for the fixed-path redirect: a route for `method` whose path equals `path`
    /// ignoring the case of literal segments, spelt as registered (parameter values keep the request's spelling).
    /// With `fixTrailingSlash`, a path differing only by a trailing slash is found too. Slow path only (a miss).
    public func caseInsensitivePath(_ path: Substring, method: String, fixTrailingSlash: Bool) -> String? {
        if let found = caseInsensitiveSearch(path, method: method) { return found }
        guard fixTrailingSlash, path != "/" else { return nil }
        let toggled = path.last == "/" ? String(path.dropLast()) : path + "/"
        return caseInsensitiveSearch(toggled[...], method: method)
    }

    private func caseInsensitiveSearch(_ path: Substring, method: String) -> String? {
        var built: [Substring] = []
        let path = path == "/" ? path.dropFirst() : path
        guard Self.searchIgnoringCase(root, path: path, method: method, built: &built) else { return nil }
        return "/" + built.joined(separator: "/")
    }

    private static func searchIgnoringCase(
        _ node: Node,
        path: Substring,
        method: String,
        built: inout [Substring]
    ) -> Bool {
        if path.isEmpty { return node.handlers[method] != nil || node.wildcard[method] != nil }
        guard path.first == "/" else { return false }
        let rest = path.dropFirst()
        let end = rest.firstIndex(of: "/") ?? rest.endIndex
        let segment = rest[rest.startIndex..<end]
        let remainder = rest[end...]
        let lowered = segment.lowercased()
        // The exact spelling first, then any other spelling of the same letters.
        var candidates: [(Substring, Node)] = node.literals[segment].map { [(segment, $0)] } ?? []
        // Sorted so that the answer never depends on dictionary order.
        for (key, next) in node.literals.sorted(by: { $0.key < $1.key })
        where key != segment && key.lowercased() == lowered {
            candidates.append((key, next))
        }
        for (key, next) in candidates {
            built.append(key)
            if searchIgnoringCase(next, path: remainder, method: method, built: &built) { return true }
            built.removeLast()
        }
        if !segment.isEmpty, let (_, next) = node.parameter {
            built.append(segment)
            if searchIgnoringCase(next, path: remainder, method: method, built: &built) { return true }
            built.removeLast()
        }
        if node.wildcard[method] != nil {
            built.append(rest)
            return true
        }
        return false
    }
}

/// Two endpoints that cannot both be routed.
public struct RouteConflictError: Error, Equatable, CustomStringConvertible {
    /// The endpoint being added.
    public var template: String
    /// The endpoint it conflicts with.
    public var other: String
    /// Why, in words.
    public var reason: String

    public var description: String { "the endpoint \"\(template)\" \(reason) (conflicts with \"\(other)\")" }
}
