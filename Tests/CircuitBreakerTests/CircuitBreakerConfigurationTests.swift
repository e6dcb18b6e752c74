import CircuitBreaker
import Foundation
import Testing

@Suite("qos/circuit-breaker configuration")
struct CircuitBreakerConfigurationTests {
    private func decode(_ json: String) throws -> CircuitBreakerConfiguration {
        try JSONDecoder().decode(CircuitBreakerConfiguration.self, from: Data(json.utf8))
    }

    @Test func namespaceIsKrakenDs() {
        #expect(CircuitBreakerConfiguration.namespace == "qos/circuit-breaker")
    }

    @Test func krakenDDocumentationSampleDecodesWithKrakenDDefaultsForTheRest() throws {
        let configuration = try decode(
            #"{"interval": 60, "timeout": 10, "max_errors": 1, "name": "cb-myendpoint-1", "log_status_change": true}"#
        )
        #expect(configuration.interval == .seconds(60))
        #expect(configuration.timeout == .seconds(10))
        #expect(configuration.maxErrors == 1)
        #expect(configuration.name == "cb-myendpoint-1")
        #expect(configuration.logStatusChange)
        #expect(configuration.failureStatuses == .krakend)
        #expect(configuration.halfOpenProbes == 1)
        #expect(configuration.probeTimeout == .seconds(10))
        #expect(configuration.failureRate == nil)
        #expect(!configuration.isEmpty)
    }

