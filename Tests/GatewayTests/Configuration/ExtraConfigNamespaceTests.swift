import Gateway
import Testing

/// A stage's configuration, as the circuit breaker module would declare it.
struct DecoderSampleBreaker: Decodable {
    var interval: Int
    var timeout: Int
    var maxErrors: Int

    enum CodingKeys: String, CodingKey {
        case interval
        case timeout
        case maxErrors = "max_errors"
    }
}

/// A feature module's own error type, whose message starts with the key it is about.
struct DecoderSampleFeatureError: Error, CustomStringConvertible {
    var description: String
}

@Suite("extra_config namespaces: aliases, unknown namespaces, validators")
struct ExtraConfigNamespaceTests {
    static let aliases: [(String, String)] = [
        ("github_com/devopsfaith/krakend/proxy", "proxy"),
        ("github.com/devopsfaith/krakend/proxy", "proxy"),
        ("github.com/devopsfaith/krakend-ratelimit/juju/router", "qos/ratelimit/router"),
        ("github.com/devopsfaith/krakend-ratelimit/juju/proxy", "qos/ratelimit/proxy"),
        ("github.com/devopsfaith/krakend-circuitbreaker/gobreaker", "qos/circuit-breaker"),
        ("github.com/devopsfaith/krakend-jose/validator", "auth/validator"),
        ("github_com/luraproject/lura/router/gin", "router"),
        ("github_com/devopsfaith/krakend-cors", "security/cors"),
        ("github.com/devopsfaith/krakend-cors", "security/cors"),
        ("github_com/devopsfaith/krakend-gologging", "telemetry/logging"),
        ("github.com/devopsfaith/krakend/http", "backend/http"),
        ("qos/circuit-breaker", "qos/circuit-breaker"),
        ("my-company/plugin", "my-company/plugin"),
    ]

    @Test(arguments: aliases)
    func aliasesBecomeShortNames(_ written: String, _ canonical: String) {
        #expect(ExtraConfigNamespace.canonicalName(written) == canonical)
    }

    @Test func loaderNormalisesAliasesAtEveryLevel() throws {
        let value = ConfigurationFixtures.service(
            ["extra_config": ["github_com/luraproject/lura/router/gin": ["return_error_msg": true]]],
            endpoint: ["extra_config": ["github.com/devopsfaith/krakend-ratelimit/juju/router": ["max_rate": 5]]],
            backend: [
                "extra_config": ["github.com/devopsfaith/krakend-circuitbreaker/gobreaker": ["max_errors": 1]]
            ]
        )
        let service = try ConfigurationFixtures.loader().load(value: value, fileName: "portico.json")
        #expect(service.router.returnErrorMessage)
        #expect(service.extraConfig.entries.map(\.namespace) == ["router"])
        #expect(service.endpoints[0].extraConfig["qos/ratelimit/router"] == ["max_rate": 5])
        #expect(service.endpoints[0].backends[0].extraConfig["qos/circuit-breaker"] == ["max_errors": 1])
        #expect(service.warnings == [])
    }

