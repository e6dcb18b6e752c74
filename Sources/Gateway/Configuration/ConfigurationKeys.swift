/// The keys each level of a KrakenD file may hold: the ones Portico reads, and the KrakenD ones it does not implement
/// yet (a warning each, as they are valid KrakenD). Any other key is unknown: KrakenD ignores it, so Portico warns.
enum ConfigurationKeys {
    static let service: Set<String> = [
        "version", "name", "port", "listen_ip", "host", "timeout", "cache_ttl", "output_encoding", "endpoints",
        "extra_config", "read_timeout", "write_timeout", "idle_timeout", "read_header_timeout", "max_header_bytes",
        "debug_endpoint", "echo_endpoint", "dns_cache_ttl",
    ]

    /// KrakenD service keys (schema v2.12) Portico does not implement yet.
    static let serviceNotSupported: [String: String] = notSupported([
        "async_agent", "client_tls", "dialer_fallback_delay", "dialer_keep_alive", "dialer_timeout",
        "disable_compression", "disable_keep_alives", "disable_rest",
        "expect_continue_timeout", "idle_connection_timeout", "max_idle_connections", "max_idle_connections_per_host",
        "max_shutdown_wait_time", "plugin", "response_header_timeout", "sequential_start", "tls", "use_h2c",
    ])

    static let endpoint: Set<String> = [
        "endpoint", "method", "backend", "timeout", "cache_ttl", "output_encoding", "input_headers",
        "input_query_strings", "concurrent_calls", "extra_config",
    ]

    static let endpointNotSupported: [String: String] = [
        // Version 2 names, which KrakenD 2 ignores in a version 3 file; a forwarded header silently lost is worth saying.
        "headers_to_pass": "the KrakenD 1.x name of \"input_headers\"; version 3 files ignore it (as KrakenD does)",
        "querystring_params":
            "the KrakenD 1.x name of \"input_query_strings\"; version 3 files ignore it (as KrakenD does)",
    ]

    static let backend: Set<String> = [
        "url_pattern", "method", "host", "sd", "sd_scheme", "disable_host_sanitize", "encoding", "allow", "deny",
        "mapping", "group",
        "target", "is_collection", "input_headers", "input_query_strings", "extra_config",
    ]

    static let backendNotSupported: [String: String] = notSupported([]).merging([
        "whitelist": "the KrakenD 1.x name of \"allow\"; version 3 files ignore it (as KrakenD does)",
        "blacklist": "the KrakenD 1.x name of \"deny\"; version 3 files ignore it (as KrakenD does)",
    ]) { first, _ in first }

    static let router: Set<String> = [
        "health_path", "disable_access_log", "return_error_msg", "auto_options", "disable_handle_method_not_allowed",
        "disable_health", "disable_path_decoding", "disable_redirect_fixed_path", "disable_redirect_trailing_slash",
        "error_body", "hide_version_header", "max_payload", "remove_extra_slash", "logger_skip_paths",
    ]

    /// KrakenD `router` options (schema v2.12) Portico does not implement yet.
    static let routerNotSupported: [String: String] = notSupported([
        "app_engine", "decompress_gzip", "disable_gzip", "forwarded_by_client_ip",
        "max_multipart_memory", "remote_ip_headers", "trusted_proxies", "use_h2c",
    ])

    static let porticoHTTP: Set<String> = [
        "status_codes", "max_body_bytes", "max_backend_response_bytes", "backend_idle_timeout",
        "max_idle_connections_per_host", "connect_timeout",
    ]

    /// The message for a valid KrakenD key Portico ignores.
    static let notSupportedMessage = "not supported by Portico yet; ignored"

    private static func notSupported(_ keys: [String]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: keys.map { ($0, notSupportedMessage) })
    }

    /// True for keys KrakenD's schema lets any object carry (`^[@$_#]`: `$schema`, `@comment`, `_notes`, `#tag`).
    static func isAnnotation(_ key: String) -> Bool {
        guard let first = key.first else { return false }
        return first == "@" || first == "$" || first == "_" || first == "#"
    }

    /// The known key closest to a misspelt one, if any is close enough to be a likely typo.
    static func suggestion(for key: String, among candidates: some Sequence<String>) -> String? {
        var best: (key: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(key, candidate)
            if distance <= max(1, min(2, candidate.count / 4)), distance < (best?.distance ?? .max) {
                best = (candidate, distance)
            }
        }
        return best?.key
    }

    /// Levenshtein distance over Unicode scalars; keys are short, so the quadratic cost is nothing.
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let left = Array(lhs.unicodeScalars)
        let right = Array(rhs.unicodeScalars)
        guard !left.isEmpty else { return right.count }
        guard !right.isEmpty else { return left.count }
        var previous = Array(0...right.count)
        var current = Array(repeating: 0, count: right.count + 1)
        for i in 1...left.count {
            current[0] = i
            for j in 1...right.count {
                let substitution = previous[j - 1] + (left[i - 1] == right[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[right.count]
    }
}
