extension ConfigurationReader {
    /// The keys of `security/cors`.
    static let corsKeys: Set<String> = [
        "allow_origins", "allow_methods", "allow_headers", "expose_headers", "max_age", "allow_credentials",
        "allow_private_network", "options_passthrough", "options_success_status", "debug",
    ]

    /// Reads `extra_config["security/cors"]`; every wrong value is a problem at its JSON path.
    func readCorsConfiguration(_ value: ConfigValue, at path: String) -> CorsConfiguration? {
        guard case .object(let object) = value else {
            mismatch(path, expected: "an object", got: value)
            return nil
        }
        checkKeys(object, at: path, known: Self.corsKeys)
        var configuration = CorsConfiguration()
        if let origins = stringArray(object, "allow_origins", at: path) {
            let originsPath = ConfigurationPath.member(path, "allow_origins")
            for (index, origin) in origins.enumerated() where origin.filter({ $0 == "*" }).count > 1 {
                problem(
                    ConfigurationPath.element(originsPath, index),
                    "expected an origin with at most one \"*\", got \(ConfigValue.quoted(origin))"
                )
            }
            configuration.allowOrigins = origins
        }
        if let methods = stringArray(object, "allow_methods", at: path) { configuration.allowMethods = methods }
        if let headers = stringArray(object, "allow_headers", at: path) { configuration.allowHeaders = headers }
        if let headers = stringArray(object, "expose_headers", at: path) { configuration.exposeHeaders = headers }
        if let maxAge = duration(object, "max_age", at: path), maxAge > .zero { configuration.maxAge = maxAge }
        if let flag = bool(object, "allow_credentials", at: path) { configuration.allowCredentials = flag }
        if let flag = bool(object, "allow_private_network", at: path) { configuration.allowPrivateNetwork = flag }
        if let flag = bool(object, "options_passthrough", at: path) { configuration.optionsPassthrough = flag }
        if let status = integer(
            object,
            "options_success_status",
            at: path,
            in: 200...299,
            expected: "a 2xx status code"
        ) {
            configuration.optionsSuccessStatus = status
        }
        if let flag = bool(object, "debug", at: path) { configuration.debug = flag }
        return configuration
    }
}
