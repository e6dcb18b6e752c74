import NIOCore

/// The nameservers DNS discovery asks: `/etc/resolv.conf`'s `nameserver` lines, unless `portico/sd.resolver`
/// overrides them.
enum ResolverConfiguration {
    /// The `nameserver` addresses in `text` (resolv.conf syntax), port 53; the C resolver's `127.0.0.1` when none.
    static func nameservers(resolvConf text: String) -> [SocketAddress] {
        var servers: [SocketAddress] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver" else { continue }
            // A zone suffix (fe80::1%eth0) is not accepted by inet_pton; such servers are skipped.
            if let address = try? SocketAddress(ipAddress: String(fields[1]), port: 53) { servers.append(address) }
        }
        if servers.isEmpty, let loopback = try? SocketAddress(ipAddress: "127.0.0.1", port: 53) {
            servers.append(loopback)
        }
        return servers
    }

    /// Parses `ip`, `ip:port` or `[ipv6]:port` (port 53 when absent); nil when it is not an address.
    static func address(_ text: String) -> SocketAddress? {
        var host = Substring(text)
        var port = 53
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let after = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let parsed = Int(after.dropFirst()), (1...65535).contains(parsed) else {
                    return nil
                }
                port = parsed
            }
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            guard let parsed = Int(host[host.index(after: colon)...]), (1...65535).contains(parsed) else { return nil }
            port = parsed
            host = host[..<colon]
        }
        return try? SocketAddress(ipAddress: String(host), port: port)
    }
}
