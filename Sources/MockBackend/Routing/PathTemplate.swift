/// A compiled route path: literal segments, `{name}` parameters and an optional trailing wildcard.
struct PathTemplate: Sendable {
    enum Segment: Sendable, Equatable {
        case literal(Substring)
        case parameter(String)
    }

    private let segments: [Segment]
    private let hasWildcard: Bool

    init(_ template: String) {
        var parts = Self.split(Substring(template))
        self.hasWildcard = parts.last == "*"
        if self.hasWildcard {
            parts.removeLast()
        }
        self.segments = parts.map { part in
            if part.count > 2, part.first == "{", part.last == "}" {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(part)
        }
    }

    /// The path parameters when `path` (no query) matches, else `nil`.
    func match(_ path: Substring) -> [String: String]? {
        let parts = Self.split(path)
        if self.hasWildcard ? parts.count < self.segments.count : parts.count != self.segments.count {
            return nil
        }
        var parameters: [String: String] = [:]
        for (segment, part) in zip(self.segments, parts) {
            switch segment {
            case .literal(let literal):
                if literal != part {
                    return nil
                }
            case .parameter(let name):
                if part.isEmpty {
                    return nil
                }
                parameters[name] = String(part)
            }
        }
        if self.hasWildcard {
            parameters["*"] = parts.dropFirst(self.segments.count).joined(separator: "/")
        }
        return parameters
    }

    /// `/a/b` → `["a", "b"]`; `/` → `[""]`; a trailing slash keeps an empty last segment.
    private static func split(_ path: Substring) -> [Substring] {
        let trimmed = path.first == "/" ? path.dropFirst() : path
        return trimmed.split(separator: "/", omittingEmptySubsequences: false)
    }
}
