/// KrakenD's host sanitizing for `host` entries: `[http://]host[:port][/]` becomes `http://host[:port]`.
///
/// Lura accepts `(https?://)?([a-zA-Z0-9._-]+)(:[0-9]{2,6})?/?` and prefixes `http://` when the scheme is missing.
/// Portico does the same (and accepts bracketed IPv6 literals), but rejects `https://` for now: the backend transport
/// is plain HTTP, and a silent downgrade would be worse than an error.
enum BackendHost {
    /// The sanitized host, or the problem message ("expected …, got …").
    static func sanitize(_ host: String) -> Result<String, HostError> {
        var rest = Substring(host)
        let lowercased = host.lowercased()
        if lowercased.hasPrefix("https://") {
            return .failure(HostError(message: "https backends are not supported yet (the transport is plain HTTP)"))
        }
        if lowercased.hasPrefix("http://") {
            rest = rest.dropFirst("http://".count)
        } else if host.contains("://") {
            return .failure(invalid(host, detail: "only http:// hosts are supported"))
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }

        var name: Substring
        var port: Substring?
        if rest.hasPrefix("[") {
            // [IPv6]:port
            guard let close = rest.firstIndex(of: "]") else { return .failure(invalid(host)) }
            name = rest[...close]
            let inside = rest[rest.index(after: rest.startIndex)..<close]
            guard !inside.isEmpty, inside.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                return .failure(invalid(host))
            }
            let afterName = rest[rest.index(after: close)...]
            if !afterName.isEmpty {
                guard afterName.hasPrefix(":") else { return .failure(invalid(host)) }
                port = afterName.dropFirst()
            }
        } else {
            if let colon = rest.firstIndex(of: ":") {
                name = rest[..<colon]
                port = rest[rest.index(after: colon)...]
            } else {
                name = rest
            }
            guard !name.isEmpty, name.unicodeScalars.allSatisfy(isHostNameScalar) else {
                return .failure(invalid(host))
            }
        }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCII), let number = Int(port),
                (1...65535).contains(number)
            else {
                return .failure(invalid(host, detail: "the port must be between 1 and 65535"))
            }
            return .success("http://\(name):\(number)")
        }
        return .success("http://\(name)")
    }

    /// With `disable_host_sanitize`, the host is used as written, but it still has to be a plain HTTP URL.
    static func checkUnsanitized(_ host: String) -> HostError? {
        let lowercased = host.lowercased()
        if lowercased.hasPrefix("https://") {
            return HostError(message: "https backends are not supported yet (the transport is plain HTTP)")
        }
        guard lowercased.hasPrefix("http://"), host.count > "http://".count else {
            return HostError(
                message:
                    "expected an http:// URL (disable_host_sanitize is true, so the host is used as written), got "
                    + ConfigValue.quoted(host)
            )
        }
        return nil
    }

    private static func isHostNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": return true
        default: return false
        }
    }

    private static func invalid(_ host: String, detail: String? = nil) -> HostError {
        var message = "expected a host like \"http://users.internal:8080\", got \(ConfigValue.quoted(host))"
        if let detail { message += " (\(detail))" }
        return HostError(message: message)
    }

    /// Why a host was rejected.
    struct HostError: Error, Equatable {
        var message: String
    }
}
