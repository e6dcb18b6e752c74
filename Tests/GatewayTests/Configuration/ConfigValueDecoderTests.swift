import Gateway
import Testing

/// A feature module's configuration as it would declare it: plain `Decodable`, KrakenD's key names.
struct DecoderSampleRateLimit: Decodable, Equatable {
    enum Strategy: String, Decodable, CaseIterable {
        case ip
        case header
        case param
    }

    struct Tier: Decodable, Equatable {
        var name: String
        var maxRate: Double
        var burst: UInt8?

        enum CodingKeys: String, CodingKey {
            case name
            case maxRate = "max_rate"
            case burst
        }
    }

    var maxRate: Int
    var every: Duration
    var strategy: Strategy?
    var key: String?
    var enabled: Bool
    var tiers: [Tier]
    var labels: [String: String]
    var raw: ConfigValue?

    enum CodingKeys: String, CodingKey {
        case maxRate = "max_rate"
        case every
        case strategy
        case key
        case enabled
        case tiers
        case labels
        case raw
    }
}

@Suite("ConfigValueDecoder")
struct ConfigValueDecoderTests {
    let decoder = ConfigValueDecoder(
        file: "portico.json",
        basePath: #"endpoints[3].extra_config["qos/ratelimit/router"]"#
    )

    static let valid: ConfigValue = [
        "max_rate": 50,
        "every": "1m",
        "strategy": "header",
        "key": "X-Tenant",
        "enabled": true,
        "tiers": [["name": "gold", "max_rate": 100], ["name": "free", "max_rate": 2.5, "burst": 5]],
        "labels": ["team": "payments"],
        "raw": ["anything": [1, "two"]],
        "unknown_key": "ignored",
    ]

