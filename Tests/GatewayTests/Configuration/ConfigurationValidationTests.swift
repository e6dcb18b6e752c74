import Gateway
import Testing

/// A file with one mistake and the exact line the loader must print for it.
struct InvalidConfigurationCase: CustomTestStringConvertible, Sendable {
    let name: String
    let value: ConfigValue
    let problem: String

    init(_ name: String, _ value: ConfigValue, _ problem: String) {
        self.name = name
        self.value = value
        self.problem = problem
    }

    var testDescription: String { name }
}

@Suite("Configuration loader: invalid files")
struct ConfigurationValidationTests {
    typealias Case = InvalidConfigurationCase

    static func fixture(
        _ service: ConfigObject = [:],
        endpoint: ConfigObject = [:],
        backend: ConfigObject = [:],
        withoutService: [String] = [],
        withoutEndpoint: [String] = [],
        withoutBackend: [String] = []
    ) -> ConfigValue {
        ConfigurationFixtures.service(
            service,
            endpoint: endpoint,
            backend: backend,
            withoutService: withoutService,
            withoutEndpoint: withoutEndpoint,
            withoutBackend: withoutBackend
        )
    }

    static let serviceCases: [Case] = [
        Case(
            "missing version",
            fixture(withoutService: ["version"]),
            #"portico.json: version: missing: Portico reads KrakenD version 3 files; add "version": 3"#
        ),
        Case(
            "version 2",
            fixture(["version": 2]),
            "portico.json: version: Portico reads KrakenD version 3 files; expected 3, got 2 "
                + "(a KrakenD 1.x file: migrate it to version 3 first)"
        ),
        Case(
            "version as a string",
            fixture(["version": "3"]),
            #"portico.json: version: Portico reads KrakenD version 3 files; expected 3, got "3""#
        ),
        Case("array at the top", [1], "portico.json: expected an object at the top of the file, got [1]"),
        Case(
            "port out of range",
            fixture(["port": 70000]),
            "portico.json: port: expected an integer between 1 and 65535, got 70000"
        ),
        Case(
            "port as a string",
            fixture(["port": "8080"]),
            #"portico.json: port: expected an integer between 1 and 65535, got "8080""#
        ),
        Case(
            "port with a fraction",
            fixture(["port": 80.5]),
            "portico.json: port: expected an integer between 1 and 65535, got 80.5"
        ),
        Case(
            "timeout as a number",
            fixture(["timeout": 3000]),
            #"portico.json: timeout: expected a duration like "2s", got 3000"#
        ),
        Case(
            "timeout without a unit",
            fixture(["timeout": "3000"]),
            #"portico.json: timeout: expected a duration like "2s", got "3000""#
        ),
        Case(
            "negative timeout",
            fixture(["timeout": "-1s"]),
            #"portico.json: timeout: expected a duration like "2s", got "-1s""#
        ),
        Case("name as a number", fixture(["name": 5]), "portico.json: name: expected a string, got 5"),
        Case(
            "host as a string",
            fixture(["host": "http://127.0.0.1:9001"]),
            #"portico.json: host: expected an array of strings, got "http://127.0.0.1:9001""#
        ),
        Case("host entry as a number", fixture(["host": [5]]), "portico.json: host[0]: expected a string, got 5"),
        Case(
            "https host",
            fixture(["host": ["https://users.internal"]]),
            "portico.json: host[0]: https backends are not supported yet (the transport is plain HTTP)"
        ),
        Case(
            "host with a space",
            fixture(["host": ["http://users internal"]]),
            #"portico.json: host[0]: expected a host like "http://users.internal:8080", got "http://users internal""#
        ),
        Case(
            "host with a path",
            fixture(["host": ["http://users.internal/api"]]),
            #"portico.json: host[0]: expected a host like "http://users.internal:8080", got "http://users.internal/api""#
        ),
        Case(
            "host with another scheme",
            fixture(["host": ["amqp://queue"]]),
            #"portico.json: host[0]: expected a host like "http://users.internal:8080", got "amqp://queue" "#
                + "(only http:// hosts are supported)"
        ),
        Case(
            "host with a bad port",
            fixture(["host": ["users.internal:99999"]]),
            #"portico.json: host[0]: expected a host like "http://users.internal:8080", got "users.internal:99999" "#
                + "(the port must be between 1 and 65535)"
        ),
        Case(
            "unknown output encoding",
            fixture(["output_encoding": "html"]),
            #"portico.json: output_encoding: expected one of "json", "fast-json", "json-collection", "string", "xml", "#
                + #""yaml", "negotiate", "no-op", got "html""#
        ),
        Case(
            "negative max_header_bytes",
            fixture(["max_header_bytes": -1]),
            "portico.json: max_header_bytes: expected a non-negative integer (bytes), got -1"
        ),
        Case(
            "idle_timeout as a number",
            fixture(["idle_timeout": 60]),
            #"portico.json: idle_timeout: expected a duration like "2s", got 60"#
        ),
        Case(
            "extra_config as an array",
            fixture(["extra_config": []]),
            "portico.json: extra_config: expected an object, got []"
        ),
        Case(
            "router options as a string",
            fixture(["extra_config": ["router": "fast"]]),
            #"portico.json: extra_config["router"]: expected an object, got "fast""#
        ),
        Case(
            "health path without a slash",
            fixture(["extra_config": ["router": ["health_path": "health"]]]),
            #"portico.json: extra_config["router"].health_path: expected a path starting with "/", got "health""#
        ),
        Case(
            "return_error_msg as a string",
            fixture(["extra_config": ["router": ["return_error_msg": "yes"]]]),
            #"portico.json: extra_config["router"].return_error_msg: expected a boolean, got "yes""#
        ),
        Case(
            "unknown status code mode",
            fixture(["extra_config": ["portico/http": ["status_codes": "exact"]]]),
            #"portico.json: extra_config["portico/http"].status_codes: expected one of "krakend", "precise", "#
                + #"got "exact""#
        ),
        Case(
            "zero body size",
            fixture(["extra_config": ["portico/http": ["max_body_bytes": 0]]]),
            #"portico.json: extra_config["portico/http"].max_body_bytes: expected a positive integer (bytes), got 0"#
        ),
        Case(
            "zero connect timeout",
            fixture(["extra_config": ["portico/http": ["connect_timeout": "0s"]]]),
            #"portico.json: extra_config["portico/http"].connect_timeout: expected a positive duration like "2s", "#
                + #"got "0s""#
        ),
        Case(
            "idle connection count as a string",
            fixture(["extra_config": ["portico/http": ["max_idle_connections_per_host": "64"]]]),
            #"portico.json: extra_config["portico/http"].max_idle_connections_per_host: expected a positive integer, "#
                + #"got "64""#
        ),
        Case(
            "endpoints as an object",
            fixture(["endpoints": [:]]),
            "portico.json: endpoints: expected an array, got {}"
        ),
        Case(
            "endpoint as a string",
            fixture(["endpoints": ["/users"]]),
            #"portico.json: endpoints[0]: expected an endpoint object, got "/users""#
        ),
    ]

