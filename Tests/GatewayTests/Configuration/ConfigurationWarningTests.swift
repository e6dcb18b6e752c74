import Gateway
import Testing

@Suite("Configuration warnings: keys Portico ignores")
struct ConfigurationWarningTests {
    @Test func krakendKeysPorticoLacksWarn() throws {
        let value = ConfigurationFixtures.service(
            [
                "tls": ["public_key": "cert.pem"], "sequential_start": false,
                "disable_rest": false, "plugin": ["folder": "./plugins/", "pattern": ".so"],
                "extra_config": ["router": ["trusted_proxies": ["10.0.0.0/8"], "forwarded_by_client_ip": false]],
            ]
        )
        let warnings = try ConfigurationFixtures.warnings(value)
        #expect(
            warnings.map(\.description) == [
                "tls: not supported by Portico yet; ignored",
                "plugin: not supported by Portico yet; ignored",
                #"extra_config["router"].trusted_proxies: not supported by Portico yet; ignored"#,
            ]
        )
        #expect(warnings.allSatisfy { !$0.isUnknownNamespace })
    }

    @Test func unknownKeysWarnWithASuggestion() throws {
        let value = ConfigurationFixtures.service(
            [
                "timout": "3s",
                "extra_config": ["router": ["health-path": "/ping"], "portico/http": ["status_code": "precise"]],
            ],
            endpoint: ["concurent_calls": 2, "completely_unrelated": 1],
            backend: ["url_patern": "/x"]
        )
        let warnings = try ConfigurationFixtures.warnings(value)
        #expect(
            warnings.map(\.description) == [
                #"timout: unknown key; ignored (as KrakenD does); did you mean "timeout"?"#,
                #"extra_config["router"].health-path: unknown key; ignored (as KrakenD does); did you mean "#
                    + #""health_path"?"#,
                #"extra_config["portico/http"].status_code: unknown key; ignored (as KrakenD does); did you mean "#
                    + #""status_codes"?"#,
                #"endpoints[0].concurent_calls: unknown key; ignored (as KrakenD does); did you mean "#
                    + #""concurrent_calls"?"#,
                "endpoints[0].completely_unrelated: unknown key; ignored (as KrakenD does)",
                #"endpoints[0].backend[0].url_patern: unknown key; ignored (as KrakenD does); did you mean "#
                    + #""url_pattern"?"#,
            ]
        )
    }

    @Test func krakendOneNamesSayWhatTheyBecame() throws {
        let value = ConfigurationFixtures.service(
            endpoint: ["headers_to_pass": ["Authorization"]],
            backend: ["whitelist": ["id"]]
        )
        #expect(
            try ConfigurationFixtures.warnings(value).map(\.description) == [
                #"endpoints[0].headers_to_pass: the KrakenD 1.x name of "input_headers"; version 3 files ignore it "#
                    + "(as KrakenD does)",
                #"endpoints[0].backend[0].whitelist: the KrakenD 1.x name of "allow"; version 3 files ignore it "#
                    + "(as KrakenD does)",
            ]
        )
    }

    @Test func annotationKeysAreSilent() throws {
        let value = ConfigurationFixtures.service(
            ["$schema": "https://www.krakend.io/schema/krakend.json", "_notes": "x", "#tag": 1],
            endpoint: ["$id": "users"],
            backend: ["_todo": "cache"]
        )
        #expect(try ConfigurationFixtures.warnings(value) == [])
    }
}
