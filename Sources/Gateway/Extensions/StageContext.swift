public import Logging

/// What a stage factory receives when the pipeline is built: its namespace's value and where it sits.
public struct StageContext: Sendable {
    /// The namespace string, e.g. `qos/circuit-breaker`.
    public let namespace: String
    /// The namespace's raw value as written.
    public let value: ConfigValue
    /// The JSON path of the value, e.g. `endpoints[2].backend[0].extra_config["qos/circuit-breaker"]`.
    public let path: String
    /// The service the stage belongs to.
    public let service: ServiceConfiguration
    /// The endpoint the stage belongs to.
    public let endpoint: EndpointConfiguration
    /// The backend, for backend stages; nil for endpoint stages.
    public let backend: BackendConfiguration?
    /// The backend's index in `endpoint.backends`, for backend stages.
    public let backendIndex: Int?
    /// A logger labelled for the stage.
    public let logger: Logger
    /// The gateway's shared resources: event loops, shared objects, startup/background/shutdown work.
    public let resources: GatewayResources

    /// Decodes the namespace's value into a `Decodable` configuration; errors name the JSON path.
    public func decode<T: Decodable>(_ type: T.Type) throws(ConfigurationError) -> T {
        try ConfigValueDecoder(file: service.fileName, basePath: path).decode(type, from: value)
    }
}
