import Foundation
import Logging
import NIOCore

extension BackendHostSource {
    /// The `GatewayResources.shared` key of the gateway's one DNS client.
    static let clientResourceKey = "portico/sd.client"

    /// The host source of a `"sd": "dns"` backend, with its first lookup registered as a start-up task and its
    /// refresh loop as a background task; nil for a static backend (its `host` list is used as is).
    static func make(
        for backend: BackendConfiguration,
        service: ServiceConfiguration,
        resources: GatewayResources,
        logger: Logger
    ) throws -> BackendHostSource? {
        guard backend.serviceDiscovery == "dns", let name = backend.host.first else { return nil }
        let namespace = DNSDiscoveryOptions.namespace
        let options = try DNSDiscoveryOptions.read(
            service.extraConfig[namespace],
            at: service.extraConfig.path(of: namespace),
            file: service.fileName
        )
        let group = resources.eventLoopGroup
        let client = try resources.shared(clientResourceKey) {
            let resolvConf = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
            let nameservers = options.resolvers ?? ResolverConfiguration.nameservers(resolvConf: resolvConf)
            return DNSClient(
                group: group,
                nameservers: nameservers,
                timeout: options.timeout,
                attempts: options.attempts
            )
        }
        let source = BackendHostSource(label: "DNS SRV \(name)", loops: Array(group.makeIterator()))
        let discovery = DNSServiceDiscovery(
            name: name,
            client: client,
            source: source,
            interval: service.dnsCacheTTL,
            logger: logger
        )
        // A failed first lookup does not abort start-up: Lura starts with no hosts too, and the refresh loop may
        // find them later; until then each call fails with the lookup's error.
        resources.addStartupTask { await discovery.refresh() }
        resources.addBackgroundTask(name: "dns-sd \(name)") { await discovery.run() }
        return source
    }
}
