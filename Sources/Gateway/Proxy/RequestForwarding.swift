import NIOCore
import NIOHTTP1

/// Which client headers and query parameters one backend receives, resolved once at start-up.
struct RequestForwarding: Sendable {
    let headers: HeaderSelection
    let query: HeaderSelection
    let userAgent: String
    /// Compressed bodies would break JSON decoding; `no-op` backends may pass them through.
    let allowsContentEncoding: Bool
    /// For `.only`: the listed names that may be forwarded at all, filtered once here rather than per request.
    private let forwardableNames: [String]

    init(headers: HeaderSelection, query: HeaderSelection, userAgent: String, allowsContentEncoding: Bool) {
        self.headers = headers
        self.query = query
        self.userAgent = userAgent
        self.allowsContentEncoding = allowsContentEncoding
        if case .only(let names) = headers {
            forwardableNames = names.filter { name in
                !Self.neverForwarded.contains(name.lowercased())
                    && (allowsContentEncoding || name.lowercased() != "accept-encoding")
            }
        } else {
            forwardableNames = []
        }
    }

    /// Hop-by-hop headers (RFC 9110 §7.6.1) and those the gateway sets itself are never copied.
    private static let neverForwarded: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "host", "content-length", "x-forwarded-for",
        "x-forwarded-host", "user-agent",
    ]

    /// The effective selection: a backend's own list narrows the endpoint's (what the endpoint does not forward
    /// is not available to any backend).
    static func narrow(
        _ endpoint: HeaderSelection,
        by backend: HeaderSelection?,
        caseInsensitive: Bool
    ) -> HeaderSelection {
        guard let backend else { return endpoint }
        switch (endpoint, backend) {
        case (.none, _), (_, .none): return .none
        case (.all, let other), (let other, .all): return other
        case (.only(let outer), .only(let inner)):
            let allowed = caseInsensitive ? Set(outer.map { $0.lowercased() }) : Set(outer)
            return .only(inner.filter { allowed.contains(caseInsensitive ? $0.lowercased() : $0) })
        }
    }

    /// Builds the backend headers for `request`. Allocates one `HTTPHeaders` storage.
    func makeHeaders(for request: GatewayRequest, hasBody: Bool) -> HTTPHeaders {
        var headers = HTTPHeaders()
        switch self.headers {
        case .none:
            break
        case .all:
            for (name, value) in request.headers where !Self.neverForwarded.contains(name.lowercased()) {
                if !allowsContentEncoding && name.caseInsensitiveCompare("accept-encoding") { continue }
                headers.add(name: name, value: value)
            }
        case .only:
            for name in forwardableNames {
                for value in request.headers[name] { headers.add(name: name, value: value) }
            }
        }
        for (name, value) in request.backendHeaders { headers.replaceOrAdd(name: name, value: value) }
        if let ip = request.remoteAddress?.ipAddress { headers.replaceOrAdd(name: "X-Forwarded-For", value: ip) }
        if let host = request.headers.first(name: "host") {
            headers.replaceOrAdd(name: "X-Forwarded-Host", value: host)
        }
        headers.replaceOrAdd(name: "User-Agent", value: userAgent)
        return headers
    }

    /// The client's query parameters this backend may see, in their original order and encoding.
    func makeQuery(for request: GatewayRequest) -> String {
        switch query {
        case .none: return ""
        case .all: return String(request.query)
        case .only(let names):
            guard !request.query.isEmpty else { return "" }
            var result = ""
            for pair in request.query.split(separator: "&") {
                let name = pair.firstIndex(of: "=").map { pair[pair.startIndex..<$0] } ?? pair
                // Names compare after percent-decoding would be stricter; KrakenD compares decoded keys.
                guard names.contains(where: { $0 == name || $0 == name.removingPercentEncodingIfNeeded }) else {
                    continue
                }
                if !result.isEmpty { result += "&" }
                result += pair
            }
            return result
        }
    }
}

extension String {
    /// ASCII case-insensitive equality, without allocating lowercased copies.
    func caseInsensitiveCompare(_ other: String) -> Bool {
        let lhs = utf8
        let rhs = other.utf8
        guard lhs.count == rhs.count else { return false }
        for (a, b) in zip(lhs, rhs) where a != b {
            let la = a >= 65 && a <= 90 ? a + 32 : a
            let lb = b >= 65 && b <= 90 ? b + 32 : b
            if la != lb { return false }
        }
        return true
    }
}

extension Substring {
    /// The percent-decoded form when the name contains `%` or `+`; otherwise itself.
    var removingPercentEncodingIfNeeded: String {
        guard contains("%") || contains("+") else { return String(self) }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
