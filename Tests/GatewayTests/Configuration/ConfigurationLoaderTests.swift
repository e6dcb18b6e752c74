import Gateway
import Testing

@Suite("Configuration loader: valid files")
struct ConfigurationLoaderTests {
    let loader = ConfigurationFixtures.loader()

    @Test func fullFileReadsEveryKey() throws {
        let service = try loader.load(text: ConfigurationFixtures.fullJSON, fileName: "portico.json")

        #expect(service.name == "portico-demo")
        #expect(service.port == 9090)
        #expect(service.listenAddress == "127.0.0.1")
        #expect(service.host == ["http://127.0.0.1:9001"])
        #expect(service.timeout == .seconds(3))
        #expect(service.cacheTTL == .seconds(60))
        #expect(service.outputEncoding == .json)
        #expect(
            service.server
                == ServerOptions(
                    readTimeout: .seconds(10),
                    writeTimeout: .seconds(12),
                    idleTimeout: .seconds(90),
                    readHeaderTimeout: .milliseconds(500),
                    maxHeaderBytes: 65536
                )
        )
        #expect(
            service.router == RouterOptions(healthPath: "/healthz", disableAccessLog: true, returnErrorMessage: true)
        )
        #expect(
            service.http
                == PorticoHTTPOptions(
                    statusCodes: .precise,
                    maxBodyBytes: 1_048_576,
                    maxBackendResponseBytes: 2_097_152,
                    backendIdleTimeout: .seconds(30),
                    maxIdleConnectionsPerHost: 16,
                    connectTimeout: .milliseconds(250)
                )
        )
        #expect(service.extraConfig.entries.map(\.namespace) == ["router", "portico/http", "security/cors"])
        #expect(service.warnings == [])

        let users = try #require(service.endpoints.first)
        #expect(users.path == "/users/{id}")
        #expect(users.method == "GET")
        #expect(users.timeout == .milliseconds(800))
        #expect(users.cacheTTL == .seconds(30))
        #expect(users.outputEncoding == .jsonCollection)
        #expect(users.inputHeaders == .only(["Authorization", "X-Request-Id"]))
        #expect(users.inputQueryStrings == .all)
        #expect(users.concurrentCalls == 2)
        #expect(users.jsonPath == "endpoints[0]")
        #expect(users.extraConfig["qos/ratelimit/router"] == ["max_rate": 50])
        #expect(users.extraConfig.path == "endpoints[0].extra_config")

        let user = users.backends[0]
        #expect(user.urlPattern == "/v1/users/{id}?fields=all")
        #expect(user.method == "POST")
        #expect(user.host == ["http://10.0.0.1:8080", "http://users.internal"])
        #expect(user.serviceDiscovery == "static")
        #expect(user.encoding == .json)
        #expect(user.allow == ["id", "address.city"])
        #expect(user.mapping.map(\.from) == ["id", "address.city"])
        #expect(user.mapping.map(\.to) == ["user_id", "city"])
        #expect(user.group == "user")
        #expect(user.target == "data")
        #expect(user.isCollection)
        #expect(user.inputHeaders == HeaderSelection.none)
        #expect(user.inputQueryStrings == .only(["page"]))
        #expect(user.jsonPath == "endpoints[0].backend[0]")
        #expect(user.extraConfig["qos/circuit-breaker"] == ["interval": 60, "timeout": 10, "max_errors": 1])

        let orders = users.backends[1]
        #expect(orders.urlPattern == "/orders?user={resp0_user.id}&sub={JWT.sub}")
        #expect(orders.deny == ["secret"])

        let download = service.endpoints[1]
        #expect(download.path == "/download/*")
        #expect(download.outputEncoding == .noop)
        #expect(download.backends[0].encoding == .noop)
        #expect(download.backends[0].disableHostSanitize)
        #expect(download.backends[0].host == ["http://files:81/root"])
    }

    @Test func yamlFileEqualsTheJSONFile() throws {
        let json = try loader.load(text: ConfigurationFixtures.fullJSON, fileName: "portico.json")
        var yaml = try loader.load(text: ConfigurationFixtures.fullYAML, fileName: "portico.yaml")
        #expect(yaml.fileName == "portico.yaml")
        yaml.fileName = json.fileName  // the one field that names the source
        #expect(yaml == json)
        #expect(yaml.endpoints.count == 2)
    }

    @Test func everyDefault() throws {
        let service = try loader.load(text: #"{"version": 3}"#, fileName: "portico.json")
        #expect(service.name == nil)
        #expect(service.port == 8080)
        #expect(service.listenAddress == "0.0.0.0")
        #expect(service.host == [])
        #expect(service.timeout == .seconds(2))
        #expect(service.cacheTTL == nil)
        #expect(service.outputEncoding == .json)
        #expect(service.server == ServerOptions())
        #expect(service.server.maxHeaderBytes == 1 << 20)
        #expect(service.server.readTimeout == nil)
        #expect(service.router == RouterOptions())
        #expect(service.router.healthPath == "/__health")
        #expect(service.http == PorticoHTTPOptions())
        #expect(service.http.statusCodes == .krakend)
        #expect(service.endpoints == [])
        #expect(service.extraConfig.entries.isEmpty)
        #expect(service.warnings == [])
    }

    @Test func endpointAndBackendDefaults() throws {
        let service = try loader.load(text: ConfigurationFixtures.minimalJSON, fileName: "portico.json")
        let endpoint = try #require(service.endpoints.first)
        #expect(endpoint.method == "GET")
        #expect(endpoint.timeout == .seconds(2))
        #expect(endpoint.cacheTTL == nil)
        #expect(endpoint.outputEncoding == .json)
        #expect(endpoint.inputHeaders == .default)
        #expect(endpoint.inputQueryStrings == HeaderSelection.none)
        #expect(endpoint.concurrentCalls == 1)
        let backend = try #require(endpoint.backends.first)
        #expect(backend.method == "GET")
        #expect(backend.host == ["http://127.0.0.1:9001"])
        #expect(backend.serviceDiscovery == "static")
        #expect(!backend.disableHostSanitize)
        #expect(backend.encoding == .json)
        #expect(backend.allow == [] && backend.deny == [] && backend.mapping.isEmpty)
        #expect(backend.group == nil && backend.target == nil && !backend.isCollection)
        #expect(backend.inputHeaders == nil && backend.inputQueryStrings == nil)
    }

    @Test func endpointsInheritFromTheService() throws {
        let value = ConfigurationFixtures.service(
            ["timeout": "5s", "cache_ttl": "10s", "output_encoding": "json-collection"],
            endpoint: ["method": "put"]
        )
        let endpoint = try #require(try loader.load(value: value, fileName: "portico.json").endpoints.first)
        #expect(endpoint.timeout == .seconds(5))
        #expect(endpoint.cacheTTL == .seconds(10))
        #expect(endpoint.outputEncoding == .jsonCollection)
        #expect(endpoint.backends[0].method == "PUT")
    }

    @Test func zeroDurationsMeanNotSet() throws {
        let value = ConfigurationFixtures.service(
            ["timeout": "0s", "cache_ttl": "0", "read_timeout": "0s", "max_header_bytes": 0],
            endpoint: ["timeout": "0s", "cache_ttl": "0s"]
        )
        let service = try loader.load(value: value, fileName: "portico.json")
        #expect(service.timeout == .seconds(2))
        #expect(service.cacheTTL == nil)
        #expect(service.server.readTimeout == nil)
        #expect(service.server.maxHeaderBytes == 1 << 20)
        #expect(service.endpoints[0].timeout == .seconds(2))
        #expect(service.endpoints[0].cacheTTL == nil)
    }

    @Test func endpointValuesOverrideTheService() throws {
        let value = ConfigurationFixtures.service(
            ["timeout": "5s", "cache_ttl": "10s", "output_encoding": "json-collection"],
            endpoint: ["timeout": "1s", "cache_ttl": "2s", "output_encoding": "json"],
            backend: ["host": ["backend.internal:7000"], "method": "DELETE"]
        )
        let endpoint = try #require(try loader.load(value: value, fileName: "portico.json").endpoints.first)
        #expect(endpoint.timeout == .seconds(1))
        #expect(endpoint.cacheTTL == .seconds(2))
        #expect(endpoint.outputEncoding == .json)
        #expect(endpoint.backends[0].host == ["http://backend.internal:7000"])
        #expect(endpoint.backends[0].method == "DELETE")
    }

    @Test func nullCountsAsAbsent() throws {
        let value = ConfigurationFixtures.service(["timeout": nil, "name": nil], endpoint: ["method": nil])
        let service = try loader.load(value: value, fileName: "portico.json")
        #expect(service.timeout == .seconds(2))
        #expect(service.name == nil)
        #expect(service.endpoints[0].method == "GET")
    }

    static let endpointHeaderCases: [(ConfigValue, HeaderSelection)] = [
        ([], .default),
        (["*"], .all),
        ([""], .none),
        (["X-Tenant", ""], .only(["X-Tenant"])),
    ]

    @Test(arguments: endpointHeaderCases)
    func endpointInputHeaders(_ written: ConfigValue, _ expected: HeaderSelection) throws {
        let value = ConfigurationFixtures.service(endpoint: ["input_headers": written])
        let endpoint = try loader.load(value: value, fileName: "portico.json").endpoints[0]
        #expect(endpoint.inputHeaders == expected)
    }

    static let backendQueryCases: [(ConfigValue, HeaderSelection?)] = [
        ([], nil),
        (["*"], .all),
        ([""], HeaderSelection.none),
        (["page", "limit"], .only(["page", "limit"])),
    ]

    @Test(arguments: backendQueryCases)
    func backendInputQueryStrings(_ written: ConfigValue, _ expected: HeaderSelection?) throws {
        let value = ConfigurationFixtures.service(backend: ["input_query_strings": written])
        let backend = try loader.load(value: value, fileName: "portico.json").endpoints[0].backends[0]
        #expect(backend.inputQueryStrings == expected)
    }

    @Test func fileOnDiskIsReadAndFormatComesFromTheExtension() throws {
        let directory = "/tmp/portico-config-tests-\(UInt32.random(in: 0...UInt32.max))"
        defer { removeConfigurationFiles(directory) }
        try writeConfigurationFile(directory + "/gateway.yml", ConfigurationFixtures.fullYAML)
        try writeConfigurationFile(directory + "/gateway.conf", ConfigurationFixtures.minimalJSON)
        let yaml = try loader.load(path: directory + "/gateway.yml")
        #expect(yaml.name == "portico-demo")
        let sniffed = try loader.load(path: directory + "/gateway.conf")
        #expect(sniffed.endpoints.count == 1)
        let missing = #expect(throws: ConfigurationError.self) {
            try loader.load(path: directory + "/absent.json")
        }
        #expect(
            missing?.problems.first?.description.hasPrefix(directory + "/absent.json: cannot read the file") == true
        )
    }

    @Test func anEmptyEndpointListIsValid() throws {
        let service = try loader.load(text: #"{"version": 3, "endpoints": []}"#, fileName: "portico.json")
        #expect(service.endpoints.isEmpty)
    }
}
