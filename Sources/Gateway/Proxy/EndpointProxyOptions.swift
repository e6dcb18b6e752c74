/// An endpoint's `extra_config.proxy`, validated at start-up.
///
/// ```json
/// "extra_config": { "proxy": {
///     "sequential": true,
///     "sequential_propagated_params": ["resp0_id"],
///     "static": { "strategy": "always", "data": { "source": "gateway" } },
///     "flatmap_filter": [ { "type": "del", "args": ["internal"] } ]
/// } }
/// ```
///
/// Defaults: `sequential` false; `sequential_propagated_params` none (accepted for compatibility: Portico has no
/// body templates that would read them); `static` none; `flatmap_filter` none; `combiner` `default` (the only one).
struct EndpointProxyOptions: Sendable {
    /// The namespace string, as KrakenD writes it.
    static let namespace = "proxy"

    var sequential = false
    var propagatedParameters: [String] = []
    var staticData: StaticResponseData?
    var flatmap: FlatmapFilter?

    /// No options: the plain proxy.
    init() {}

    /// Reads the endpoint's `proxy` namespace, if any.
    static func read(_ extraConfig: ExtraConfig, into reader: inout ProxyNamespaceReader) -> EndpointProxyOptions {
        var options = EndpointProxyOptions()
        guard let value = extraConfig[namespace] else { return options }
        let path = extraConfig.path(of: namespace)
        guard let object = reader.object(value, at: path) else { return options }
        reader.warnUnknownKeys(
            object,
            known: ["sequential", "sequential_propagated_params", "static", "flatmap_filter", "combiner"],
            at: path
        )
        options.sequential = reader.bool(object, "sequential", at: path) ?? false
        if let names = reader.strings(object, "sequential_propagated_params", at: path) {
            let listPath = ConfigurationPath.member(path, "sequential_propagated_params")
            for (index, name) in names.enumerated() where URLTemplate.responseReference(name, allowWhole: true) == nil {
                reader.problem(
                    ConfigurationPath.element(listPath, index),
                    "expected a name like \"resp0_id\" or \"resp0\", got \(ConfigValue.quoted(name))"
                )
            }
            options.propagatedParameters = names
        }
        if let combiner = reader.string(object, "combiner", at: path), combiner != "default" {
            reader.warn(
                ConfigurationPath.member(path, "combiner"),
                "unknown combiner \(ConfigValue.quoted(combiner)); the default merge is used, as KrakenD does"
            )
        }
        if let value = object["static"], value != .null {
            options.staticData = StaticResponseData.read(
                value,
                at: ConfigurationPath.member(path, "static"),
                into: &reader
            )
        }
        if let value = object["flatmap_filter"], value != .null {
            options.flatmap = FlatmapFilter.read(
                value,
                at: ConfigurationPath.member(path, "flatmap_filter"),
                into: &reader
            )
        }
        return options
    }
}