    @Test func everyPorticoKeyDecodes() throws {
        let configuration = try decode(
            """
            {"interval": 30, "timeout": 5, "max_errors": 3, "failure_statuses": [429, "5xx"], "half_open_probes": 4,
             "probe_timeout": 2, "failure_rate": {"threshold": 0.25, "window": 20, "min_calls": 8}}
            """
        )
        #expect(configuration.halfOpenProbes == 4)
        #expect(configuration.probeTimeout == .seconds(2))
        #expect(
            configuration.failureRate == (try FailureRateRule(threshold: 0.25, window: .seconds(20), minimumCalls: 8))
        )
        #expect(configuration.isFailure(status: 429))
        #expect(configuration.isFailure(status: 503))
        #expect(!configuration.isFailure(status: 404))
    }

    @Test func failureRateMembersDefaultWhenAbsent() throws {
        let configuration = try decode(#"{"max_errors": 3, "failure_rate": {}}"#)
        #expect(
            configuration.failureRate == (try FailureRateRule(threshold: 0.5, window: .seconds(30), minimumCalls: 20))
        )
    }

    @Test func absentOrZeroTimeoutMeansGobreakersSixtySeconds() throws {
        #expect(try decode(#"{"max_errors": 1}"#).timeout == .seconds(60))
        #expect(try decode(#"{"max_errors": 1, "timeout": 0}"#).timeout == .seconds(60))
        #expect(try decode(#"{"max_errors": 1, "timeout": 0}"#).probeTimeout == .seconds(60))
        #expect(try decode(#"{"max_errors": 1}"#).interval == .zero)
    }

    @Test func wholeNumbersWrittenAsDecimalsAreAccepted() throws {
        let configuration = try decode(#"{"interval": 60.0, "timeout": 10.0, "max_errors": 2.0}"#)
        #expect(configuration.interval == .seconds(60))
        #expect(configuration.maxErrors == 2)
    }

    @Test(
        "Blocks KrakenD installs no breaker for are empty; anything set asks for one",
        arguments: [
            (#"{}"#, true),
            (#"{"interval": 0, "timeout": 0, "max_errors": 0}"#, true),
            (#"{"name": "", "log_status_change": false}"#, true),
            (#"{"max_errors": 0, "name": "users"}"#, false),
            (#"{"log_status_change": true}"#, false),
            (#"{"timeout": 10}"#, false),
            (#"{"half_open_probes": 1}"#, false),
            (#"{"failure_statuses": "krakend"}"#, false),
        ]
    )
    func emptiness(json: String, isEmpty: Bool) throws {
        #expect(try decode(json).isEmpty == isEmpty)
    }

    @Test func programmaticDefaultsAreEmptyLikeKrakenDsZeroConfiguration() throws {
        #expect(try CircuitBreakerConfiguration().isEmpty)
        #expect(!(try CircuitBreakerConfiguration(maxErrors: 3)).isEmpty)
    }

    @Test func knownKeysListsEveryDecodedKey() throws {
        let everyKey = CircuitBreakerConfiguration.knownKeys.sorted()
        #expect(
            everyKey == [
                "failure_rate", "failure_statuses", "half_open_probes", "interval", "log_status_change", "max_errors",
                "name", "probe_timeout", "timeout",
            ]
        )
    }

    struct InvalidCase: Sendable, CustomTestStringConvertible {
        var json: String
        var path: String
        var message: String
        var testDescription: String { json }
    }

    @Test(
        "Invalid values are rejected with the key's path and a clear message",
        arguments: [
            InvalidCase(json: #"{"interval": -1}"#, path: "interval", message: "expected whole seconds from 0 to"),
            InvalidCase(json: #"{"interval": 1.5}"#, path: "interval", message: "got 1.5"),
            InvalidCase(json: #"{"timeout": 1e20}"#, path: "timeout", message: "expected whole seconds from 0 to"),
            InvalidCase(json: #"{"max_errors": -1}"#, path: "max_errors", message: "an integer from 0 to 4294967295"),
            InvalidCase(json: #"{"max_errors": 4294967296}"#, path: "max_errors", message: "got 4294967296"),
            InvalidCase(json: #"{"half_open_probes": 0}"#, path: "half_open_probes", message: "from 1 to 1000"),
            InvalidCase(json: #"{"half_open_probes": 1001}"#, path: "half_open_probes", message: "got 1001"),
            InvalidCase(json: #"{"probe_timeout": 0}"#, path: "probe_timeout", message: "from 1 to"),
            InvalidCase(json: #"{"failure_statuses": "6xx"}"#, path: "failure_statuses", message: #"got "6xx""#),
            InvalidCase(json: #"{"failure_statuses": 500}"#, path: "failure_statuses", message: "an array like"),
            InvalidCase(json: #"{"failure_statuses": [700]}"#, path: "failure_statuses.0", message: "got 700"),
            InvalidCase(json: #"{"failure_statuses": [500, "5xy"]}"#, path: "failure_statuses.1", message: "5xy"),
            InvalidCase(json: #"{"failure_statuses": [true]}"#, path: "failure_statuses.0", message: "from 100 to 599"),
            InvalidCase(json: #"{"failure_rate": {"threshold": 0}}"#, path: "failure_rate.threshold", message: "got 0"),
            InvalidCase(json: #"{"failure_rate": {"threshold": 1.5}}"#, path: "failure_rate.threshold", message: "1.5"),
            InvalidCase(json: #"{"failure_rate": {"window": 0}}"#, path: "failure_rate.window", message: "from 1 to"),
            InvalidCase(
                json: #"{"failure_rate": {"min_calls": 0}}"#,
                path: "failure_rate.min_calls",
                message: "an integer from 1 to"
            ),
        ]
    )
    func invalidValue(_ invalid: InvalidCase) {
        do {
            let configuration = try decode(invalid.json)
            Issue.record("decoded \(configuration) from \(invalid.json)")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(Self.path(context.codingPath) == invalid.path)
            #expect(context.debugDescription.contains(invalid.message), "\(context.debugDescription)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test(
        "Wrong JSON types are type errors at the key, not silent zeros as in KrakenD",
        arguments: [
            (#"{"timeout": "10s"}"#, "timeout"),
            (#"{"max_errors": "five"}"#, "max_errors"),
            (#"{"log_status_change": "yes"}"#, "log_status_change"),
            (#"{"name": 3}"#, "name"),
            (#"{"failure_rate": 0.5}"#, "failure_rate"),
        ]
    )
    func wrongType(json: String, path: String) {
        do {
            _ = try decode(json)
            Issue.record("decoded \(json)")
        } catch let DecodingError.typeMismatch(_, context) {
            #expect(Self.path(context.codingPath) == path)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func programmaticInitialiserNamesTheKey() {
        #expect(throws: CircuitBreakerConfigurationError.self) { try CircuitBreakerConfiguration(maxErrors: -1) }
        do {
            _ = try CircuitBreakerConfiguration(interval: .seconds(-5))
            Issue.record("accepted a negative interval")
        } catch let error as CircuitBreakerConfigurationError {
            #expect(error.key == "interval")
            #expect(error.description.hasPrefix("interval: expected from 0 to 315360000 seconds"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(
            throws: CircuitBreakerConfigurationError(
                key: "failure_rate.threshold",
                message: "expected a ratio greater than 0 and at most 1, got 0.0"
            )
        ) {
            try FailureRateRule(threshold: 0)
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}
