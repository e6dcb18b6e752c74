extension StagePosition {
    /// Request rewrites that turn the call into another protocol's request (`backend/graphql`): innermost, just
    /// before load balancing and transport, so every guard and user extension sees the REST call as the client sent
    /// it, and what reaches the backend is exactly what the rewrite produced.
    static let protocolRewrite = StagePosition(rank: 900)
}
