/// How a response body is streamed with `Transfer-Encoding: chunked`.
public struct MockChunking: Sendable, Equatable {
    /// How many chunks the body is split into (at least 1).
    public var count: Int
    /// The pause before every chunk after the first, scheduled on the event loop.
    public var interval: Duration

    /// Streams the body in `count` roughly equal chunks, `interval` apart.
    public init(count: Int, interval: Duration = .zero) {
        self.count = max(1, count)
        self.interval = interval
    }
}
