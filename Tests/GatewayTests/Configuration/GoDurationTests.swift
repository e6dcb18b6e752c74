import Gateway
import Testing

/// Go's `time.ParseDuration`, as `ConfigValueDecoder` applies it to `Duration` values.
@Suite("Go durations")
struct GoDurationTests {
    let decoder = ConfigValueDecoder(file: "portico.json", basePath: "timeout")

    static let valid: [(String, Int64)] = [
        ("0", 0),
        ("0s", 0),
        ("800ms", 800_000_000),
        ("3s", 3_000_000_000),
        ("1m", 60_000_000_000),
        ("1h30m", 5_400_000_000_000),
        ("1.5s", 1_500_000_000),
        (".5s", 500_000_000),
        ("5.s", 5_000_000_000),
        ("300us", 300_000),
        ("300µs", 300_000),
        ("300μs", 300_000),
        ("42ns", 42),
        ("1h2m3s4ms5us6ns", 3_723_004_005_006),
        ("+2s", 2_000_000_000),
        ("0.000000001s", 1),
        ("1.0000000001s", 1_000_000_000),
        ("2562047h47m16.854775807s", Int64.max),
    ]

    @Test(arguments: valid)
    func parsesAsGoDoes(_ text: String, _ nanoseconds: Int64) throws {
        #expect(try decoder.decode(Duration.self, from: .string(text)) == .nanoseconds(nanoseconds))
    }

    @Test(arguments: [
        "", "3000", "1.5", "s", ".s", "1x", "1 s", " 1s", "1s ", "1S", "1sec", "--1s", "1e3s",
        "2562047h47m16.854775808s",
        "9223372036854775808ns", "3000000h", "1s-1s",
        // Go accepts negative durations; no configuration duration may be negative.
        "-1s", "-1.5h",
    ])
    func rejectsWhatGoRejects(_ text: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try decoder.decode(Duration.self, from: .string(text))
        }
        #expect(
            error?.description == #"portico.json: timeout: expected a duration like "2s", got "#
                + ConfigValue.string(text).jsonText
        )
    }

    @Test func loaderReadsTheSameSyntax() throws {
        let value = ConfigurationFixtures.service(["timeout": "1h2m3.5s"], endpoint: ["timeout": "250µs"])
        let service = try ConfigurationFixtures.loader().load(value: value, fileName: "portico.json")
        #expect(service.timeout == .seconds(3723) + .milliseconds(500))
        #expect(service.endpoints[0].timeout == .microseconds(250))
    }
}
