/// One `allow_origins` entry, compiled: an exact origin, or a prefix and suffix around a single `*`.
///
/// As rs/cors: entries and request origins are compared lower-cased (the spec says case-sensitive; rs/cors chose
/// otherwise and KrakenD inherits it), and `*` stands for zero or more characters, dots included.
struct CorsOriginPattern: Sendable, Equatable {
    /// The lower-cased text before the `*`, or the whole origin when there is none.
    let prefix: String
    /// The lower-cased text after the `*`; nil for an exact origin.
    let suffix: String?

    /// Compiles one entry (the loader has checked there is at most one `*`).
    init(_ entry: String) {
        let lowered = entry.lowercased()
        if let star = lowered.firstIndex(of: "*") {
            prefix = String(lowered[..<star])
            suffix = String(lowered[lowered.index(after: star)...])
        } else {
            prefix = lowered
            suffix = nil
        }
    }

    /// True when `origin` (already lower-cased) is allowed by this entry.
    func matches(lowercased origin: String) -> Bool {
        guard let suffix else { return origin == prefix }
        return origin.utf8.count >= prefix.utf8.count + suffix.utf8.count && origin.hasPrefix(prefix)
            && origin.hasSuffix(suffix)
    }
}