    static let endpointCases: [Case] = [
        Case(
            "missing endpoint path",
            fixture(withoutEndpoint: ["endpoint"]),
            #"portico.json: endpoints[0].endpoint: required key is missing; expected a path like "/users/{id}""#
        ),
        Case(
            "path without a slash",
            fixture(endpoint: ["endpoint": "users/{id}"]),
            #"portico.json: endpoints[0].endpoint: expected a path like "/users/{id}" starting with "/", "#
                + #"got "users/{id}""#
        ),
        Case(
            "path with a query",
            fixture(endpoint: ["endpoint": "/users/{id}?full=1"]),
            #"portico.json: endpoints[0].endpoint: expected a path like "/users/{id}" without '?' "#
                + #"(only a trailing "/*" wildcard is allowed), got "/users/{id}?full=1""#
        ),
        Case(
            "wildcard in the middle",
            fixture(endpoint: ["endpoint": "/users/*/{id}"]),
            #"portico.json: endpoints[0].endpoint: expected a path like "/users/{id}" without '*' "#
                + #"(only a trailing "/*" wildcard is allowed), got "/users/*/{id}""#
        ),
        Case(
            "placeholder inside a segment",
            fixture(endpoint: ["endpoint": "/users/{id}.json"]),
            #"portico.json: endpoints[0].endpoint: expected placeholders as whole segments like "/users/{id}" "#
                + #"(letters, digits, '_', '-'), got "/users/{id}.json""#
        ),
        Case(
            "placeholder twice",
            fixture(endpoint: ["endpoint": "/users/{id}/friends/{id}"]),
            #"portico.json: endpoints[0].endpoint: the placeholder {id} appears twice in "/users/{id}/friends/{id}""#
        ),
        Case(
            "method with a space",
            fixture(endpoint: ["method": "GE T"]),
            #"portico.json: endpoints[0].method: expected an HTTP method such as "GET" or "POST", got "GE T""#
        ),
        Case(
            "method as a number",
            fixture(endpoint: ["method": 5]),
            "portico.json: endpoints[0].method: expected a string, got 5"
        ),
        Case(
            "missing backend",
            fixture(withoutEndpoint: ["backend"]),
            "portico.json: endpoints[0].backend: required key is missing; expected an array of at least one backend"
        ),
        Case(
            "no backends",
            fixture(endpoint: ["backend": []]),
            "portico.json: endpoints[0].backend: expected at least one backend, got []"
        ),
        Case(
            "backend as a string",
            fixture(endpoint: ["backend": ["/users"]]),
            #"portico.json: endpoints[0].backend[0]: expected a backend object, got "/users""#
        ),
        Case(
            "zero concurrent calls",
            fixture(endpoint: ["concurrent_calls": 0]),
            "portico.json: endpoints[0].concurrent_calls: expected an integer of at least 1, got 0"
        ),
        Case(
            "input headers as a string",
            fixture(endpoint: ["input_headers": "Authorization"]),
            #"portico.json: endpoints[0].input_headers: expected an array of strings, got "Authorization""#
        ),
        Case(
            "input header with a space",
            fixture(endpoint: ["input_headers": ["X Tenant"]]),
            #"portico.json: endpoints[0].input_headers[0]: expected a header name, got "X Tenant""#
        ),
        Case(
            "endpoint output encoding that is not a string",
            fixture(endpoint: ["output_encoding": 3]),
            #"portico.json: endpoints[0].output_encoding: expected one of "json", "fast-json", "json-collection", "#
                + #""string", "xml", "yaml", "negotiate", "no-op", got 3"#
        ),
        Case(
            "endpoint timeout without a unit",
            fixture(endpoint: ["timeout": "1.5"]),
            #"portico.json: endpoints[0].timeout: expected a duration like "2s", got "1.5""#
        ),
        Case(
            "no-op with two backends",
            fixture(
                endpoint: ["output_encoding": "no-op", "backend": [["url_pattern": "/a"], ["url_pattern": "/b"]]]
            ),
            #"portico.json: endpoints[0].backend: expected exactly one backend with output_encoding "no-op", got 2"#
        ),
        Case(
            "health path taken by an endpoint",
            fixture(endpoint: ["endpoint": "/__health"], backend: ["url_pattern": "/health"]),
            #"portico.json: endpoints[0].endpoint: "/__health" is the health check's path (router.health_path); "#
                + "expected another path or another health_path"
        ),
        Case(
            "duplicate route",
            fixture([
                "endpoints": [
                    ["endpoint": "/users/{id}", "backend": [["url_pattern": "/users/{id}"]]],
                    ["endpoint": "/users/{name}", "method": "GET", "backend": [["url_pattern": "/users/{name}"]]],
                ]
            ]),
            #"portico.json: endpoints[1].endpoint: duplicate route GET "/users/{name}": endpoints[0] already "#
                + #"declares GET "/users/{id}""#
        ),
    ]

