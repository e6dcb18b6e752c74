/// A dot path into nested objects (`data.user.id`), split once at start-up.
///
/// Splitting follows Lura's `strings.Split(path, ".")`: `""` is one empty segment and a key that contains a dot
/// cannot be addressed. Arrays are not indexed (KrakenD's dot paths do not enter arrays either).
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// The member names, outermost first.
    public let segments: [String]
    /// The same, prepared for comparison with raw keys.
    let names: [JSONName]

    /// Splits `dotted` on `.`.
    public init(_ dotted: String) {
        self.init(segments: dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init))
    }

    /// A path of the given member names.
    public init(segments: [String]) {
        self.segments = segments
        self.names = segments.map(JSONName.init)
    }

    /// The path in dot notation.
    public var description: String { self.segments.joined(separator: ".") }
}
