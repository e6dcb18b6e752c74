import NIOCore
import NIOHTTP1

/// The next hop of a redirected backend exchange, built as Go's `http.Client` builds it (`net/http/client.go`,
/// `Client.do` and `redirectBehavior`).
///
/// - 301 / 302 / 303: the method becomes GET (HEAD stays HEAD) and the body is dropped.
/// - 307 / 308: same method and body; a body that cannot be sent again (a stream; or any body unless
///   `send_body_on_redirect`) means the answer is returned as it is, as Go does when `GetBody` is nil.
/// - No `Location`: the answer is returned as it is.
/// - `Referer` is the previous URL, unless the original request carried one (Go's `refererForURL`).
/// - `Authorization`, `Www-Authenticate`, `Cookie`, `Cookie2` are dropped once the target is neither the first
///   host nor a subdomain of it (Go's `shouldCopyHeaderOnRedirect`), and stay dropped.
/// - A relative `Location` is resolved against the previous URL (RFC 3986 §5.2); an `https://` target fails the
///   exchange: Portico has no TLS client yet.
struct BackendRedirect {
    /// The status codes that redirect.
    static func isRedirect(_ status: HTTPResponseStatus) -> Bool {
        switch status.code {
        case 301, 302, 303, 307, 308: true
        default: false
        }
    }

    /// The request to send next for `response` to `request` (sent to `origin`), or nil when the response is to be
    /// returned as it is. `initial` is the first hop (its host name and `Referer` matter on every hop).
    static func nextRequest(
        after response: BackendWireResponse,
        to request: BackendWireRequest,
        at origin: BackendOrigin,
        initial: (request: BackendWireRequest, origin: BackendOrigin),
        policy: BackendRedirectPolicy
    ) throws(BackendTransportError) -> (request: BackendWireRequest, origin: BackendOrigin)? {
        guard policy.follow, isRedirect(response.status),
            let location = response.headers.first(name: "location"), !location.isEmpty
        else { return nil }
        var next = request
        switch response.status.code {
        case 307, 308:
            if !request.body.isEmpty && !(policy.sendBodyOnRedirect && request.body.isReplayable) { return nil }
        default:
            if request.method != .GET && request.method != .HEAD { next.method = .GET }
            next.body = .none
        }
        let (target, uri) = try resolve(location, from: origin, uri: request.uri)
        next.uri = uri
        next.headers.replaceOrAdd(name: "Host", value: target.hostHeader)
        if !initial.request.headers.contains(name: "referer") {
            next.headers.replaceOrAdd(name: "Referer", value: "http://\(origin.hostHeader)\(request.uri)")
        }
        if !isDomainOrSubdomain(target.host.lowercased(), of: initial.origin.host.lowercased()) {
            for name in ["Authorization", "Www-Authenticate", "Cookie", "Cookie2"] { next.headers.remove(name: name) }
        }
        return (next, target)
    }

    /// Resolves `location` against `http://origin/uri`: the target origin and its request target (path + query).
    static func resolve(
        _ location: String,
        from origin: BackendOrigin,
        uri: String
    ) throws(BackendTransportError) -> (BackendOrigin, String) {
        var reference = Substring(location)
        if let hash = reference.firstIndex(of: "#") { reference = reference[..<hash] }
        if let scheme = schemeOf(reference) {
            let lowered = scheme.lowercased()
            guard lowered == "http" else {
                throw .protocolError(
                    lowered == "https"
                        ? "redirect to \(location): https backends are not supported (Portico has no TLS client yet)"
                        : "redirect to \(location): unsupported scheme"
                )
            }
            reference = reference.dropFirst(scheme.count + 1)
            guard reference.hasPrefix("//") else {
                // "http:path" (no authority) is relative to the current origin (RFC 3986 §5.2.2, non-strict).
                return (origin, merge(reference, base: uri))
            }
        }
        if reference.hasPrefix("//") {
            let rest = reference.dropFirst(2)
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            var path = String(rest[authorityEnd...])
            if path.isEmpty || path.first == "?" { path = "/" + path }
            let target: BackendOrigin
            do {
                target = try BackendOrigin("http://\(authority)")
            } catch {
                throw .protocolError("redirect to \(location): \(error.reason)")
            }
            // The same host and port keep the configured origin: its pool of connections is reused.
            let sameOrigin = target.host == origin.host && target.port == origin.port
            return (sameOrigin ? origin : target, removingDotSegments(path))
        }
        return (origin, merge(reference, base: uri))
    }

    /// Merges a relative reference with the base request target (RFC 3986 §5.2.2–5.2.4).
    private static func merge(_ reference: Substring, base: String) -> String {
        let basePath = base.firstIndex(of: "?").map { base[..<$0] } ?? base[...]
        if reference.isEmpty { return base }
        if reference.first == "?" { return String(basePath) + reference }
        if reference.first == "/" { return removingDotSegments(String(reference)) }
        let directory = basePath.lastIndex(of: "/").map { basePath[...$0] } ?? "/"
        return removingDotSegments(String(directory) + reference)
    }

    /// `/a/b/../c/./d?q` → `/a/c/d?q` (RFC 3986 §5.2.4), on the path part only.
    static func removingDotSegments(_ target: String) -> String {
        let queryStart = target.firstIndex(of: "?") ?? target.endIndex
        let path = target[..<queryStart]
        guard path.contains(".") else { return target }
        var output: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            switch segment {
            case ".":
                if isLast { output.append("") }
            case "..":
                if !output.isEmpty { output.removeLast() }
                if isLast { output.append("") }
            default:
                output.append(segment)
            }
        }
        return "/" + output.joined(separator: "/") + target[queryStart...]
    }

    /// The scheme of an absolute reference (`http` in `http://…`), or nil for a relative one.
    private static func schemeOf(_ reference: Substring) -> Substring? {
        guard let colon = reference.firstIndex(of: ":"), colon != reference.startIndex else { return nil }
        let scheme = reference[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter,
            scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") })
        else { return nil }
        return scheme
    }

    /// Go's `isDomainOrSubdomain`: `sub` is `parent` or ends with `.parent` (never for IPv6 literals).
    private static func isDomainOrSubdomain(_ sub: String, of parent: String) -> Bool {
        if sub == parent { return true }
        if sub.contains(":") || sub.contains("%") { return false }
        return sub.hasSuffix("." + parent)
    }
}
