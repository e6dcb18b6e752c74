import NIOCore

/// `portico/sd` (service `extra_config`): how DNS SRV discovery (`"sd": "dns"`) talks to DNS. Portico-only.
///
/// ```json
/// "extra_config": {
///   "portico/sd": { "resolver": "127.0.0.1:8600", "timeout": "2s", "attempts": 2 }
/// }
/// ```
///
/// - `resolver` (default: every `nameserver` of `/etc/resolv.conf`): one address (`ip`, `ip:port`,
///   `[ipv6]:port`; port 53 by default) or a list of them, tried in order — e.g. Consul's DNS on port 8600.
/// - `timeout` (default `2s`): how long one attempt waits for an answer.
/// - `attempts` (default `2`): attempts per lookup, round the resolvers.
///
/// The refresh interval is KrakenD's service key `dns_cache_ttl` (default `30s`), the scheme the backend's
/// `sd_scheme` (default `http`, the only one the transport speaks).
struct DNSDiscoveryOptions: Sendable, Equatable {
    /// The namespace string.
    static let namespace = "portico/sd"
    /// Every key the namespace reads.
    static let knownKeys: Set<String> = ["resolver", "timeout", "attempts"]

    /// Explicit resolvers; nil means `/etc/resolv.conf`.
    var resolvers: [SocketAddress]?
    /// Per-attempt timeout.
    var timeout: TimeAmount = .seconds(2)
    /// Attempts per lookup.
    var attempts: Int = 2

    /// Reads the service's `portico/sd` block (defaults when absent); problems name the JSON path.
    static func read(
        _ value: ConfigValue?,
        at path: String,
        file: String
    ) throws(ConfigurationError)
        -> DNSDiscoveryOptions
    {
        var options = DNSDiscoveryOptions()
        guard let value else { return options }
        guard case .object(let object) = value else {
            throw ConfigurationError(
                file: file,
                path: path,
                message: "expected an object, got \(value.renderedForMessage())"
            )
        }
        var problems: [ConfigurationProblem] = []
        func problem(_ key: String, _ message: String) {
            problems.append(
                ConfigurationProblem(file: file, path: ConfigurationPath.member(path, key), message: message)
            )
        }
        for key in object.keys where !knownKeys.contains(key) {
            problem(key, "unknown key (known: \(knownKeys.sorted().joined(separator: ", ")))")
        }
        let expectedResolver = "an address like \"127.0.0.1:8600\" or a list of them"
        switch object["resolver"] {
        case nil, .null: break
        case .string(let text):
            if let address = ResolverConfiguration.address(text) {
                options.resolvers = [address]
            } else {
                problem("resolver", "expected \(expectedResolver), got \(ConfigValue.quoted(text))")
            }
        case .array(let entries) where !entries.isEmpty:
            var addresses: [SocketAddress] = []
            for (index, entry) in entries.enumerated() {
                if let text = entry.stringValue, let address = ResolverConfiguration.address(text) {
                    addresses.append(address)
                } else {
                    problems.append(
                        ConfigurationProblem(
                            file: file,
                            path: ConfigurationPath.element(ConfigurationPath.member(path, "resolver"), index),
                            message: "expected an address like \"127.0.0.1:8600\", got \(entry.renderedForMessage())"
                        )
                    )
                }
            }
            options.resolvers = addresses
        case let other?:
            problem("resolver", "expected \(expectedResolver), got \(other.renderedForMessage())")
        }
        switch object["timeout"] {
        case nil, .null: break
        case .string(let text):
            if let nanoseconds = GoDuration.nanoseconds(text), nanoseconds > 0 {
                options.timeout = .nanoseconds(nanoseconds)
            } else {
                problem("timeout", "expected a positive duration like \"2s\", got \(ConfigValue.quoted(text))")
            }
        case let other?:
            problem("timeout", "expected a positive duration like \"2s\", got \(other.renderedForMessage())")
        }
        switch object["attempts"] {
        case nil, .null: break
        case let value?:
            if let attempts = value.integerValue, (1...10).contains(attempts) {
                options.attempts = attempts
            } else {
                problem("attempts", "expected an integer from 1 to 10, got \(value.renderedForMessage())")
            }
        }
        if !problems.isEmpty { throw ConfigurationError(problems: problems) }
        return options
    }
}
