extension ConfigurationReader {
    /// Reads `endpoints[i]`, inheriting `timeout`, `cache_ttl` and `output_encoding` from the service.
    func readEndpoint(_ value: ConfigValue, at path: String, service: ServiceConfiguration) -> EndpointConfiguration? {
        guard case .object(let object) = value else {
            mismatch(path, expected: "an endpoint object", got: value)
            return nil
        }
        checkKeys(
            object,
            at: path,
            known: ConfigurationKeys.endpoint,
            notSupported: ConfigurationKeys.endpointNotSupported
        )

        var endpoint = EndpointConfiguration(path: "/", backends: [], jsonPath: path)
        var parameters: [String]?
        if let route = string(object, "endpoint", at: path) {
            endpoint.path = route
            parameters = endpointParameters(route, at: ConfigurationPath.member(path, "endpoint"))
        } else if object["endpoint"] == nil || object["endpoint"] == .null {
            problem(
                ConfigurationPath.member(path, "endpoint"),
                "required key is missing; expected a path like \"/users/{id}\""
            )
        }
        if let method = method(object, at: path) { endpoint.method = method }
        // Zero means "not set", as in KrakenD: the service's value applies.
        endpoint.timeout = duration(object, "timeout", at: path).flatMap { $0 > .zero ? $0 : nil } ?? service.timeout
        endpoint.cacheTTL =
            duration(object, "cache_ttl", at: path).flatMap { $0 > .zero ? $0 : nil } ?? service.cacheTTL
        endpoint.outputEncoding =
            choice(
                object,
                "output_encoding",
                at: path,
                supported: Self.outputEncodings,
                notSupportedYet: Self.outputEncodingsNotSupported
            ) ?? service.outputEncoding
        endpoint.inputHeaders = selection(object, "input_headers", at: path, headers: true) ?? .default
        endpoint.inputQueryStrings = selection(object, "input_query_strings", at: path, headers: false) ?? .none
        if let calls = integer(
            object,
            "concurrent_calls",
            at: path,
            in: 1...Int.max,
            expected: "an integer of at least 1"
        ) {
            endpoint.concurrentCalls = calls
        }
        endpoint.extraConfig = readExtraConfig(object, at: path, level: .endpoint)

        let backendPath = ConfigurationPath.member(path, "backend")
        if let backends = array(object, "backend", at: path) {
            if backends.isEmpty { problem(backendPath, "expected at least one backend, got []") }
            for (index, backend) in backends.enumerated() {
                if let backend = readBackend(
                    backend,
                    at: ConfigurationPath.element(backendPath, index),
                    endpoint: endpoint,
                    parameters: parameters,
                    service: service
                ) {
                    endpoint.backends.append(backend)
                }
            }
        } else if object["backend"] == nil || object["backend"] == .null {
            problem(backendPath, "required key is missing; expected an array of at least one backend")
        }
        if endpoint.outputEncoding == .noop, endpoint.backends.count > 1 {
            // The no-op proxy hands one backend's response to the client; there is nothing to merge with.
            problem(
                backendPath,
                "expected exactly one backend with output_encoding \"no-op\", got \(endpoint.backends.count)"
            )
        }
        return endpoint
    }

    /// The upper-cased `method`, a token of letters.
    func method(_ object: ConfigObject, at path: String) -> String? {
        guard let method = string(object, "method", at: path) else { return nil }
        let upper = method.uppercased()
        guard !upper.isEmpty, upper.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
            mismatch(
                ConfigurationPath.member(path, "method"),
                expected: "an HTTP method such as \"GET\" or \"POST\"",
                got: .string(method)
            )
            return nil
        }
        return upper
    }

    /// Checks a route template and returns its parameter names.
    ///
    /// KrakenD's rules (schema `^\/[^\*\?\&\%]*(\/\*)?$`): a leading `/`; no `?`, `&`, `%`; `*` only as a trailing
    /// `/*` wildcard. Placeholders are whole segments (`/users/{id}`): `/file.{ext}` needs `disable_rest`, which Portico
    /// does not support.
    private func endpointParameters(_ route: String, at path: String) -> [String]? {
        let expected = "a path like \"/users/{id}\""
        guard route.hasPrefix("/") else {
            mismatch(path, expected: expected + " starting with \"/\"", got: .string(route))
            return nil
        }
        let body = route.hasSuffix("/*") ? route.dropLast(2) : Substring(route)
        if let bad = body.first(where: { "?&%*".contains($0) }) {
            mismatch(
                path,
                expected: expected + " without '\(bad)' (only a trailing \"/*\" wildcard is allowed)",
                got: .string(route)
            )
            return nil
        }
        var parameters: [String] = []
        for segment in body.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            guard segment.contains("{") || segment.contains("}") else { continue }
            let name = segment.dropFirst().dropLast()
            guard segment.hasPrefix("{"), segment.hasSuffix("}"), !name.isEmpty,
                name.unicodeScalars.allSatisfy(Self.isParameterNameScalar)
            else {
                mismatch(
                    path,
                    expected: "placeholders as whole segments like \"/users/{id}\" (letters, digits, '_', '-')",
                    got: .string(route)
                )
                return nil
            }
            if parameters.contains(String(name)) {
                problem(path, "the placeholder {\(name)} appears twice in \(ConfigValue.quoted(route))")
                return nil
            }
            parameters.append(String(name))
        }
        return parameters
    }

    private static func isParameterNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-": return true
        default: return false
        }
    }

    /// `input_headers` / `input_query_strings`: nil when absent or `[]` (KrakenD's zero value), `.all` for `"*"`,
    /// `.none` when only empty strings are listed (`[""]`, KrakenD's way to forward nothing).
    func selection(_ object: ConfigObject, _ key: String, at parent: String, headers: Bool) -> HeaderSelection? {
        guard let names = stringArray(object, key, at: parent), !names.isEmpty else { return nil }
        if names.contains("*") { return .all }
        let listed = names.filter { !$0.isEmpty }
        guard !listed.isEmpty else { return HeaderSelection.none }
        if headers {
            let path = ConfigurationPath.member(parent, key)
            for (index, name) in names.enumerated() where !name.isEmpty && !Self.isToken(name) {
                mismatch(ConfigurationPath.element(path, index), expected: "a header name", got: .string(name))
            }
        }
        return .only(listed)
    }

    /// RFC 9110 `token`: the characters a header name may have.
    private static func isToken(_ name: String) -> Bool {
        name.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "!", "#", "$", "%", "&", "'", "*", "+", "-", ".", "^", "_", "`", "|",
                "~":
                return true
            default:
                return false
            }
        }
    }
}
