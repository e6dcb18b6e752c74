import Gateway
import Testing

@Suite("Router, debug/echo and CORS configuration")
struct RouterConfigurationTests {
    let loader = ConfigurationLoader(knownNamespaces: GatewayExtensions.standard.knownNamespaces, environment: [:])

    func load(_ service: ConfigObject, endpoint: ConfigObject = [:]) throws -> ServiceConfiguration {
        try loader.load(value: Self.file(service, endpoint: endpoint), fileName: "portico.json")
    }

    func problems(_ service: ConfigObject, endpoint: ConfigObject = [:]) -> [String] {
        do {
            _ = try loader.load(value: Self.file(service, endpoint: endpoint), fileName: "portico.json")
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    static func file(_ service: ConfigObject, endpoint: ConfigObject) -> ConfigValue {
        var endpointObject: ConfigObject = ["endpoint": "/users/{id}", "backend": [["url_pattern": "/users/{id}"]]]
        for (key, value) in endpoint { endpointObject[key] = value }
        var root: ConfigObject = [
            "version": 3, "host": ["http://127.0.0.1:9001"], "endpoints": [.object(endpointObject)],
        ]
        for (key, value) in service { root[key] = value }
        return .object(root)
    }

    @Test func defaultsAreKrakenDs() throws {
        let service = try load([:])
        #expect(service.router == RouterOptions())
        #expect(!service.router.disableRedirectTrailingSlash)
        #expect(!service.router.disableRedirectFixedPath)
        #expect(!service.debugEndpoint)
        #expect(!service.echoEndpoint)
        #expect(service.cors == nil)
    }

    @Test func everyRouterKeyIsRead() throws {
        let router: ConfigValue = [
            "disable_health": true, "disable_redirect_trailing_slash": true, "disable_redirect_fixed_path": true,
            "remove_extra_slash": true, "auto_options": true, "disable_handle_method_not_allowed": true,
            "disable_path_decoding": true, "hide_version_header": true, "max_payload": 1024,
            "error_body": ["404": ["msg": "Unknown endpoint", "status": 404], "405": ["oh-my-god": "no"]],
        ]
        let service = try load(["extra_config": ["router": router]])
        #expect(
            service.router
                == RouterOptions(
                    disableHealth: true,
                    disableRedirectTrailingSlash: true,
                    disableRedirectFixedPath: true,
                    removeExtraSlash: true,
                    autoOptions: true,
                    disableHandleMethodNotAllowed: true,
                    disablePathDecoding: true,
                    hideVersionHeader: true,
                    notFoundBody: #"{"msg":"Unknown endpoint","status":404}"#,
                    methodNotAllowedBody: #"{"oh-my-god":"no"}"#,
                    maxPayload: 1024
                )
        )
        #expect(service.http.maxBodyBytes == 1024)
        #expect(service.warnings == [])
    }

    @Test func wrongRouterValuesNameTheirPath() {
        let found = problems([
            "extra_config": ["router": ["auto_options": "yes", "max_payload": -1, "error_body": "not found"]]
        ])
        #expect(found.contains { $0.contains(#"extra_config["router"].auto_options: expected a boolean, got "yes""#) })
        #expect(found.contains { $0.contains(#"extra_config["router"].max_payload: expected a non-negative integer"#) })
        #expect(found.contains { $0.contains(#"extra_config["router"].error_body: expected an object"#) })
    }

    @Test func unsupportedRouterKeysStillWarn() throws {
        let service = try load(["extra_config": ["router": ["trusted_proxies": ["10.0.0.0/8"]]]])
        #expect(
            service.warnings.map(\.description) == [
                #"extra_config["router"].trusted_proxies: not supported by Portico yet; ignored"#
            ]
        )
    }

    @Test func debugAndEchoEndpoints() throws {
        let service = try load(["debug_endpoint": true, "echo_endpoint": true])
        #expect(service.debugEndpoint)
        #expect(service.echoEndpoint)
        #expect(service.warnings == [])
    }

    @Test(arguments: ["/__debug", "/__debug/", "/__debug/{id}"])
    func debugPathsAreReserved(path: String) {
        let found = problems([:], endpoint: ["endpoint": .string(path), "backend": [["url_pattern": "/x"]]])
        #expect(found.contains { $0.contains("endpoints[0].endpoint") && $0.contains("reserved") }, "\(found)")
    }

    @Test func echoPathIsReservedOnlyWhileOn() {
        let endpoint: ConfigObject = ["endpoint": "/__echo/{id}", "backend": [["url_pattern": "/x/{id}"]]]
        #expect(problems([:], endpoint: endpoint) == [])
        #expect(problems(["echo_endpoint": true], endpoint: endpoint).contains { $0.contains("reserved") })
    }

    @Test func healthPathFreeOnceHealthIsDisabled() {
        let endpoint: ConfigObject = ["endpoint": "/__health", "backend": [["url_pattern": "/x"]]]
        #expect(problems([:], endpoint: endpoint).contains { $0.contains("health") })
        #expect(problems(["extra_config": ["router": ["disable_health": true]]], endpoint: endpoint) == [])
    }

    @Test func corsIsRead() throws {
        let cors: ConfigValue = [
            "allow_origins": ["https://*.example.com"], "allow_methods": ["GET", "PUT"],
            "allow_headers": ["Authorization"], "expose_headers": ["X-Request-Id"], "max_age": "12h",
            "allow_credentials": true, "allow_private_network": true, "options_passthrough": true,
            "options_success_status": 200, "debug": true,
        ]
        let service = try load(["extra_config": ["security/cors": cors]])
        #expect(
            service.cors
                == CorsConfiguration(
                    allowOrigins: ["https://*.example.com"],
                    allowMethods: ["GET", "PUT"],
                    allowHeaders: ["Authorization"],
                    exposeHeaders: ["X-Request-Id"],
                    maxAge: .seconds(43200),
                    allowCredentials: true,
                    allowPrivateNetwork: true,
                    optionsPassthrough: true,
                    optionsSuccessStatus: 200,
                    debug: true
                )
        )
        #expect(service.warnings == [])
    }

    @Test func corsUnderItsKrakenDv1Name() throws {
        let service = try load(["extra_config": ["github_com/devopsfaith/krakend-cors": ["allow_origins": ["*"]]]])
        #expect(service.cors == CorsConfiguration(allowOrigins: ["*"]))
    }

    @Test func wrongCorsValuesNameTheirPath() {
        let found = problems([
            "extra_config": [
                "security/cors": [
                    "allow_origins": ["https://*.*.example.com", 7], "max_age": "forever",
                    "options_success_status": 404, "allow_credentials": "true",
                ]
            ]
        ])
        let prefix = #"extra_config["security/cors"]"#
        #expect(found.contains { $0.contains(prefix + ".allow_origins[0]: expected an origin with at most one") })
        #expect(found.contains { $0.contains(prefix + ".allow_origins[1]: expected a string, got 7") })
        #expect(found.contains { $0.contains(prefix + ".max_age: expected a duration") })
        #expect(found.contains { $0.contains(prefix + ".options_success_status: expected a 2xx status code") })
        #expect(found.contains { $0.contains(prefix + ".allow_credentials: expected a boolean") })
    }

    @Test func unknownCorsKeyWarns() throws {
        let service = try load(["extra_config": ["security/cors": ["allow_origin": ["*"]]]])
        #expect(
            service.warnings.map(\.description).contains { $0.contains("allow_origin") && $0.contains("allow_origins") }
        )
    }
}
