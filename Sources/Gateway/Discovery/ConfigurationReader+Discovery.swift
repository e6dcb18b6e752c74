extension ConfigurationReader {
    /// `host` of a `"sd": "dns"` backend: SRV names such as `_users._tcp.service.consul` (Lura resolves the first
    /// one; so does Portico, and it warns about the rest).
    func serviceNames(_ object: ConfigObject, at parent: String) -> [String] {
        guard let entries = stringArray(object, "host", at: parent) else { return [] }
        let path = ConfigurationPath.member(parent, "host")
        var names: [String] = []
        for (index, entry) in entries.enumerated() {
            var bytes: [UInt8] = []
            if entry.isEmpty || entry.contains("://") || (try? DNSMessage.appendName(entry, to: &bytes)) == nil {
                problem(
                    ConfigurationPath.element(path, index),
                    "expected a DNS SRV name like \"_users._tcp.service.consul\" (\"sd\" is \"dns\"), got "
                        + ConfigValue.quoted(entry)
                )
            } else {
                names.append(entry)
            }
        }
        if names.count > 1 {
            warn(path, "only the first SRV name is resolved (as in KrakenD); the others are ignored")
        }
        return names
    }

    /// `sd_scheme` (default `http`): the scheme of discovered hosts; the transport speaks plain HTTP only.
    func checkServiceDiscoveryScheme(_ object: ConfigObject, at parent: String) {
        guard let scheme = string(object, "sd_scheme", at: parent) else { return }
        if scheme.lowercased() != "http" {
            problem(
                ConfigurationPath.member(parent, "sd_scheme"),
                "expected \"http\" (the backend transport is plain HTTP), got \(ConfigValue.quoted(scheme))"
            )
        }
    }
}
