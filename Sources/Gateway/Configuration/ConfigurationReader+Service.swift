extension ConfigurationReader {
    /// Output encodings Portico writes.
    /// `fast-json` (KrakenD Enterprise) writes the same JSON; KrakenD CE falls back to `json` for it, as Portico does.
    static let outputEncodings: KeyValuePairs<String, OutputEncoding> = [
        "json": .json, "fast-json": .json, "json-collection": .jsonCollection, "string": .string, "xml": .xml,
        "yaml": .yaml, "negotiate": .negotiate, "no-op": .noop,
    ]
    /// Output encodings KrakenD knows and Portico does not write yet.
    static let outputEncodingsNotSupported: Set<String> = []

    /// Reads the whole file; nil when the file is unusable at the root (not an object, wrong version).
    func readService(_ root: ConfigValue) -> ServiceConfiguration? {
        guard case .object(let object) = root else {
            mismatch("", expected: "an object at the top of the file", got: root)
            return nil
        }
        guard checkVersion(object) else { return nil }
        checkKeys(object, at: "", known: ConfigurationKeys.service, notSupported: ConfigurationKeys.serviceNotSupported)

        var service = ServiceConfiguration()
        service.name = string(object, "name", at: "")
        if let port = integer(object, "port", at: "", in: 1...65535, expected: "an integer between 1 and 65535") {
            service.port = port
        }
        if let listenAddress = string(object, "listen_ip", at: ""), !listenAddress.isEmpty {
            service.listenAddress = listenAddress
        }
        // Zero means "not set" for KrakenD's durations, so the defaults apply.
        if let timeout = duration(object, "timeout", at: ""), timeout > .zero { service.timeout = timeout }
        if let cacheTTL = duration(object, "cache_ttl", at: ""), cacheTTL > .zero { service.cacheTTL = cacheTTL }
        if let ttl = duration(object, "dns_cache_ttl", at: "", positive: true) { service.dnsCacheTTL = ttl }
        let problemsBeforeHosts = problems.count
        service.host = hosts(object, at: "", sanitize: true)
        serviceHostsHaveProblems = problems.count > problemsBeforeHosts
        if let encoding = choice(
            object,
            "output_encoding",
            at: "",
            supported: Self.outputEncodings,
            notSupportedYet: Self.outputEncodingsNotSupported
        ) {
            service.outputEncoding = encoding
        }
        service.server = readServerOptions(object)
        if let debug = bool(object, "debug_endpoint", at: "") { service.debugEndpoint = debug }
        if let echo = bool(object, "echo_endpoint", at: "") { service.echoEndpoint = echo }

        let extraConfig = readExtraConfig(object, at: "", level: .service)
        service.extraConfig = extraConfig
        if let router = extraConfig[ExtraConfigNamespace.router] {
            service.router = readRouterOptions(router, at: extraConfig.path(of: ExtraConfigNamespace.router))
        }
        if let http = extraConfig[ExtraConfigNamespace.porticoHTTP] {
            service.http = readPorticoHTTPOptions(http, at: extraConfig.path(of: ExtraConfigNamespace.porticoHTTP))
        }
        if let maxPayload = service.router.maxPayload {
            // Both bound the request body; the tighter one wins.
            service.http.maxBodyBytes = min(service.http.maxBodyBytes, maxPayload)
        }
        if let cors = extraConfig[CorsConfiguration.namespace] {
            service.cors = readCorsConfiguration(cors, at: extraConfig.path(of: CorsConfiguration.namespace))
        }

        if let endpoints = array(object, "endpoints", at: "") {
            for (index, endpoint) in endpoints.enumerated() {
                let path = ConfigurationPath.element("endpoints", index)
                if let endpoint = readEndpoint(endpoint, at: path, service: service) {
                    service.endpoints.append(endpoint)
                }
            }
        }
        checkRoutes(service)
        return service
    }

    /// KrakenD refuses any version but 3, and so does Portico: the keys of older versions mean other things.
    private func checkVersion(_ object: ConfigObject) -> Bool {
        guard let version = object["version"] else {
            problem("version", "missing: Portico reads KrakenD version 3 files; add \"version\": 3")
            return false
        }
        guard version.integerValue == 3 else {
            var message = "Portico reads KrakenD version 3 files; expected 3, got \(version.renderedForMessage())"
            if let old = version.integerValue, old == 1 || old == 2 {
                message += " (a KrakenD 1.x file: migrate it to version 3 first)"
            }
            problem("version", message)
            return false
        }
        return true
    }

    /// `host` of the service or of a backend; each entry sanitized as KrakenD does unless `sanitize` is false.
    func hosts(_ object: ConfigObject, at parent: String, sanitize: Bool) -> [String] {
        guard let entries = stringArray(object, "host", at: parent) else { return [] }
        var hosts: [String] = []
        let path = ConfigurationPath.member(parent, "host")
        for (index, entry) in entries.enumerated() {
            let entryPath = ConfigurationPath.element(path, index)
            if sanitize {
                switch BackendHost.sanitize(entry) {
                case .success(let host): hosts.append(host)
                case .failure(let error): problem(entryPath, error.message)
                }
            } else if let error = BackendHost.checkUnsanitized(entry) {
                problem(entryPath, error.message)
            } else {
                hosts.append(entry)
            }
        }
        return hosts
    }

    private func readServerOptions(_ object: ConfigObject) -> ServerOptions {
        var options = ServerOptions()
        func nonZero(_ duration: Duration?) -> Duration? { duration == .zero ? nil : duration }
        options.readTimeout = nonZero(duration(object, "read_timeout", at: ""))
        options.writeTimeout = nonZero(duration(object, "write_timeout", at: ""))
        options.idleTimeout = nonZero(duration(object, "idle_timeout", at: ""))
        options.readHeaderTimeout = nonZero(duration(object, "read_header_timeout", at: ""))
        if let bytes = integer(
            object,
            "max_header_bytes",
            at: "",
            in: 0...Int.max,
            expected: "a non-negative integer (bytes)"
        ), bytes > 0 {
            // Zero means Go's default (1 MiB), as in KrakenD.
            options.maxHeaderBytes = bytes
        }
        return options
    }

    private func readRouterOptions(_ value: ConfigValue, at path: String) -> RouterOptions {
        var options = RouterOptions()
        guard case .object(let object) = value else {
            mismatch(path, expected: "an object", got: value)
            return options
        }
        checkKeys(object, at: path, known: ConfigurationKeys.router, notSupported: ConfigurationKeys.routerNotSupported)
        if let healthPath = string(object, "health_path", at: path) {
            if healthPath.hasPrefix("/") {
                options.healthPath = healthPath
            } else {
                mismatch(
                    ConfigurationPath.member(path, "health_path"),
                    expected: "a path starting with \"/\"",
                    got: .string(healthPath)
                )
            }
        }
        if let disable = bool(object, "disable_access_log", at: path) { options.disableAccessLog = disable }
        // gin's LoggerConfig.SkipPaths: exact request paths (health probes, typically).
        if let skipped = stringArray(object, "logger_skip_paths", at: path) {
            let skipPath = ConfigurationPath.member(path, "logger_skip_paths")
            for (index, entry) in skipped.enumerated() where !entry.hasPrefix("/") {
                mismatch(
                    ConfigurationPath.element(skipPath, index),
                    expected: "a path starting with \"/\"",
                    got: .string(entry)
                )
            }
            options.loggerSkipPaths = skipped.filter { $0.hasPrefix("/") }
        }
        if let returnError = bool(object, "return_error_msg", at: path) { options.returnErrorMessage = returnError }
        let flags: [(String, WritableKeyPath<RouterOptions, Bool>)] = [
            ("disable_health", \.disableHealth),
            ("disable_redirect_trailing_slash", \.disableRedirectTrailingSlash),
            ("disable_redirect_fixed_path", \.disableRedirectFixedPath),
            ("remove_extra_slash", \.removeExtraSlash),
            ("auto_options", \.autoOptions),
            ("disable_handle_method_not_allowed", \.disableHandleMethodNotAllowed),
            ("disable_path_decoding", \.disablePathDecoding),
            ("hide_version_header", \.hideVersionHeader),
        ]
        for (key, option) in flags {
            if let flag = bool(object, key, at: path) { options[keyPath: option] = flag }
        }
        // Go's zero means "no limit", so 0 leaves portico/http's max_body_bytes alone.
        if let bytes = integer(
            object,
            "max_payload",
            at: path,
            in: 0...Int.max,
            expected: "a non-negative integer (bytes)"
        ),
            bytes > 0
        {
            options.maxPayload = bytes
        }
        if let bodies = self.object(object, "error_body", at: path) {
            let bodiesPath = ConfigurationPath.member(path, "error_body")
            for (status, body) in bodies where !ConfigurationKeys.isAnnotation(status) {
                let bodyPath = ConfigurationPath.member(bodiesPath, status)
                switch status {
                case "404": options.notFoundBody = JSONValue(body).jsonText
                case "405": options.methodNotAllowedBody = JSONValue(body).jsonText
                default: warn(bodyPath, "KrakenD only uses \"404\" and \"405\" here; ignored")
                }
            }
        }
        return options
    }

    private func readPorticoHTTPOptions(_ value: ConfigValue, at path: String) -> PorticoHTTPOptions {
        var options = PorticoHTTPOptions()
        guard case .object(let object) = value else {
            mismatch(path, expected: "an object", got: value)
            return options
        }
        checkKeys(object, at: path, known: ConfigurationKeys.porticoHTTP)
        if let mode = choice(
            object,
            "status_codes",
            at: path,
            supported: ["krakend": StatusCodeMode.krakend, "precise": .precise]
        ) {
            options.statusCodes = mode
        }
        let positive = "a positive integer"
        if let bytes = integer(object, "max_body_bytes", at: path, in: 1...Int.max, expected: positive + " (bytes)") {
            options.maxBodyBytes = bytes
        }
        if let bytes = integer(
            object,
            "max_backend_response_bytes",
            at: path,
            in: 1...Int.max,
            expected: positive + " (bytes)"
        ) {
            options.maxBackendResponseBytes = bytes
        }
        if let timeout = duration(object, "backend_idle_timeout", at: path, positive: true) {
            options.backendIdleTimeout = timeout
        }
        if let count = integer(object, "max_idle_connections_per_host", at: path, in: 1...Int.max, expected: positive) {
            options.maxIdleConnectionsPerHost = count
        }
        if let timeout = duration(object, "connect_timeout", at: path, positive: true) {
            options.connectTimeout = timeout
        }
        return options
    }

    /// Routes must be unique per method (two templates differing only in parameter names are the same route), and
    /// must not shadow the health check.
    private func checkRoutes(_ service: ServiceConfiguration) {
        var seen: [String: EndpointConfiguration] = [:]
        for endpoint in service.endpoints {
            let path = ConfigurationPath.member(endpoint.jsonPath, "endpoint")
            // Lura refuses endpoints under /__debug whether or not the debug endpoint is on; /__echo is the echo
            // endpoint's only while it is on (gin would refuse the clash).
            if RoutePath.isUnder(endpoint.path[...], DebugEndpoint.prefix)
                || (service.echoEndpoint && RoutePath.isUnder(endpoint.path[...], EchoEndpoint.prefix))
            {
                problem(
                    path,
                    "\(ConfigValue.quoted(endpoint.path)) is reserved for the gateway's own /__debug/ and /__echo/ "
                        + "endpoints; expected another path"
                )
            }
            if !service.router.disableHealth, endpoint.path == service.router.healthPath {
                problem(
                    path,
                    "\(ConfigValue.quoted(endpoint.path)) is the health check's path (router.health_path); "
                        + "expected another path or another health_path"
                )
            }
            let route = endpoint.method + " " + Self.routeShape(endpoint.path)
            if let first = seen[route] {
                problem(
                    path,
                    "duplicate route \(endpoint.method) \(ConfigValue.quoted(endpoint.path)): "
                        + "\(first.jsonPath) already declares \(first.method) \(ConfigValue.quoted(first.path))"
                )
            } else {
                seen[route] = endpoint
            }
        }
    }

    /// The path with every `{param}` replaced by `{}`, so `/users/{id}` and `/users/{name}` compare equal.
    static func routeShape(_ path: String) -> String {
        var shape = ""
        var inPlaceholder = false
        for character in path {
            if character == "{" {
                inPlaceholder = true
                shape += "{}"
            } else if character == "}" {
                inPlaceholder = false
            } else if !inPlaceholder {
                shape.append(character)
            }
        }
        return shape
    }
}
