import Auth
import Synchronization

/// The JWKS download for `disable_jwk_security` with an `https` `jwk_url`: an HTTP client that skips certificate
/// verification (krakend-jose's `AllowInsecure`), owned by this fetcher.
///
/// The client is created on the first download, not when the pipeline is built, so a gateway that is only built
/// (`portico check`, a start-up that fails on another endpoint) owns no client to leak; `shutdown()` runs as the
/// gateway's shutdown task, after which downloads fail instead of creating a new client.
final class JWTValidationInsecureFetcher: JWKSFetcher {
    /// A download attempted after the gateway stopped.
    struct ClosedError: Error, CustomStringConvertible {
        let description: String
    }

    private struct State {
        var fetcher: HTTPJWKSFetcher?
        var shutdown: (@Sendable () async -> Void)?
        var isClosed = false
    }

    private let url: String
    private let state = Mutex(State())

    /// A fetcher for `url`; nothing is allocated until the first download.
    init(url: String) {
        self.url = url
    }

    func fetchJWKS() async throws -> [UInt8] {
        let fetcher = try state.withLock { state throws -> HTTPJWKSFetcher in
            if state.isClosed {
                throw ClosedError(description: "JWKS client for \(url) is shut down")
            }
            if let fetcher = state.fetcher { return fetcher }
            let client = HTTPJWKSFetcher.makeInsecureHTTPClient()
            let fetcher = HTTPJWKSFetcher(url: url, client: client)
            state.fetcher = fetcher
            state.shutdown = { try? await client.shutdown() }
            return fetcher
        }
        return try await fetcher.fetchJWKS()
    }

    /// Shuts the client down, if one was created; later downloads fail.
    func shutdown() async {
        let shutdown = state.withLock { state in
            state.isClosed = true
            return state.shutdown
        }
        await shutdown?()
    }
}