    @Test func unknownNamespacesWarnWithTheirExactPath() throws {
        let value = ConfigurationFixtures.service(
            ["extra_config": ["telemetry/opentelemetry": [:], "portico/htp": [:]]],
            endpoint: ["extra_config": ["auth/signer": [:], "qos/ratelimit/router": [:]]],
            backend: ["extra_config": ["github.com/devopsfaith/krakend-lua/proxy/backend": [:]]]
        )
        let warnings = try ConfigurationFixtures.warnings(value)
        #expect(
            warnings.map(\.description) == [
                #"extra_config["telemetry/opentelemetry"]: unknown namespace; no Portico stage handles it, so it is "#
                    + "ignored",
                #"extra_config["portico/htp"]: unknown namespace; no Portico stage handles it, so it is ignored"#,
                #"endpoints[0].extra_config["auth/signer"]: unknown namespace; no Portico stage handles it, so it is "#
                    + "ignored",
                #"endpoints[0].backend[0].extra_config["github.com/devopsfaith/krakend-lua/proxy/backend"]: unknown "#
                    + #"namespace; no Portico stage handles it, so it is ignored (KrakenD's "modifier/lua-backend")"#,
            ]
        )
        #expect(warnings.allSatisfy { $0.isUnknownNamespace })
    }

    @Test func routerIsOnlyHandledAtServiceLevel() throws {
        let value = ConfigurationFixtures.service(endpoint: ["extra_config": ["router": ["return_error_msg": true]]])
        let warnings = try ConfigurationFixtures.warnings(value)
        #expect(warnings.map(\.path) == [#"endpoints[0].extra_config["router"]"#])
        #expect(warnings.first?.isUnknownNamespace == true)
    }

    @Test func aNamespaceTwiceThroughAnAliasIsAnError() {
        let value = ConfigurationFixtures.service(
            backend: [
                "extra_config": [
                    "qos/circuit-breaker": ["max_errors": 1],
                    "github.com/devopsfaith/krakend-circuitbreaker/gobreaker": ["max_errors": 2],
                ]
            ]
        )
        #expect(
            ConfigurationFixtures.problems(value) == [
                #"portico.json: endpoints[0].backend[0].extra_config["github.com/devopsfaith/krakend-circuitbreaker/"#
                    + #"gobreaker"]: "qos/circuit-breaker" is configured twice, as "qos/circuit-breaker" and as "#
                    + #""github.com/devopsfaith/krakend-circuitbreaker/gobreaker"; expected one of them"#
            ]
        )
    }

    @Test func validatorsReportEveryNamespaceProblemWithItsPath() {
        let loader = ConfigurationLoader(
            knownNamespaces: [],
            validators: ["qos/circuit-breaker": .decodable(DecoderSampleBreaker.self)],
            environment: [:]
        )
        let value = ConfigurationFixtures.service([
            "endpoints": [
                [
                    "endpoint": "/users/{id}",
                    "backend": [
                        [
                            "url_pattern": "/users/{id}",
                            "extra_config": [
                                "qos/circuit-breaker": ["interval": 60, "timeout": 10, "max_errors": "five"]
                            ],
                        ]
                    ],
                ],
                [
                    "endpoint": "/orders",
                    "backend": [
                        [
                            "url_pattern": "/orders",
                            "extra_config": [
                                "github.com/devopsfaith/krakend-circuitbreaker/gobreaker": ["interval": 60]
                            ],
                        ]
                    ],
                ],
            ]
        ])
        #expect(
            ConfigurationFixtures.problems(value, loader: loader) == [
                #"portico.json: endpoints[0].backend[0].extra_config["qos/circuit-breaker"].max_errors: "#
                    + #"expected an integer, got "five""#,
                #"portico.json: endpoints[1].backend[0].extra_config["github.com/devopsfaith/krakend-circuitbreaker/"#
                    + #"gobreaker"].timeout: required key is missing"#,
            ]
        )
    }

    @Test func aValidatedNamespaceIsKnown() throws {
        let loader = ConfigurationLoader(
            knownNamespaces: [],
            validators: ["qos/circuit-breaker": .decodable(DecoderSampleBreaker.self)],
            environment: [:]
        )
        let value = ConfigurationFixtures.service(
            backend: ["extra_config": ["qos/circuit-breaker": ["interval": 60, "timeout": 10, "max_errors": 1]]]
        )
        #expect(try ConfigurationFixtures.warnings(value, loader: loader) == [])
    }

    @Test func strictModeFiltersOnlyUnknownNamespaces() throws {
        let value = ConfigurationFixtures.service(
            ["tls": ["public_key": "cert.pem"], "extra_config": ["auth/revoker": [:]]],
            endpoint: ["timout": "1s"]
        )
        let warnings = try ConfigurationFixtures.warnings(value)
        #expect(warnings.count == 3)
        #expect(warnings.filter(\.isUnknownNamespace).map(\.path) == [#"extra_config["auth/revoker"]"#])
    }

    @Test func checkErrorsLandUnderTheKeyTheyName() {
        let loader = ConfigurationLoader(
            knownNamespaces: [],
            validators: [
                "qos/circuit-breaker": .decodable(DecoderSampleBreaker.self) { breaker in
                    if breaker.maxErrors < 1 {
                        throw DecoderSampleFeatureError(
                            description: "max_errors: must be at least 1, got \(breaker.maxErrors)"
                        )
                    }
                    if breaker.timeout > breaker.interval {
                        throw DecoderSampleFeatureError(description: "the timeout must not exceed the interval")
                    }
                }
            ],
            environment: [:]
        )
        let tooFewErrors = ConfigurationFixtures.service(
            backend: ["extra_config": ["qos/circuit-breaker": ["interval": 60, "timeout": 10, "max_errors": 0]]]
        )
        #expect(
            ConfigurationFixtures.problems(tooFewErrors, loader: loader) == [
                #"portico.json: endpoints[0].backend[0].extra_config["qos/circuit-breaker"].max_errors: "#
                    + "must be at least 1, got 0"
            ]
        )
        let longTimeout = ConfigurationFixtures.service(
            backend: ["extra_config": ["qos/circuit-breaker": ["interval": 5, "timeout": 10, "max_errors": 1]]]
        )
        #expect(
            ConfigurationFixtures.problems(longTimeout, loader: loader) == [
                #"portico.json: endpoints[0].backend[0].extra_config["qos/circuit-breaker"]: "#
                    + "the timeout must not exceed the interval"
            ]
        )
    }

    @Test(arguments: [
        ("capacity: must be at least 1", #"base.capacity: must be at least 1"#),
        ("connection_pools[0].address: expected host:port", #"base.connection_pools[0].address: expected host:port"#),
        ("[2]: bad element", "base[2]: bad element"),
        ("must be positive: always", "base: must be positive: always"),
        ("no key here", "base: no key here"),
    ])
    func featureMessagesSplitIntoPathAndMessage(_ message: String, _ rendered: String) {
        let decoder = ConfigValueDecoder(file: "f.json", basePath: "base")
        let error = decoder.configurationError(from: DecoderSampleFeatureError(description: message))
        #expect(error.description == "f.json: " + rendered)
    }
}
