/// An endpoint path compiled once at start-up: `/users/{id}/orders`, `/static/*`.
///
/// KrakenD's rules: segments are literals, `{name}` parameters matching one whole segment, or a trailing `*`
/// matching the rest of the path (including further slashes).
public struct RouteTemplate: Sendable, Equatable, CustomStringConvertible {
    /// One compiled segment.
    public enum Segment: Sendable, Equatable {
        /// A literal segment, compared exactly (case-sensitive, as KrakenD).
        case literal(String)
        /// `{name}`: any non-empty segment, captured under `name`.
        case parameter(String)
        /// A trailing `*`: the rest of the path, possibly empty.
        case wildcard
    }

    /// The segments in order; `/` alone has none.
    public let segments: [Segment]
    /// The template as written in the configuration.
    public let description: String

    /// The names of the `{parameters}`, in order.
    public var parameterNames: [String] {
        segments.compactMap {
            if case .parameter(let name) = $0 { return name }
            return nil
        }
    }

    /// Compiles `template`, or throws a message naming what is wrong with it.
    public init(_ template: String) throws(RouteTemplateError) {
        guard template.first == "/" else {
            throw RouteTemplateError(template: template, reason: "must start with \"/\"")
        }
        var segments: [Segment] = []
        let parts = template.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        var seen: Set<String> = []
        for (index, part) in parts.enumerated() {
            let isLast = index == parts.count - 1
            if part.isEmpty {
                // A trailing slash ("/users/") is a distinct route in KrakenD; an empty inner segment is a typo.
                if isLast && !segments.isEmpty {
                    segments.append(.literal(""))
                    continue
                }
                if isLast && segments.isEmpty { continue }  // "/" alone
                throw RouteTemplateError(template: template, reason: "has an empty segment (\"//\")")
            }
            if part == "*" {
                guard isLast else {
                    throw RouteTemplateError(template: template, reason: "may use \"*\" only as its last segment")
                }
                segments.append(.wildcard)
            } else if part.first == "{" {
                guard part.last == "}", part.count > 2 else {
                    throw RouteTemplateError(template: template, reason: "has a malformed parameter \"\(part)\"")
                }
                let name = String(part.dropFirst().dropLast())
                guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) else {
                    throw RouteTemplateError(template: template, reason: "has an invalid parameter name \"\(name)\"")
                }
                guard seen.insert(name).inserted else {
                    throw RouteTemplateError(template: template, reason: "repeats the parameter \"{\(name)}\"")
                }
                segments.append(.parameter(name))
            } else if part.contains("{") || part.contains("}") || part.contains("*") {
                throw RouteTemplateError(
                    template: template,
                    reason:
                        "mixes text and a placeholder in the segment \"\(part)\"; a parameter must be a whole segment"
                )
            } else {
                segments.append(.literal(String(part)))
            }
        }
        self.segments = segments
        self.description = template
    }
}

/// Why an endpoint path could not be compiled.
public struct RouteTemplateError: Error, Equatable, CustomStringConvertible {
    /// The template as written.
    public var template: String
    /// What is wrong, in words.
    public var reason: String

    public var description: String { "the endpoint \"\(template)\" \(reason)" }
}
