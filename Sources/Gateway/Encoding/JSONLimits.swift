/// Bounds on the backend bodies the JSON engine accepts. Not read from the configuration (KrakenD has no such
/// keys); the gateway passes its own options.
///
/// Defaults: `maxDepth` 256 nested containers; `maxBytes` unlimited (the transport caps body size first).
public struct JSONLimits: Sendable, Hashable {
    /// Deepest nesting of arrays and objects accepted; `[[1]]` has depth 2. Default 256.
    public var maxDepth: Int
    /// Largest body accepted, in bytes. Default `Int.max` (no limit).
    public var maxBytes: Int

    /// Creates limits; the defaults are the ones documented on the type.
    public init(maxDepth: Int = 256, maxBytes: Int = .max) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
    }
}
