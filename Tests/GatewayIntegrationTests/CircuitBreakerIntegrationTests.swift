import MockBackend
import Testing

/// The `qos/circuit-breaker` stage through a real gateway and a real backend that fails on command. Breaker time
/// runs on a manual clock (`CircuitBreakerGateway`), so `timeout` passes without sleeping.
@Suite("Circuit breaker through the gateway")
struct CircuitBreakerIntegrationTests {
    static let usersRoutes: [MockRoute] = [.get("/users/1", .json(#"{"id": 1, "name": "Ada"}"#))]

    /// One endpoint `/users/{id}` with one `users` backend carrying `breaker` as its `qos/circuit-breaker` block.
    static func usersConfiguration(breaker: String, serviceExtraConfig: String = "{}") -> String {
        """
        {"version": 3, "host": ["{{users}}"], "extra_config": \(serviceExtraConfig), "endpoints": [
          {"endpoint": "/users/{id}", "backend": [{"url_pattern": "/users/{id}",
            "extra_config": {"qos/circuit-breaker": \(breaker)}}]}]}
        """
    }

    @Test("opens on the (max_errors + 1)-th consecutive failure, then leaves the backend alone", arguments: [0, 1, 3])
    func opensOnTheDocumentedCall(maxErrors: Int) async throws {
        let gateway = try await CircuitBreakerGateway.start(
            configuration: Self.usersConfiguration(
                breaker: #"{"interval": 60, "timeout": 10, "max_errors": \#(maxErrors), "name": "users-cb"}"#
            ),
            backends: ["users": Self.usersRoutes]
        )
        defer { Task { await gateway.stop() } }
        let users = gateway.backend("users")
        #expect(try await gateway.get("/users/1").status == 200)

        users.setFailure(.status(500))
        for failure in 1...(maxErrors + 1) {
            #expect(try await gateway.get("/users/1").status == 500)
            #expect(users.requestCount == 1 + failure, "failure \(failure) reached the backend")
        }
        #expect(try gateway.gaugeValues(breaker: "users-cb") == [0, 2])
        let seen = users.requestCount
        for _ in 1...3 {
            #expect(try await gateway.get("/users/1").status == 500)
        }
        // Even a healthy backend is not called while the breaker is open.
        users.setFailure(nil)
        #expect(try await gateway.get("/users/1").status == 500)
        #expect(users.requestCount == seen)
    }

    @Test func aSuccessBetweenFailuresStartsTheCountOver() async throws {
        let gateway = try await CircuitBreakerGateway.start(
            configuration: Self.usersConfiguration(breaker: #"{"timeout": 10, "max_errors": 1, "name": "users-cb"}"#),
            backends: ["users": Self.usersRoutes]
        )
        defer { Task { await gateway.stop() } }
        let users = gateway.backend("users")
        for _ in 1...3 {
            users.setFailure(.status(500, count: 1))
            #expect(try await gateway.get("/users/1").status == 500)
            #expect(try await gateway.get("/users/1").status == 200)
        }
        #expect(users.requestCount == 6)
        #expect(try gateway.gaugeValues(breaker: "users-cb") == [0])
    }

    @Test func probesAfterTimeoutAndClosesOnSuccess() async throws {
        // timeout 1 s: the smallest value KrakenD accepts.
        let gateway = try await CircuitBreakerGateway.start(
            configuration: Self.usersConfiguration(breaker: #"{"timeout": 1, "max_errors": 0, "name": "users-cb"}"#),
            backends: ["users": Self.usersRoutes]
        )
        defer { Task { await gateway.stop() } }
        let users = gateway.backend("users")
        users.setFailure(.status(500, count: 1))
        #expect(try await gateway.get("/users/1").status == 500)
        #expect(try await gateway.get("/users/1").status == 500)
        #expect(users.requestCount == 1)

        gateway.clock.advance(by: .seconds(1))
        #expect(try await gateway.get("/users/1").status == 500, "at exactly `timeout` the breaker is still open")
        #expect(users.requestCount == 1)

        gateway.clock.advance(by: .milliseconds(1))
        #expect(try await gateway.get("/users/1").status == 200, "the probe")
        #expect(users.requestCount == 2)
        #expect(try await gateway.get("/users/1").status == 200, "closed again")
        #expect(users.requestCount == 3)

        #expect(try gateway.gaugeValues(breaker: "users-cb") == [0, 2, 1, 0])
        #expect(gateway.transitions(breaker: "users-cb", to: "open") == 1)
        #expect(gateway.transitions(breaker: "users-cb", to: "half-open") == 1)
        #expect(gateway.transitions(breaker: "users-cb", to: "closed") == 1)
    }

    @Test func aFailedProbeReopensForAnotherTimeout() async throws {
        let gateway = try await CircuitBreakerGateway.start(
            configuration: Self.usersConfiguration(breaker: #"{"timeout": 1, "max_errors": 0, "name": "users-cb"}"#),
            backends: ["users": Self.usersRoutes]
        )
        defer { Task { await gateway.stop() } }
        let users = gateway.backend("users")
        users.setFailure(.status(503))
        #expect(try await gateway.get("/users/1").status == 500)
        gateway.clock.advance(by: .milliseconds(1_001))
        #expect(try await gateway.get("/users/1").status == 500, "the probe fails")
        #expect(users.requestCount == 2)

        // Re-opened at the probe's failure: another full `timeout` without touching the backend.
        #expect(try await gateway.get("/users/1").status == 500)
        gateway.clock.advance(by: .seconds(1))
        #expect(try await gateway.get("/users/1").status == 500)
        #expect(users.requestCount == 2)

        users.setFailure(nil)
        gateway.clock.advance(by: .milliseconds(1))
        #expect(try await gateway.get("/users/1").status == 200)
        #expect(users.requestCount == 3)
        #expect(try gateway.gaugeValues(breaker: "users-cb") == [0, 2, 1, 2, 1, 0])
    }

    @Test func aProbeThatTimesOutReopens() async throws {
        // The endpoint timeout (200 ms, a real wait) ends the slow probe: a failure, so nothing sticks in half-open.
        let gateway = try await CircuitBreakerGateway.start(
            configuration: """
                {"version": 3, "host": ["{{users}}"],
                 "extra_config": {"portico/http": {"status_codes": "precise"}},
                 "endpoints": [{"endpoint": "/users/{id}", "timeout": "200ms", "backend": [{"url_pattern": "/users/{id}",
                   "extra_config": {"qos/circuit-breaker": {"timeout": 1, "max_errors": 0, "name": "users-cb"}}}]}]}
                """,
            backends: ["users": Self.usersRoutes]
        )
        defer { Task { await gateway.stop() } }
        let users = gateway.backend("users")
        users.setFailure(.status(500, count: 1))
        // 502, or 504 on a loaded machine where even this call overran 200 ms: a failure either way, so it opens.
        #expect([502, 504].contains(try await gateway.get("/users/1").status))
        users.setFailure(.delay(.seconds(2)))
        gateway.clock.advance(by: .seconds(2))
        #expect(try await gateway.get("/users/1").status == 504, "the probe times out")
        #expect(try await gateway.get("/users/1").status == 503, "re-opened")
        #expect(users.requestCount == 2)
        #expect(try gateway.gaugeValues(breaker: "users-cb") == [0, 2, 1, 2])
    }

    @Test func insideAnAggregateTheOtherBackendsStillAnswer() async throws {
        let gateway = try await CircuitBreakerGateway.start(
            configuration: """
                {"version": 3, "endpoints": [{"endpoint": "/users/{id}/summary", "backend": [
                  {"host": ["{{users}}"], "url_pattern": "/users/{id}"},
                  {"host": ["{{orders}}"], "url_pattern": "/orders/{id}", "group": "orders",
                   "extra_config": {"qos/circuit-breaker": {"timeout": 10, "max_errors": 0, "name": "orders-cb"}}}]}]}
                """,
            backends: [
                "users": Self.usersRoutes,
                "orders": [.get("/orders/1", .json(#"{"total": 3}"#))],
            ]
        )
        defer { Task { await gateway.stop() } }
        let orders = gateway.backend("orders")
        let healthy = try await gateway.get("/users/1/summary")
        #expect(healthy.status == 200)
        #expect(healthy.header("X-Krakend-Completed") == "true")
        #expect(jsonEqual(healthy.json, parseJSON(#"{"id": 1, "name": "Ada", "orders": {"total": 3}}"#)))

        orders.setFailure(.status(500))
        let failing = try await gateway.get("/users/1/summary")
        #expect(failing.status == 200)
        #expect(failing.header("X-Krakend-Completed") == "false")
        #expect(orders.requestCount == 2)

        // Open: the orders backend has recovered but is not called; the users part still answers.
        orders.setFailure(nil)
        let shortCircuited = try await gateway.get("/users/1/summary")
        #expect(shortCircuited.status == 200)
        #expect(shortCircuited.header("X-Krakend-Completed") == "false")
        #expect(jsonEqual(shortCircuited.json, parseJSON(#"{"id": 1, "name": "Ada"}"#)))
        #expect(orders.requestCount == 2)
        #expect(gateway.backend("users").requestCount == 3)

        gateway.clock.advance(by: .seconds(11))
        let recovered = try await gateway.get("/users/1/summary")
        #expect(recovered.header("X-Krakend-Completed") == "true")
        #expect(orders.requestCount == 3)
    }

    /// How a lone backend's failures answer, per `portico/http.status_codes`.
    struct StatusCase: Sendable, CustomTestStringConvertible {
        let serviceExtraConfig: String
        let failedCall: Int
        let openBreaker: Int
        var testDescription: String { "\(serviceExtraConfig): failure \(failedCall), open \(openBreaker)" }
    }

    @Test(arguments: [
        StatusCase(serviceExtraConfig: "{}", failedCall: 500, openBreaker: 500),
        StatusCase(
            serviceExtraConfig: #"{"portico/http": {"status_codes": "precise"}}"#,
            failedCall: 502,
            openBreaker: 503
        ),
    ])
    func aloneAnOpenBreakerAnswersByTheStatusMode(_ statusCase: StatusCase) async throws {
        let gateway = try await CircuitBreakerGateway.start(
            configuration: Self.usersConfiguration(
                breaker: #"{"timeout": 10, "max_errors": 0}"#,
                serviceExtraConfig: statusCase.serviceExtraConfig
            ),
            backends: ["users": Self.usersRoutes]
        )
        defer { Task { await gateway.stop() } }
        gateway.backend("users").setFailure(.status(500, count: 1))
        #expect(try await gateway.get("/users/1").status == statusCase.failedCall)
        #expect(try await gateway.get("/users/1").status == statusCase.openBreaker)
        #expect(gateway.backend("users").requestCount == 1)
        // An unnamed breaker is labelled with its backend's JSON path.
        #expect(try gateway.gaugeValues(breaker: "endpoints[0].backend[0]") == [0, 2])
    }

    @Test func fiveHundredsOnlyLetsA404StreakPass() async throws {
        let gateway = try await CircuitBreakerGateway.start(
            configuration: Self.usersConfiguration(
                breaker: #"{"timeout": 10, "max_errors": 1, "failure_statuses": "5xx", "name": "users-cb"}"#
            ),
            backends: ["users": Self.usersRoutes]
        )
        defer { Task { await gateway.stop() } }
        let users = gateway.backend("users")
        users.setFailure(.status(404))
        for call in 1...5 {
            // A failed request for the client (KrakenD's 500), but a healthy backend for the breaker.
            #expect(try await gateway.get("/users/1").status == 500)
            #expect(users.requestCount == call)
        }
        // A 404 between two 503s breaks the streak.
        users.setFailure(.status(503, count: 1))
        _ = try await gateway.get("/users/1")
        users.setFailure(.status(404, count: 1))
        _ = try await gateway.get("/users/1")
        users.setFailure(.status(503))
        _ = try await gateway.get("/users/1")
        #expect(users.requestCount == 8)
        #expect(try gateway.gaugeValues(breaker: "users-cb") == [0])

        _ = try await gateway.get("/users/1")
        #expect(users.requestCount == 9, "the second 503 in a row opens it")
        _ = try await gateway.get("/users/1")
        #expect(users.requestCount == 9)
        #expect(try gateway.gaugeValues(breaker: "users-cb") == [0, 2])
    }

    @Test func aNoOpBackendOpensOnlyOnTransportErrors() async throws {
        let gateway = try await CircuitBreakerGateway.start(
            configuration: """
                {"version": 3, "host": ["{{files}}"],
                 "extra_config": {"portico/http": {"status_codes": "precise"}},
                 "endpoints": [{"endpoint": "/report", "output_encoding": "no-op",
                   "backend": [{"url_pattern": "/report", "encoding": "no-op",
                     "extra_config": {"qos/circuit-breaker": {"timeout": 10, "max_errors": 0, "name": "files-cb"}}}]}]}
                """,
            backends: ["files": [.get("/report", .text("quarterly report"))]]
        )
        defer { Task { await gateway.stop() } }
        let files = gateway.backend("files")
        files.setFailure(.status(500))
        for call in 1...3 {
            // Passed through untouched, and not judged by status (KrakenD's no-op rule).
            let response = try await gateway.get("/report")
            #expect(response.status == 500)
            #expect(response.body == MockFailure.defaultStatusBody)
            #expect(files.requestCount == call)
        }
        #expect(try gateway.gaugeValues(breaker: "files-cb") == [0])

        files.setFailure(.closeConnection())
        #expect(try await gateway.get("/report").status == 502)
        let seen = files.requestCount
        files.setFailure(nil)
        #expect(try await gateway.get("/report").status == 503)
        #expect(files.requestCount == seen)
        #expect(try gateway.gaugeValues(breaker: "files-cb") == [0, 2])
    }

    @Test func aMisspeltKeyIsWarnedAboutAndInstallsNoBreaker() async throws {
        // `max_error` instead of `max_errors`: KrakenD reads the block as empty and installs no breaker.
        let gateway = try await CircuitBreakerGateway.start(
            configuration: Self.usersConfiguration(breaker: #"{"max_error": 0}"#),
            backends: ["users": Self.usersRoutes]
        )
        defer { Task { await gateway.stop() } }
        #expect(
            gateway.log.messages.contains {
                $0.hasPrefix("warning: ")
                    && $0.hasSuffix(
                        "\"qos/circuit-breaker\"].max_error: unknown key, ignored "
                            + "(known: failure_rate, failure_statuses, half_open_probes, interval, log_status_change, "
                            + "max_errors, name, probe_timeout, timeout)"
                    )
            },
            "\(gateway.log.messages)"
        )
        gateway.backend("users").setFailure(.status(500))
        for _ in 1...3 { _ = try await gateway.get("/users/1") }
        #expect(gateway.backend("users").requestCount == 3)
        #expect(gateway.metrics.recorders(label: "portico_circuit_breaker_state").isEmpty)
    }

    @Test(arguments: [true, false])
    func logStatusChangeLogsEveryTransition(enabled: Bool) async throws {
        let gateway = try await CircuitBreakerGateway.start(
            configuration: Self.usersConfiguration(
                breaker: #"{"timeout": 1, "max_errors": 0, "name": "users-cb", "log_status_change": \#(enabled)}"#
            ),
            backends: ["users": Self.usersRoutes]
        )
        defer { Task { await gateway.stop() } }
        gateway.backend("users").setFailure(.status(500, count: 1))
        #expect(try await gateway.get("/users/1").status == 500)
        gateway.clock.advance(by: .seconds(2))
        #expect(try await gateway.get("/users/1").status == 200)

        let lines = gateway.log.messages.filter { $0.contains("[CB]") }
        guard enabled else {
            #expect(lines.isEmpty)
            return
        }
        let prefix = "warning: [BACKEND: /users/{id}][CB] Circuit breaker named 'users-cb' went from"
        #expect(lines.count == 3)
        #expect(lines.count == 3 && lines[0].hasPrefix("\(prefix) 'closed' to 'open'"))
        #expect(lines.count == 3 && lines[1].hasPrefix("\(prefix) 'open' to 'half-open'"))
        #expect(lines.count == 3 && lines[2].hasPrefix("\(prefix) 'half-open' to 'closed'"))
    }
}
