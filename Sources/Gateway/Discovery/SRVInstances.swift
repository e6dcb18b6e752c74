/// Lura's `sd/dnssrv` host list from SRV records: lowest priority only, each target repeated by its weight.
///
/// Records are sorted by priority, then weight (descending), target and port; only the records of the lowest
/// priority are kept. Weights are normalised to sum to at most 100 (or the record count, when larger) and divided
/// by their greatest common divisor; each target appears that many times, so round robin over the list honours the
/// weights. A record of weight 0 (after normalising) is left out, as in Lura,
/// unless every weight is 0.
enum SRVInstances {
    /// One SRV answer with its target resolved.
    struct Target: Sendable, Equatable {
        var priority: UInt16
        var weight: UInt16
        var port: UInt16
        /// The target's address (or name, when unresolved), as it goes into the URL.
        var host: String
        /// The SRV target name (no trailing dot), sent as the `Host` header as Go's client would; nil: `host`.
        var name: String? = nil
    }

    /// The expanded host list, `scheme://host:port` each, IPv6 hosts in brackets.
    static func expand(_ targets: [Target], scheme: String = "http") -> [String] {
        let sorted = targets.sorted { lhs, rhs in
            if lhs.priority != rhs.priority { return lhs.priority < rhs.priority }
            if lhs.weight != rhs.weight { return lhs.weight > rhs.weight }
            if lhs.host != rhs.host { return lhs.host < rhs.host }
            return lhs.port < rhs.port
        }
        guard let lowest = sorted.first?.priority else { return [] }
        let kept = sorted.prefix { $0.priority == lowest }
        // RFC 2782: when every weight is 0, each target is equally likely. Lura would list none; Portico lists each once.
        let raw = kept.map(\.weight)
        let weights = compact(raw.allSatisfy { $0 == 0 } ? raw.map { _ in 1 } : raw)
        var instances: [String] = []
        for (target, times) in zip(kept, weights) {
            let url = "\(scheme)://\(bracketed(target.host)):\(target.port)"
            for _ in 0..<times { instances.append(url) }
        }
        return instances
    }

    /// `expand`'s list as origins: the connection goes to the resolved address, and `Host` names the SRV target
    /// (`target:port`), as Lura's `http://target:port` URLs make Go's client send.
    static func expandOrigins(
        _ targets: [Target],
        scheme: String = "http"
    ) throws(BackendOriginError) -> [BackendOrigin] {
        let byURL = Dictionary(
            targets.map { ("\(scheme)://\(bracketed($0.host)):\($0.port)", $0) },
            uniquingKeysWith: { first, _ in first }
        )
        var origins: [BackendOrigin] = []
        for url in expand(targets, scheme: scheme) {
            guard let target = byURL[url], let name = target.name else {
                origins.append(try BackendOrigin(url))
                continue
            }
            origins.append(try BackendOrigin(url, hostHeader: "\(bracketed(name)):\(target.port)"))
        }
        return origins
    }

    private static func bracketed(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }

    /// Lura's `compact`: normalise, then divide by the greatest common divisor.
    static func compact(_ weights: [UInt16]) -> [UInt16] {
        let normalised = normalise(weights)
        let divisor = normalised.reduce(0) { gcd($0, $1) }
        guard divisor >= 2 else { return normalised }
        return normalised.map { $0 / divisor }
    }

    /// Lura's `normalize`: scale to a sum of at most max(100, count).
    static func normalise(_ weights: [UInt16]) -> [UInt16] {
        let scale = max(100, weights.count)
        let sum = weights.reduce(0) { $0 + Int($1) }
        guard sum > scale else { return weights }
        return weights.map { UInt16(Int($0) * scale / sum) }
    }

    private static func gcd(_ lhs: UInt16, _ rhs: UInt16) -> UInt16 {
        var (a, b) = (lhs, rhs)
        while b > 0 { (a, b) = (b, a % b) }
        return a
    }
}
