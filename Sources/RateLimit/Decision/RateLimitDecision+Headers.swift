extension RateLimitDecision {
    /// The response header fields for this decision, as name/value pairs for the gateway to copy.
    ///
    /// Rejections always get `Retry-After`. `ietf` adds `RateLimit-Policy: "default";q=100;w=1` and
    /// `RateLimit: "default";r=0;t=1` (draft-ietf-httpapi-ratelimit-headers), where `t` is the seconds until the
    /// bucket is full again, or until the next token when none is left. `legacy` adds `X-RateLimit-Limit`,
    /// `-Remaining` and `-Reset` (seconds). Allocates the strings and the array; call it only when headers are
    /// written. Decisions without quota information (`limit` 0) add no quota headers.
    /// - Parameters:
    ///   - style: which quota headers to add.
    ///   - policy: the policy name in the structured fields; a string item, so quotes and backslashes are escaped.
    public func headerFields(
        style: RateLimitHeaderStyle,
        policy: String = "default"
    ) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        if let retry = retryAfterSeconds {
            fields.append((name: "Retry-After", value: String(retry)))
        }
        guard limit > 0 else { return fields }
        let reset = remaining == 0 && retryAfter > 0 ? retryAfter : resetAfter
        let resetSeconds = Self.secondsRoundedUp(reset)
        if style == .ietf || style == .both {
            let name = Self.structuredString(policy)
            let windowSeconds = max(Self.secondsRoundedUp(window), 1)
            fields.append((name: "RateLimit-Policy", value: "\(name);q=\(limit);w=\(windowSeconds)"))
            fields.append((name: "RateLimit", value: "\(name);r=\(max(remaining, 0));t=\(resetSeconds)"))
        }
        if style == .legacy || style == .both {
            fields.append((name: "X-RateLimit-Limit", value: String(limit)))
            fields.append((name: "X-RateLimit-Remaining", value: String(max(remaining, 0))))
            fields.append((name: "X-RateLimit-Reset", value: String(resetSeconds)))
        }
        return fields
    }

    /// An RFC 8941 sf-string: printable ASCII only, with `"` and `\` escaped.
    static func structuredString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars where scalar.value >= 0x20 && scalar.value < 0x7f {
            if scalar == "\"" || scalar == "\\" { result.append("\\") }
            result.unicodeScalars.append(scalar)
        }
        result.append("\"")
        return result
    }
}
