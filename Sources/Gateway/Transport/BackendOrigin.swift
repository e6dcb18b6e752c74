public import NIOCore

/// One backend base URL (`http://127.0.0.1:9001`), parsed once at start-up.
public struct BackendOrigin: Sendable, Hashable, CustomStringConvertible {
    /// The host name or IP literal (without brackets).
    public let host: String
    /// The TCP port (default 80).
    public let port: Int
    /// The `Host` header value sent to the backend.
    public let hostHeader: String
    /// A path prefix from the base URL (`http://h/api` → `/api`), prepended to every `url_pattern`.
    public let pathPrefix: String
    /// The resolved address when `host` is an IP literal, so no resolver runs per connection.
    public let address: SocketAddress?

    /// Parses `http://host[:port][/prefix]`; throws a message for anything else.
    public init(_ url: String) throws(BackendOriginError) {
        var rest = Substring(url)
        guard rest.hasPrefix("http://") else {
            throw BackendOriginError(url: url, reason: "expected an http:// URL")
        }
        rest = rest.dropFirst("http://".count)
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[rest.startIndex..<authorityEnd]
        var prefix = String(rest[authorityEnd...])
        while prefix.hasSuffix("/") { prefix.removeLast() }
        var host: Substring
        var port = 80
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else {
                throw BackendOriginError(url: url, reason: "has an unterminated IPv6 literal")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.first == ":" {
                guard let parsed = Int(after.dropFirst()), (1...65535).contains(parsed) else {
                    throw BackendOriginError(url: url, reason: "has an invalid port")
                }
                port = parsed
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[authority.startIndex..<colon]
            guard let parsed = Int(authority[authority.index(after: colon)...]), (1...65535).contains(parsed) else {
                throw BackendOriginError(url: url, reason: "has an invalid port")
            }
            port = parsed
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw BackendOriginError(url: url, reason: "has no host") }
        self.host = String(host)
        self.port = port
        self.hostHeader = String(authority)
        self.pathPrefix = prefix
        self.address = try? SocketAddress(ipAddress: self.host, port: port)
    }

    /// Parses `url` as `init(_:)` does, but sends `hostHeader` as `Host` (a discovered address whose service
    /// name is what the backend expects, e.g. an SRV target).
    public init(_ url: String, hostHeader: String) throws(BackendOriginError) {
        let parsed = try BackendOrigin(url)
        self.host = parsed.host
        self.port = parsed.port
        self.hostHeader = hostHeader
        self.pathPrefix = parsed.pathPrefix
        self.address = parsed.address
    }

    public var description: String { "http://\(hostHeader)\(pathPrefix)" }

    public static func == (lhs: BackendOrigin, rhs: BackendOrigin) -> Bool {
        lhs.host == rhs.host && lhs.port == rhs.port && lhs.pathPrefix == rhs.pathPrefix
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(host)
        hasher.combine(port)
        hasher.combine(pathPrefix)
    }
}

/// A backend `host` entry that cannot be used.
public struct BackendOriginError: Error, Equatable, CustomStringConvertible {
    /// The entry as written.
    public var url: String
    /// What is wrong with it.
    public var reason: String

    public var description: String { "the backend host \"\(url)\" \(reason)" }
}