    @Test func decodesANestedStruct() throws {
        let sample = try decoder.decode(DecoderSampleRateLimit.self, from: Self.valid)
        #expect(sample.maxRate == 50)
        #expect(sample.every == .seconds(60))
        #expect(sample.strategy == .header)
        #expect(sample.key == "X-Tenant")
        #expect(sample.enabled)
        #expect(
            sample.tiers == [
                .init(name: "gold", maxRate: 100, burst: nil), .init(name: "free", maxRate: 2.5, burst: 5),
            ]
        )
        #expect(sample.labels == ["team": "payments"])
        #expect(sample.raw == ["anything": [1, "two"]])
    }

    @Test func missingOptionalsAndNullsAreNil() throws {
        var object = try #require(Self.valid.objectValue)
        object["strategy"] = nil
        object["key"] = .null
        object["raw"] = nil
        let sample = try decoder.decode(DecoderSampleRateLimit.self, from: .object(object))
        #expect(sample.strategy == nil && sample.key == nil && sample.raw == nil)
    }

    static let invalid: [(String, ConfigValue, String)] = [
        ("max_rate", "five", #"max_rate: expected an integer, got "five""#),
        ("max_rate", "5", #"max_rate: expected an integer, got "5""#),
        ("max_rate", 5.5, "max_rate: expected an integer, got 5.5"),
        ("max_rate", nil, "max_rate: expected an integer, got null"),
        ("every", 60, #"every: expected a duration like "2s", got 60"#),
        ("every", "60", #"every: expected a duration like "2s", got "60""#),
        ("every", "-1s", #"every: expected a duration like "2s", got "-1s""#),
        ("strategy", "cookie", #"strategy: expected one of "ip", "header", "param", got "cookie""#),
        ("strategy", 1, #"strategy: expected a string, got 1"#),
        ("enabled", "true", #"enabled: expected a boolean, got "true""#),
        ("enabled", 1, "enabled: expected a boolean, got 1"),
        ("key", ["X-Tenant"], #"key: expected a string, got ["X-Tenant"]"#),
        ("tiers", ["name": "gold"], #"tiers: expected an array, got {"name":"gold"}"#),
        ("tiers", [["name": "gold", "max_rate": "fast"]], #"tiers[0].max_rate: expected a number, got "fast""#),
        ("tiers", [["max_rate": 1]], "tiers[0].name: required key is missing"),
        (
            "tiers", [["name": "x", "max_rate": 1, "burst": 300]],
            "tiers[0].burst: expected an integer between 0 and 255, got 300"
        ),
        ("tiers", ["gold"], #"tiers[0]: expected an object, got "gold""#),
        ("labels", ["team": 5], "labels.team: expected a string, got 5"),
        ("labels", ["team/owner": 5], #"labels["team/owner"]: expected a string, got 5"#),
    ]

    @Test(arguments: invalid)
    func errorsCarryTheFullPath(_ key: String, _ value: ConfigValue, _ expected: String) throws {
        var object = try #require(Self.valid.objectValue)
        object[key] = value
        let error = #expect(throws: ConfigurationError.self) {
            try decoder.decode(DecoderSampleRateLimit.self, from: .object(object))
        }
        #expect(
            error?.description == #"portico.json: endpoints[3].extra_config["qos/ratelimit/router"]."# + expected
        )
    }

    @Test func missingRequiredKey() throws {
        var object = try #require(Self.valid.objectValue)
        object["max_rate"] = nil
        let error = #expect(throws: ConfigurationError.self) {
            try decoder.decode(DecoderSampleRateLimit.self, from: .object(object))
        }
        #expect(
            error?.description
                == #"portico.json: endpoints[3].extra_config["qos/ratelimit/router"].max_rate: required key is missing"#
        )
    }

    @Test func notAnObject() {
        let error = #expect(throws: ConfigurationError.self) {
            try decoder.decode(DecoderSampleRateLimit.self, from: [1, 2])
        }
        #expect(
            error?.description
                == #"portico.json: endpoints[3].extra_config["qos/ratelimit/router"]: expected an object, got [1,2]"#
        )
    }

    @Test func longValuesAreCutInMessages() {
        let long = ConfigValue.string(String(repeating: "x", count: 200))
        let error = #expect(throws: ConfigurationError.self) {
            try ConfigValueDecoder(file: "f.json", basePath: "limit").decode(Int.self, from: long)
        }
        #expect(
            error?.description == "f.json: limit: expected an integer, got \"" + String(repeating: "x", count: 46) + "…"
        )
    }

    @Test func scalarsAndCollectionsAtTheTop() throws {
        let plain = ConfigValueDecoder()
        #expect(try plain.decode(Int.self, from: 5) == 5)
        #expect(try plain.decode(Int.self, from: 5.0) == 5)
        #expect(try plain.decode(Double.self, from: 5) == 5.0)
        #expect(try plain.decode(Float.self, from: 0.5) == 0.5)
        #expect(try plain.decode(Int64.self, from: -3) == -3)
        #expect(try plain.decode([UInt16].self, from: [1, 65535]) == [1, 65535])
        #expect(try plain.decode(String?.self, from: nil) == nil)
        #expect(try plain.decode([String: Bool].self, from: ["a": true]) == ["a": true])
        #expect(try plain.decode(Duration.self, from: "1h") == .seconds(3600))
        #expect(try plain.decode(ConfigValue.self, from: ["kept": [1]]) == ["kept": [1]])
        #expect(throws: ConfigurationError.self) { try plain.decode(UInt.self, from: -1) }
        #expect(throws: ConfigurationError.self) { try plain.decode(Int.self, from: 1e300) }
    }

    @Test func extraConfigDecodesANamespace() throws {
        let extraConfig = ExtraConfig(
            path: "endpoints[0].backend[1].extra_config",
            entries: [
                (
                    "qos/ratelimit/proxy",
                    ["max_rate": "ten", "every": "1s", "enabled": true, "tiers": [], "labels": [:]]
                )
            ],
            file: "portico.yaml"
        )
        #expect(try extraConfig.decode(DecoderSampleRateLimit.self, namespace: "qos/circuit-breaker") == nil)
        let error = #expect(throws: ConfigurationError.self) {
            try extraConfig.decode(DecoderSampleRateLimit.self, namespace: "qos/ratelimit/proxy")
        }
        #expect(
            error?.description
                == #"portico.yaml: endpoints[0].backend[1].extra_config["qos/ratelimit/proxy"].max_rate: "#
                + #"expected an integer, got "ten""#
        )
    }
}