    static let backendCases: [Case] = [
        Case(
            "missing url_pattern",
            fixture(withoutBackend: ["url_pattern"]),
            #"portico.json: endpoints[0].backend[0].url_pattern: required key is missing; expected a path like "#
                + #""/users/{id}""#
        ),
        Case(
            "url_pattern as a number",
            fixture(backend: ["url_pattern": 5]),
            "portico.json: endpoints[0].backend[0].url_pattern: expected a string, got 5"
        ),
        Case(
            "placeholder the endpoint lacks",
            fixture(backend: ["url_pattern": "/users/{user}"]),
            "portico.json: endpoints[0].backend[0].url_pattern: expected one of the endpoint's {id}, {respN_field} "
                + #"or {JWT.claim}, got {user}, which "/users/{id}" does not declare"#
        ),
        Case(
            "placeholder of an endpoint without any",
            fixture(endpoint: ["endpoint": "/users"], backend: ["url_pattern": "/users?page={page}"]),
            "portico.json: endpoints[0].backend[0].url_pattern: expected {respN_field} or {JWT.claim}, got {page}, "
                + #"which "/users" does not declare"#
        ),
        Case(
            "shared DNS service discovery",
            fixture(backend: ["sd": "dns-shared"]),
            #"portico.json: endpoints[0].backend[0].sd: expected one of "static", "dns", got "dns-shared" (not supported yet)"#
        ),
        Case(
            "unknown service discovery",
            fixture(backend: ["sd": "consul"]),
            #"portico.json: endpoints[0].backend[0].sd: expected one of "static", "dns", got "consul""#
        ),
        Case(
            "backend encoding Portico lacks",
            fixture(backend: ["encoding": "yaml"]),
            #"portico.json: endpoints[0].backend[0].encoding: expected one of "json", "fast-json", "safejson", "#
                + #""string", "xml", "rss", "no-op", got "yaml" (not supported yet)"#
        ),
        Case(
            "no-op backend under a json endpoint",
            fixture(backend: ["encoding": "no-op"]),
            #"portico.json: endpoints[0].backend[0].encoding: expected "json" under an endpoint whose "#
                + #"output_encoding is "json", got "no-op" (set the endpoint's output_encoding to "no-op" too)"#
        ),
        Case(
            "no host anywhere",
            fixture(withoutService: ["host"]),
            #"portico.json: endpoints[0].backend[0].host: expected at least one host, here or in the service's "#
                + #""host", got none"#
        ),
        Case(
            "https backend host",
            fixture(backend: ["host": ["https://users.internal"]]),
            "portico.json: endpoints[0].backend[0].host[0]: https backends are not supported yet "
                + "(the transport is plain HTTP)"
        ),
        Case(
            "unsanitized host without a scheme",
            fixture(backend: ["disable_host_sanitize": true, "host": ["users.internal:81"]]),
            "portico.json: endpoints[0].backend[0].host[0]: expected an http:// URL (disable_host_sanitize is true, "
                + #"so the host is used as written), got "users.internal:81""#
        ),
        Case(
            "mapping to a number",
            fixture(backend: ["mapping": ["id": 5]]),
            "portico.json: endpoints[0].backend[0].mapping.id: expected a string (the new name), got 5"
        ),
        Case(
            "mapping of a dotted name to a number",
            fixture(backend: ["mapping": ["address.city": true]]),
            #"portico.json: endpoints[0].backend[0].mapping["address.city"]: expected a string (the new name), "#
                + "got true"
        ),
        Case(
            "mapping as a list",
            fixture(backend: ["mapping": ["id"]]),
            #"portico.json: endpoints[0].backend[0].mapping: expected an object, got ["id"]"#
        ),
        Case(
            "is_collection as a string",
            fixture(backend: ["is_collection": "true"]),
            #"portico.json: endpoints[0].backend[0].is_collection: expected a boolean, got "true""#
        ),
        Case(
            "allow as a string",
            fixture(backend: ["allow": "id"]),
            #"portico.json: endpoints[0].backend[0].allow: expected an array of strings, got "id""#
        ),
        Case(
            "group as an object",
            fixture(backend: ["group": ["name": "user"]]),
            #"portico.json: endpoints[0].backend[0].group: expected a string, got {"name":"user"}"#
        ),
        Case(
            "backend method with digits",
            fixture(backend: ["method": "GET2"]),
            #"portico.json: endpoints[0].backend[0].method: expected an HTTP method such as "GET" or "POST", "#
                + #"got "GET2""#
        ),
    ]

