public import AsyncHTTPClient
public import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a key provider downloads or reads its JWKS document from.
public protocol JWKSFetcher: Sendable {
    /// The raw JWKS bytes, or an error; called off the request path only.
    func fetchJWKS() async throws -> [UInt8]
}

/// Downloads a JWKS over HTTP(S) with AsyncHTTPClient (control plane only; never on the request path).
public struct HTTPJWKSFetcher: JWKSFetcher {
    /// Why a download failed.
    public struct FetchError: Error, CustomStringConvertible {
        /// What went wrong.
        public let description: String
    }

    /// The `jwk_url`.
    public let url: String
    let client: HTTPClient
    let timeout: TimeAmount
    let maximumBytes: Int

    /// Creates a fetcher.
    /// - Parameters:
    ///   - url: The JWKS URL.
    ///   - client: The HTTP client (default: AsyncHTTPClient's shared one). For `disable_jwk_security`, pass one made
    ///     by `makeInsecureHTTPClient()`, and shut it down at exit.
    ///   - timeout: Deadline for the whole download (default 5 s).
    ///   - maximumBytes: Largest accepted document (default 1 MiB).
    public init(
        url: String,
        client: HTTPClient = .shared,
        timeout: TimeAmount = .seconds(5),
        maximumBytes: Int = 1 << 20
    ) {
        self.url = url
        self.client = client
        self.timeout = timeout
        self.maximumBytes = maximumBytes
    }

    /// An HTTP client that skips TLS certificate verification, as krakend-jose does with `disable_jwk_security`.
    /// The caller owns it and must shut it down.
    public static func makeInsecureHTTPClient() -> HTTPClient {
        HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(certificateVerification: .none)
        )
    }

    /// Downloads the document; any status other than 200 is an error.
    public func fetchJWKS() async throws -> [UInt8] {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/jwk-set+json, application/json")
        request.headers.add(name: "User-Agent", value: "Portico JWK client")
        let response = try await client.execute(request, timeout: timeout)
        guard response.status == .ok else {
            throw FetchError(description: "JWKS download from \(url) answered \(response.status.code)")
        }
        let body = try await response.body.collect(upTo: maximumBytes)
        return Array(body.readableBytesView)
    }
}

/// Reads a JWKS from a file (`jwk_local_path`).
public struct LocalFileJWKSFetcher: JWKSFetcher {
    /// Why reading failed.
    public struct ReadError: Error, CustomStringConvertible {
        /// What went wrong.
        public let description: String
    }

    /// The file path.
    public let path: String

    /// Creates a fetcher reading `path`.
    public init(path: String) {
        self.path = path
    }

    /// Reads the whole file (at most 1 MiB).
    public func fetchJWKS() async throws -> [UInt8] {
        guard let file = fopen(path, "rb") else { throw ReadError(description: "cannot open \(path)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count > 0 { bytes.append(contentsOf: chunk[0..<count]) }
            if bytes.count > 1 << 20 { throw ReadError(description: "\(path) is larger than 1 MiB") }
            if count < chunk.count { break }
        }
        if ferror(file) != 0 { throw ReadError(description: "cannot read \(path)") }
        return bytes
    }
}
