/// A backend's `extra_config.proxy` and `extra_config["backend/http"]`, validated at start-up.
///
/// ```json
/// "extra_config": {
///     "proxy": { "shadow": true, "shadow_timeout": "1s", "flatmap_filter": [ … ] },
///     "backend/http": { "return_error_code": true, "return_error_details": "users" }
/// }
/// ```
///
/// Defaults: `shadow` false; `shadow_timeout` the endpoint's `timeout`; `flatmap_filter` none;
/// `return_error_code` false; `return_error_details` none.
struct BackendProxyOptions: Sendable {
    /// The `backend/http` namespace string, as KrakenD writes it.
    static let httpNamespace = "backend/http"

    var flatmap: FlatmapFilter?
    var shadow = false
    var shadowTimeout: Duration?
    var returnErrorCode = false
    var returnErrorDetails: String?

    /// No options: the plain backend.
    init() {}

    /// Reads the backend's `proxy` and `backend/http` namespaces, if any.
    static func read(_ extraConfig: ExtraConfig, into reader: inout ProxyNamespaceReader) -> BackendProxyOptions {
        var options = BackendProxyOptions()
        if let value = extraConfig[EndpointProxyOptions.namespace] {
            let path = extraConfig.path(of: EndpointProxyOptions.namespace)
            if let object = reader.object(value, at: path) {
                reader.warnUnknownKeys(object, known: ["shadow", "shadow_timeout", "flatmap_filter"], at: path)
                options.shadow = reader.bool(object, "shadow", at: path) ?? false
                options.shadowTimeout = reader.duration(object, "shadow_timeout", at: path)
                if let value = object["flatmap_filter"], value != .null {
                    options.flatmap = FlatmapFilter.read(
                        value,
                        at: ConfigurationPath.member(path, "flatmap_filter"),
                        into: &reader
                    )
                }
            }
        }
        if let value = extraConfig[httpNamespace] {
            let path = extraConfig.path(of: httpNamespace)
            if let object = reader.object(value, at: path) {
                reader.warnUnknownKeys(object, known: ["return_error_code", "return_error_details"], at: path)
                options.returnErrorCode = reader.bool(object, "return_error_code", at: path) ?? false
                if let name = reader.string(object, "return_error_details", at: path) {
                    if name.isEmpty {
                        reader.problem(
                            ConfigurationPath.member(path, "return_error_details"),
                            "expected a non-empty name (the response gets \"error_<name>\"), got \"\""
                        )
                    } else {
                        options.returnErrorDetails = name
                    }
                }
            }
        }
        return options
    }
}
