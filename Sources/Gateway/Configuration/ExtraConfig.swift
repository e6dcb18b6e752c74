/// An `extra_config` object: namespaces in file order, each with its raw value, for stages to decode.
///
/// ```json
/// "extra_config": { "qos/circuit-breaker": { "interval": 60, "timeout": 10, "max_errors": 1 } }
/// ```
///
/// KrakenD's historical long names (e.g. `github.com/devopsfaith/krakend-circuitbreaker/gobreaker`) are already
/// turned into their short names (`qos/circuit-breaker`), so look namespaces up by short name only.
public struct ExtraConfig: Sendable, Equatable {
    /// The JSON path of this `extra_config` object, e.g. `endpoints[2].extra_config`.
    public var path: String
    /// Namespaces as written, in file order (after alias resolution, if any).
    public var entries: [(namespace: String, value: ConfigValue)]
    /// The file it was read from, named in decoding problems (empty when built in code).
    public var file: String

    /// An `extra_config` at `path`, read from `file`.
    public init(path: String, entries: [(namespace: String, value: ConfigValue)] = [], file: String = "") {
        self.path = path
        self.entries = entries
        self.file = file
    }

    /// The value under `namespace`, if present.
    public subscript(namespace: String) -> ConfigValue? {
        entries.first { $0.namespace == namespace }?.value
    }

    /// The JSON path of one namespace, e.g. `endpoints[2].extra_config["qos/ratelimit/router"]`.
    public func path(of namespace: String) -> String { ConfigurationPath.namespace(path, namespace) }

    /// Decodes `namespace` as `type`, or returns nil when the namespace is absent.
    ///
    /// Problems carry the namespace's full path, e.g.
    /// `portico.json: endpoints[3].backend[0].extra_config["qos/circuit-breaker"].max_errors: expected an integer, got "five"`.
    public func decode<T: Decodable>(_ type: T.Type, namespace: String) throws(ConfigurationError) -> T? {
        guard let value = self[namespace] else { return nil }
        return try ConfigValueDecoder(file: file, basePath: path(of: namespace)).decode(type, from: value)
    }

    /// Same path and namespaces with equal values, in order; the file name is not compared.
    public static func == (lhs: ExtraConfig, rhs: ExtraConfig) -> Bool {
        // The file name is where the values came from, not part of them: a JSON and a YAML file can be equal.
        lhs.path == rhs.path
            && lhs.entries.elementsEqual(rhs.entries) { $0.namespace == $1.namespace && $0.value == $1.value }
    }
}
