import Logging
import NIOCore

/// DNS SRV discovery for one backend (`"sd": "dns"`, Lura's `sd/dnssrv`): resolves the SRV name at start-up and
/// every `dns_cache_ttl`, and publishes the expanded host list to a `BackendHostSource`.
///
/// Failure policy: a failed or empty lookup keeps the last good list (as Lura's `update` does); with no good list
/// yet the backend fails each call with the reason. Targets come from the answer's additional A/AAAA records, or
/// from follow-up A (then AAAA) queries; the URL carries the address, so connections need no further lookup.
final class DNSServiceDiscovery: Sendable {
    /// The SRV name, e.g. `_users._tcp.service.consul`.
    let name: String
    let client: DNSClient
    let source: BackendHostSource
    /// The refresh interval (`dns_cache_ttl`).
    let interval: Duration
    private let clock: any Clock<Duration>
    private let logger: Logger

    init(
        name: String,
        client: DNSClient,
        source: BackendHostSource,
        interval: Duration,
        clock: any Clock<Duration> = ContinuousClock(),
        logger: Logger
    ) {
        self.name = name
        self.client = client
        self.source = source
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    /// Refreshes every `interval` until the task is cancelled.
    func run() async {
        while !Task.isCancelled {
            do {
                try await clock.sleep(for: interval)
            } catch {
                return
            }
            await refresh()
        }
    }

    /// One lookup; publishes the result when it has hosts. Returns whether it did.
    @discardableResult
    func refresh() async -> Bool {
        do {
            let origins = try await resolve()
            guard !origins.isEmpty else {
                source.noteFailure("the SRV lookup returned no usable targets")
                logger.warning("[SD][DNS] \(name): no usable SRV targets; keeping the previous hosts")
                return false
            }
            try await source.publish(origins)?.get()
            logger.debug("[SD][DNS] \(name): \(origins.count) instances")
            return true
        } catch {
            source.noteFailure("\(error)")
            logger.warning("[SD][DNS] \(name): lookup failed (\(error)); keeping the previous hosts")
            return false
        }
    }

    /// The expanded origins for the current SRV answer: resolved addresses, `Host` the SRV target's name.
    func resolve() async throws -> [BackendOrigin] {
        let answer = try await client.query(name, type: .srv)
        var targets: [SRVInstances.Target] = []
        for record in answer.answers {
            guard case .srv(let priority, let weight, let port, let target) = record.data else { continue }
            // RFC 2782: a target of "." means the service is decidedly not available here.
            guard !target.isEmpty else { continue }
            guard let address = try await address(of: target, additionals: answer.additionals) else {
                logger.warning("[SD][DNS] \(name): target \(target) has no A/AAAA record; skipped")
                continue
            }
            let targetName = target.hasSuffix(".") ? String(target.dropLast()) : target
            targets.append(.init(priority: priority, weight: weight, port: port, host: address, name: targetName))
        }
        return try SRVInstances.expandOrigins(targets)
    }

    /// The target's first IPv4 address (else IPv6) from the additional section, else from its own lookups.
    private func address(of target: String, additionals: [DNSRecord]) async throws -> String? {
        if let found = Self.firstAddress(of: target, in: additionals) { return found }
        for type in [DNSRecordType.a, .aaaa] {
            guard let answer = try? await client.query(target, type: type) else { continue }
            if let found = Self.firstAddress(of: target, in: answer.answers, followingAliases: true) { return found }
        }
        return nil
    }

    /// The first A (else AAAA) record for `name` in `records`; CNAME chains are followed within the records.
    static func firstAddress(of name: String, in records: [DNSRecord], followingAliases: Bool = false) -> String? {
        var names: Set<String> = [name]
        if followingAliases {
            // At most as many hops as records: a loop cannot spin.
            for _ in records {
                let before = names.count
                for record in records where names.contains(record.name) {
                    if case .cname(let alias) = record.data { names.insert(alias) }
                }
                if names.count == before { break }
            }
        }
        var ipv6: String?
        for record in records where names.contains(record.name) {
            switch record.data {
            case .a(let address): return address
            case .aaaa(let address): ipv6 = ipv6 ?? address
            default: continue
            }
        }
        return ipv6
    }
}
