extension ConfigurationReader {
    /// Backend encodings Portico reads.
    /// `fast-json` is KrakenD Enterprise's faster JSON decoder; KrakenD CE falls back to `json` for it, and so does
    /// Portico (the JSON path is already byte-level).
    static let backendEncodings: KeyValuePairs<String, BackendEncoding> = [
        "json": .json, "fast-json": .json, "safejson": .safeJSON, "string": .string, "xml": .xml, "rss": .rss,
        "no-op": .noop,
    ]
    /// Backend encodings KrakenD knows and Portico does not read yet.
    static let backendEncodingsNotSupported: Set<String> = ["yaml"]

    /// Reads `endpoints[i].backend[j]`, inheriting `method` from the endpoint and `host` from the service.
    func readBackend(
        _ value: ConfigValue,
        at path: String,
        endpoint: EndpointConfiguration,
        parameters: [String]?,
        service: ServiceConfiguration
    ) -> BackendConfiguration? {
        guard case .object(let object) = value else {
            mismatch(path, expected: "a backend object", got: value)
            return nil
        }
        checkKeys(
            object,
            at: path,
            known: ConfigurationKeys.backend,
            notSupported: ConfigurationKeys.backendNotSupported
        )

        var backend = BackendConfiguration(urlPattern: "/", method: endpoint.method, jsonPath: path)
        let urlPatternPath = ConfigurationPath.member(path, "url_pattern")
        if let urlPattern = string(object, "url_pattern", at: path) {
            // Lura prefixes a missing leading slash; so does Portico.
            backend.urlPattern = urlPattern.hasPrefix("/") ? urlPattern : "/" + urlPattern
            // Without a valid endpoint path there is nothing to check against; its problem is reported already.
            if let parameters {
                checkPlaceholders(backend.urlPattern, at: urlPatternPath, endpoint: endpoint, parameters: parameters)
            }
        } else if object["url_pattern"] == nil || object["url_pattern"] == .null {
            problem(urlPatternPath, "required key is missing; expected a path like \"/users/{id}\"")
        }
        if let method = method(object, at: path) { backend.method = method }

        if let discovery = choice(
            object,
            "sd",
            at: path,
            supported: ["static": "static", "dns": "dns"],
            notSupportedYet: ["dns-shared"]
        ) {
            backend.serviceDiscovery = discovery
        }
        backend.disableHostSanitize = bool(object, "disable_host_sanitize", at: path) ?? false
        // With DNS discovery the `host` entries are SRV names, and `sd_scheme` the scheme of what they resolve to.
        let hosts =
            backend.serviceDiscovery == "dns"
            ? serviceNames(object, at: path)
            : hosts(object, at: path, sanitize: !backend.disableHostSanitize)
        checkServiceDiscoveryScheme(object, at: path)
        backend.host = hosts.isEmpty ? service.host : hosts
        // Hosts written here (or at the service) but all invalid are reported already.
        if backend.host.isEmpty, object["host"]?.arrayValue?.isEmpty ?? true, !serviceHostsHaveProblems {
            problem(
                ConfigurationPath.member(path, "host"),
                "expected at least one host, here or in the service's \"host\", got none"
            )
        }

        let encodingPath = ConfigurationPath.member(path, "encoding")
        let encoding = choice(
            object,
            "encoding",
            at: path,
            supported: Self.backendEncodings,
            notSupportedYet: Self.backendEncodingsNotSupported
        )
        switch (endpoint.outputEncoding, encoding) {
        case (.noop, .json):
            // Lura forces no-op on every backend of a no-op endpoint; a "json" here has no effect.
            warn(encodingPath, "ignored: the endpoint's output_encoding \"no-op\" passes the response through as is")
            backend.encoding = .noop
        case (.noop, _):
            backend.encoding = .noop
        case (_, .noop):
            // KrakenD's no-op backend decodes to nothing, so the endpoint would answer an empty object: a mistake.
            problem(
                encodingPath,
                "expected \"json\" under an endpoint whose output_encoding is "
                    + "\(ConfigValue.quoted(endpoint.outputEncoding.rawValue)), got \"no-op\" "
                    + "(set the endpoint's output_encoding to \"no-op\" too)"
            )
        case (_, let encoding?):
            backend.encoding = encoding
        case (_, nil):
            backend.encoding = .json
        }

        backend.allow = stringArray(object, "allow", at: path) ?? []
        backend.deny = stringArray(object, "deny", at: path) ?? []
        if !backend.allow.isEmpty, !backend.deny.isEmpty {
            warn(
                ConfigurationPath.member(path, "deny"),
                "ignored: \"allow\" is set too, and allow wins (as in KrakenD)"
            )
        }
        backend.mapping = mapping(object, at: path)
        backend.group = string(object, "group", at: path).flatMap { $0.isEmpty ? nil : $0 }
        backend.target = string(object, "target", at: path).flatMap { $0.isEmpty ? nil : $0 }
        backend.isCollection = bool(object, "is_collection", at: path) ?? false
        backend.inputHeaders = selection(object, "input_headers", at: path, headers: true)
        backend.inputQueryStrings = selection(object, "input_query_strings", at: path, headers: false)
        backend.extraConfig = readExtraConfig(object, at: path, level: .backend)
        return backend
    }

