/// Finds the client key of a request: a pure function of the peer address and two lookups.
///
/// `ip` follows KrakenD: the peer address, or with `key` set the first entry of that header when it is an IP.
/// With `trusted_proxies` configured (Portico), the forwarding header (`key`, default `X-Forwarded-For`) is
/// honoured only when the peer is a trusted proxy, and it is read from the right, skipping trusted hops, so a
/// client cannot choose its own key by sending the header itself.
public struct ClientKeyExtractor: Sendable, Hashable {
    /// The strategy.
    public let strategy: ClientKeyStrategy
    /// Proxies trusted to append to the forwarding header; nil keeps KrakenD's behaviour.
    public let trustedProxies: TrustedProxies?

    /// Creates an extractor.
    public init(strategy: ClientKeyStrategy, trustedProxies: TrustedProxies? = nil) {
        self.strategy = strategy
        self.trustedProxies = trustedProxies.flatMap { $0.ranges.isEmpty ? nil : $0 }
    }

    /// The client key, or nil when the request carries none (KrakenD answers 429 then).
    ///
    /// Allocation-free apart from what the lookups return, except that an IPv6 address taken from a header
    /// is copied into a new string.
    /// - Parameters:
    ///   - remoteAddress: the peer's IP address as text, without port.
    ///   - header: looks up a request header by name (first value).
    ///   - param: looks up a route parameter by name.
    public func extract(
        remoteAddress: String?,
        header: (String) -> String?,
        param: (String) -> String?
    ) -> String? {
        switch strategy {
        case .header(let name):
            return nonEmpty(header(name))
        case .param(let name):
            return nonEmpty(param(name))
        case .ip(let name):
            if let trustedProxies {
                return forwardedAddress(
                    remoteAddress: remoteAddress,
                    value: header(name ?? "X-Forwarded-For"),
                    trusted: trustedProxies
                )
            }
            if let name, let value = header(name), let first = Self.firstAddress(in: value) {
                return first
            }
            return nonEmpty(remoteAddress)
        }
    }

    private func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    /// KrakenD's reading: the first comma-separated entry, port stripped, if it parses as an IP.
    static func firstAddress(in value: String) -> String? {
        let first = value.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard let address = stripPort(trimmed(first)), IPAddressBytes(address) != nil else { return nil }
        return String(address)
    }

    /// The right-most entry not added by a trusted proxy; the peer itself when the peer is not trusted.
    private func forwardedAddress(remoteAddress: String?, value: String?, trusted: TrustedProxies) -> String? {
        guard let remoteAddress, !remoteAddress.isEmpty else { return nil }
        guard let peer = IPAddressBytes(remoteAddress), trusted.contains(peer), let value else {
            return remoteAddress
        }
        let entries = value.split(separator: ",", omittingEmptySubsequences: false)
        var index = entries.count - 1
        while index >= 0 {
            guard let text = Self.stripPort(Self.trimmed(entries[index])), let address = IPAddressBytes(text) else {
                // A malformed hop means the chain cannot be trusted beyond the peer.
                return remoteAddress
            }
            if index == 0 || !trusted.contains(address) {
                return String(text)
            }
            index -= 1
        }
        return remoteAddress
    }

    static func trimmed(_ text: Substring) -> Substring {
        var result = text
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }

    /// `192.0.2.1:8080` → `192.0.2.1`, `[2001:db8::1]:443` → `2001:db8::1`; a bare address is returned as is.
    static func stripPort(_ text: Substring) -> Substring? {
        guard !text.isEmpty else { return nil }
        if text.first == "[" {
            guard let close = text.firstIndex(of: "]") else { return nil }
            return text[text.index(after: text.startIndex)..<close]
        }
        let colons = text.reduce(0) { $1 == ":" ? $0 + 1 : $0 }
        if colons == 1, let colon = text.firstIndex(of: ":") {
            return text[..<colon]
        }
        return text
    }
}