    @Test(arguments: serviceCases)
    func serviceLevel(_ invalid: Case) {
        #expect(ConfigurationFixtures.problems(invalid.value) == [invalid.problem])
    }

    @Test(arguments: endpointCases)
    func endpointLevel(_ invalid: Case) {
        #expect(ConfigurationFixtures.problems(invalid.value) == [invalid.problem])
    }

    @Test(arguments: backendCases)
    func backendLevel(_ invalid: Case) {
        #expect(ConfigurationFixtures.problems(invalid.value) == [invalid.problem])
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let text = #"""
            {
              "version": 3,
              "port": "eighty",
              "timeout": 5,
              "host": ["https://users.internal"],
              "@comment": "the https host is reported once, not again for each backend that inherits it",
              "endpoints": [
                { "endpoint": "/users/{id}", "method": "GET", "backend": [ { "url_pattern": "/users/{user}" } ] },
                { "endpoint": "orders", "backend": [] },
                { "endpoint": "/orders/{id}", "concurrent_calls": "2",
                  "backend": [ { "url_pattern": "/orders/{id}", "host": ["http://orders:8080"], "encoding": "yaml" } ] }
              ]
            }
            """#
        let error = #expect(throws: ConfigurationError.self) {
            try ConfigurationFixtures.loader().load(text: text, fileName: "portico.json")
        }
        #expect(
            error?.description == """
                portico.json: port: expected an integer between 1 and 65535, got "eighty"
                portico.json: timeout: expected a duration like "2s", got 5
                portico.json: host[0]: https backends are not supported yet (the transport is plain HTTP)
                portico.json: endpoints[0].backend[0].url_pattern: expected one of the endpoint's {id}, {respN_field} \
                or {JWT.claim}, got {user}, which "/users/{id}" does not declare
                portico.json: endpoints[1].endpoint: expected a path like "/users/{id}" starting with "/", got "orders"
                portico.json: endpoints[1].backend: expected at least one backend, got []
                portico.json: endpoints[2].concurrent_calls: expected an integer of at least 1, got "2"
                portico.json: endpoints[2].backend[0].encoding: expected one of "json", "fast-json", "safejson", \
                "string", "xml", "rss", "no-op", got "yaml" (not supported yet)
                """
        )
        #expect(error?.problems.count == 8)
        #expect(error?.problems.allSatisfy { $0.file == "portico.json" } == true)
    }

    @Test func aNoOpEndpointTurnsItsBackendNoOpAndWarnsAboutAnExplicitJSON() throws {
        let value = ConfigurationFixtures.service(endpoint: ["output_encoding": "no-op"], backend: ["encoding": "json"])
        let service = try ConfigurationFixtures.loader().load(value: value, fileName: "portico.json")
        #expect(service.endpoints[0].backends[0].encoding == .noop)
        #expect(
            service.warnings.map(\.description) == [
                #"endpoints[0].backend[0].encoding: ignored: the endpoint's output_encoding "no-op" passes the "#
                    + "response through as is"
            ]
        )
    }

    @Test func allowAndDenyTogetherWarnThatDenyIsIgnored() throws {
        let value = ConfigurationFixtures.service(backend: ["allow": ["id"], "deny": ["password"]])
        let warnings = try ConfigurationFixtures.warnings(value)
        #expect(
            warnings.map(\.description) == [
                #"endpoints[0].backend[0].deny: ignored: "allow" is set too, and allow wins (as in KrakenD)"#
            ]
        )
        #expect(warnings.allSatisfy { !$0.isUnknownNamespace })
    }

    @Test func sequentialAndClaimPlaceholdersAreAccepted() throws {
        let value = ConfigurationFixtures.service(
            backend: ["url_pattern": "/users/{id}/orders/{resp0_order.id}?owner={JWT.sub}"]
        )
        #expect(ConfigurationFixtures.problems(value) == [])
    }
}