    /// `mapping`: string to string, in file order.
    private func mapping(_ object: ConfigObject, at parent: String) -> [(from: String, to: String)] {
        guard let mapping = self.object(object, "mapping", at: parent) else { return [] }
        let path = ConfigurationPath.member(parent, "mapping")
        var pairs: [(from: String, to: String)] = []
        for (from, to) in mapping {
            guard case .string(let target) = to else {
                mismatch(ConfigurationPath.member(path, from), expected: "a string (the new name)", got: to)
                continue
            }
            pairs.append((from, target))
        }
        return pairs
    }

    /// Every `{placeholder}` of a `url_pattern` must come from the endpoint's path, from a previous backend of a
    /// sequential chain (`{resp0_id}`), or from the JWT (`{JWT.sub}`), as Lura checks.
    private func checkPlaceholders(
        _ urlPattern: String,
        at path: String,
        endpoint: EndpointConfiguration,
        parameters: [String]
    ) {
        for placeholder in Self.placeholders(in: urlPattern)
        where !parameters.contains(placeholder) && !Self.isSequentialOrClaim(placeholder) {
            let declared = parameters.map { "{\($0)}" }.joined(separator: ", ")
            let from = declared.isEmpty ? "" : "one of the endpoint's \(declared), "
            problem(
                path,
                "expected \(from){respN_field} or {JWT.claim}, got {\(placeholder)}, which "
                    + "\(ConfigValue.quoted(endpoint.path)) does not declare"
            )
        }
    }

    /// The names inside `{…}` in `pattern`, with Lura's character set (`[\w\-\.:/]+`).
    static func placeholders(in pattern: String) -> [String] {
        var names: [String] = []
        var current: String?
        for character in pattern {
            if character == "{" {
                current = ""
            } else if character == "}" {
                if let name = current, !name.isEmpty { names.append(name) }
                current = nil
            } else if current != nil {
                if character.isLetter || character.isNumber || "_-.:/".contains(character) {
                    current?.append(character)
                } else {
                    current = nil
                }
            }
        }
        return names
    }

    /// Lura's `^(resp[\d]+_.+)?(JWT\.([\w\-\.:/]+))?$` for placeholders that are not endpoint parameters.
    private static func isSequentialOrClaim(_ placeholder: String) -> Bool {
        if placeholder.hasPrefix("JWT.") { return placeholder.count > 4 }
        guard placeholder.hasPrefix("resp") else { return false }
        let afterResp = placeholder.dropFirst(4)
        let digits = afterResp.prefix(while: \.isASCIIDigit)
        let rest = afterResp.dropFirst(digits.count)
        return !digits.isEmpty && rest.hasPrefix("_") && rest.count > 1
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
