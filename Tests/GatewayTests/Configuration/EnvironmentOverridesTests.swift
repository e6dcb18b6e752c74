import Gateway
import Testing

@Suite("Environment overrides")
struct EnvironmentOverridesTests {
    let file = #"{"version": 3, "name": "from-file", "port": 8080, "timeout": "2s", "debug_endpoint": false}"#

    func load(_ environment: [String: String]) throws -> ServiceConfiguration {
        try ConfigurationFixtures.loader(environment: environment).load(text: file, fileName: "portico.json")
    }

    @Test func krakendVariablesOverrideTopLevelKeys() throws {
        let service = try load(["KRAKEND_PORT": "9000", "KRAKEND_TIMEOUT": "500ms", "KRAKEND_NAME": "from-env"])
        #expect(service.port == 9000)
        #expect(service.timeout == .milliseconds(500))
        #expect(service.name == "from-env")
    }

    @Test func porticoVariablesWinOverKrakendOnes() throws {
        let service = try load(["KRAKEND_PORT": "9000", "PORTICO_PORT": "9100"])
        #expect(service.port == 9100)
    }

    @Test func keysAbsentFromTheFileAreNotOverridden() throws {
        let service = try load(["KRAKEND_CACHE_TTL": "1m", "PORTICO_LISTEN_IP": "127.0.0.1", "KRAKEND_VERSION": "2"])
        #expect(service.cacheTTL == nil)
        #expect(service.listenAddress == "0.0.0.0")
    }

    @Test func booleansReadAsGoDoes() throws {
        let service = try load(["KRAKEND_DEBUG_ENDPOINT": "TRUE"])
        #expect(service.debugEndpoint)
        #expect(service.warnings == [])
        #expect(try !load(["KRAKEND_DEBUG_ENDPOINT": "0"]).debugEndpoint)
    }

    @Test func badValuesNameTheVariable() {
        let loader = ConfigurationFixtures.loader(environment: [
            "KRAKEND_PORT": "eighty", "PORTICO_TIMEOUT": "soon", "KRAKEND_DEBUG_ENDPOINT": "yes",
        ])
        let error = #expect(throws: ConfigurationError.self) {
            try loader.load(text: file, fileName: "portico.json")
        }
        #expect(
            error?.problems.map(\.description) == [
                #"portico.json: port: expected an integer, got "eighty" (from environment variable KRAKEND_PORT)"#,
                #"portico.json: debug_endpoint: expected a boolean, got "yes" (from environment variable "#
                    + "KRAKEND_DEBUG_ENDPOINT)",
                #"portico.json: timeout: expected a duration like "2s", got "soon" (from environment variable "#
                    + "PORTICO_TIMEOUT)",
            ]
        )
    }

    @Test func rangeChecksApplyAfterTheOverride() {
        let loader = ConfigurationFixtures.loader(environment: ["KRAKEND_PORT": "70000"])
        let error = #expect(throws: ConfigurationError.self) {
            try loader.load(text: file, fileName: "portico.json")
        }
        #expect(
            error?.description
                == "portico.json: port: expected an integer between 1 and 65535, got 70000 "
                + "(from environment variable KRAKEND_PORT)"
        )
    }
}
