import Foundation
import MockBackend
import Testing

@Suite("MockBackendServer", .serialized)
struct MockBackendServerTests {
    static let userJSON = #"{"id":1,"name":"Ada","address":{"city":"London"}}"#

    func withServer(_ routes: [MockRoute], _ body: (MockBackendServer) async throws -> Void) async throws {
        let server = try await MockBackendServer.start(routes: routes)
        do {
            try await body(server)
        } catch {
            try await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    @Test func staticJSONRoute() async throws {
        try await withServer([.get("/users/1", .json(Self.userJSON))]) { server in
            #expect(server.port > 0)
            #expect(server.baseURL == "http://127.0.0.1:\(server.port)")
            let response = try RawHTTPClient.request(port: server.port, "/users/1")
            #expect(response.status == 200)
            #expect(response.text == Self.userJSON)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.header("Content-Length") == String(Self.userJSON.utf8.count))
        }
    }

    @Test(arguments: [
        ("/users/42", 200, #"{"id":42}"#),
        ("/users/abc", 200, #"{"id":abc}"#),
        ("/users/", 404, ""),
        ("/users/42/extra", 404, ""),
        ("/files/a/b/c.json", 200, "rest=a/b/c.json"),
        ("/files", 200, "rest="),
    ])
    func templateAndWildcardRouting(path: String, status: Int, body: String) async throws {
        let routes: [MockRoute] = [
            .get("/users/{id}", .template(#"{"id":{id}}"#)),
            .get("/files/*", .template("rest={*}", contentType: "text/plain")),
        ]
        try await withServer(routes) { server in
            let response = try RawHTTPClient.request(port: server.port, path)
            #expect(response.status == status)
            if status == 200 { #expect(response.text == body) }
        }
    }

    @Test func headerValuesTakePathParameters() async throws {
        let moved = MockResponse(status: 301, headers: [("Location", "/products/{id}"), ("X-Raw", "{none}")])
        try await withServer([.get("/legacy/{id}", moved)]) { server in
            let response = try RawHTTPClient.request(port: server.port, "/legacy/42")
            #expect(response.status == 301)
            #expect(response.header("Location") == "/products/42")
            #expect(response.header("X-Raw") == "{none}")
        }
    }

    @Test func methodNotAllowedListsAllowedMethods() async throws {
        try await withServer([.get("/orders", .json("[]")), .post("/orders", .echo(status: 201))]) { server in
            let response = try RawHTTPClient.request(port: server.port, "DELETE", "/orders")
            #expect(response.status == 405)
            #expect(response.header("Allow") == "GET, POST")
            let created = try RawHTTPClient.request(port: server.port, "POST", "/orders", body: "{}")
            #expect(created.status == 201)
        }
    }

    @Test func echoReturnsTheRequestAsJSON() async throws {
        try await withServer([MockRoute(method: "*", path: "/echo/*", response: .echo())]) { server in
            let response = try RawHTTPClient.request(
                port: server.port,
                "POST",
                "/echo/x?page=2&tag=a&tag=b%20c",
                headers: ["X-Request-Id: req-7", "X-Multi: one", "X-Multi: two"],
                body: #"{"quote":"\"hi\""}"#
            )
            #expect(response.status == 200)
            let object = try #require(response.json as? [String: Any])
            #expect(object["method"] as? String == "POST")
            #expect(object["path"] as? String == "/echo/x")
            #expect(object["uri"] as? String == "/echo/x?page=2&tag=a&tag=b%20c")
            let query = try #require(object["query"] as? [String: Any])
            #expect(query["page"] as? String == "2")
            #expect(query["tag"] as? [String] == ["a", "b c"])
            let headers = try #require(object["headers"] as? [String: String])
            #expect(headers["x-request-id"] == "req-7")
            #expect(headers["x-multi"] == "one, two")
            #expect(object["body"] as? String == #"{"quote":"\"hi\""}"#)
        }
    }

    @Test func dynamicRouteSeesTheRequest() async throws {
        let route = MockRoute(method: "GET", path: "/whoami/{tenant}") { request in
            .text("\(request.pathParameters["tenant"] ?? "?"):\(request.header("authorization") ?? "anonymous")")
        }
        try await withServer([route]) { server in
            let response = try RawHTTPClient.request(
                port: server.port,
                "/whoami/acme",
                headers: ["Authorization: Bearer t0k"]
            )
            #expect(response.text == "acme:Bearer t0k")
        }
    }

    @Test func keepAliveReusesOneConnection() async throws {
        try await withServer([.get("/users/{id}", .template("{id}"))]) { server in
            let client = try RawHTTPClient(port: server.port)
            for id in 1...5 {
                client.send(RawHTTPClient.format("GET", "/users/\(id)"))
                let response = try client.readResponse()
                #expect(response.text == "\(id)")
                #expect(response.header("Connection") == nil)
            }
            #expect(server.connectionCount == 1)
            #expect(server.requestCount == 5)
        }
    }

    @Test func pipelinedRequestsAnswerInOrderDespiteDelays() async throws {
        let routes: [MockRoute] = [
            .get("/slow", MockResponse.text("slow").delayed(by: .milliseconds(150))),
            .get("/fast", .text("fast")),
        ]
        try await withServer(routes) { server in
            let client = try RawHTTPClient(port: server.port)
            client.send(
                RawHTTPClient.format("GET", "/slow") + RawHTTPClient.format("GET", "/fast")
                    + RawHTTPClient.format("GET", "/slow") + RawHTTPClient.format("GET", "/fast")
            )
            var texts: [String] = []
            for _ in 0..<4 { texts.append(try client.readResponse().text) }
            #expect(texts == ["slow", "fast", "slow", "fast"])
        }
    }

    @Test func delayIsHonoured() async throws {
        try await withServer([.get("/slow", MockResponse.text("late").delayed(by: .milliseconds(200)))]) { server in
            let started = ContinuousClock.now
            let response = try RawHTTPClient.request(port: server.port, "/slow")
            let elapsed = ContinuousClock.now - started
            #expect(response.text == "late")
            #expect(elapsed >= .milliseconds(190))
            #expect(elapsed < .seconds(2))
        }
    }

    @Test func chunkedStreamingSplitsTheBody() async throws {
        let body = String(repeating: "0123456789", count: 100)  // 1,000 bytes
        let route = MockRoute.get("/stream", MockResponse.text(body).chunked(into: 4, interval: .milliseconds(30)))
        try await withServer([route]) { server in
            let started = ContinuousClock.now
            let response = try RawHTTPClient.request(port: server.port, "/stream")
            let elapsed = ContinuousClock.now - started
            #expect(response.header("Transfer-Encoding") == "chunked")
            #expect(response.header("Content-Length") == nil)
            #expect(response.chunkSizes == [250, 250, 250, 250])
            #expect(response.text == body)
            #expect(elapsed >= .milliseconds(85))
        }
    }

    @Test func statusFailureForTheNextRequestsThenRecovers() async throws {
        try await withServer([.get("/users/1", .json(Self.userJSON))]) { server in
            server.setFailure(.status(503, count: 2))
            let statuses = try (0..<3).map { _ in try RawHTTPClient.request(port: server.port, "/users/1").status }
            #expect(statuses == [503, 503, 200])
            #expect(server.failure == nil)
            #expect(server.requestCount == 3)

            server.setFailure(.status(500, body: #"{"error":"boom"}"#))
            for _ in 0..<3 {
                let response = try RawHTTPClient.request(port: server.port, "/users/1")
                #expect(response.status == 500)
                #expect(response.text == #"{"error":"boom"}"#)
            }
            server.setFailure(nil)
            let response1 = try RawHTTPClient.request(port: server.port, "/users/1")
            #expect(response1.status == 200)
        }
    }

    @Test func delayFailureSlowsAnswers() async throws {
        try await withServer([.get("/users/1", .json(Self.userJSON))]) { server in
            server.setFailure(.delay(.milliseconds(200), count: 1))
            var started = ContinuousClock.now
            let response2 = try RawHTTPClient.request(port: server.port, "/users/1")
            #expect(response2.status == 200)
            #expect(ContinuousClock.now - started >= .milliseconds(190))
            started = ContinuousClock.now
            let response3 = try RawHTTPClient.request(port: server.port, "/users/1")
            #expect(response3.status == 200)
            #expect(ContinuousClock.now - started < .milliseconds(150))
        }
    }

    @Test func invalidJSONFailure() async throws {
        try await withServer([.get("/users/1", .json(Self.userJSON))]) { server in
            server.setFailure(.invalidJSON(count: 1))
            let response = try RawHTTPClient.request(port: server.port, "/users/1")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            #expect(!response.body.isEmpty)
            #expect(response.json == nil)
        }
    }

    @Test(arguments: [14, 1_000, 65_536, 300_001])
    func oversizedBodyHasTheExactSize(bytes: Int) async throws {
        try await withServer([.get("/users/1", .json(Self.userJSON))]) { server in
            server.setFailure(.oversizedBody(bytes: bytes))
            let response = try RawHTTPClient.request(port: server.port, "/users/1")
            #expect(response.body.count == bytes)
            let object = try #require(response.json as? [String: String])
            #expect(object["padding"]?.count == bytes - 14)
        }
    }

    @Test func closeConnectionFailureAnswersNothing() async throws {
        try await withServer([.get("/users/1", .json(Self.userJSON))]) { server in
            server.setFailure(.closeConnection(count: 1))
            let client = try RawHTTPClient(port: server.port)
            client.send(RawHTTPClient.format("GET", "/users/1"))
            #expect(try client.readUntilClose().isEmpty)
            #expect(server.requestCount == 1)
            let response4 = try RawHTTPClient.request(port: server.port, "/users/1")
            #expect(response4.status == 200)
        }
    }

    @Test func resetMidBodyFailureCutsTheBody() async throws {
        try await withServer([.get("/users/1", .json(Self.userJSON))]) { server in
            server.setFailure(.resetMidBody(count: 1))
            let client = try RawHTTPClient(port: server.port)
            client.send(RawHTTPClient.format("GET", "/users/1"))
            var outcome = "eof"
            do { _ = try client.readUntilClose() } catch RawHTTPClient.ClientError.reset { outcome = "reset" }
            let received = String(decoding: client.received, as: UTF8.self)
            #expect(outcome == "reset")
            #expect(received.hasPrefix("HTTP/1.1 200 OK"))
            #expect(received.contains("content-length: 4096") || received.contains("Content-Length: 4096"))
            let body = received.components(separatedBy: "\r\n\r\n").last ?? ""
            #expect(body.utf8.count == 1_024)
            let response5 = try RawHTTPClient.request(port: server.port, "/users/1")
            #expect(response5.status == 200)
        }
    }

    @Test func controlEndpointsDriveFaultsFromOutside() async throws {
        try await withServer([.get("/users/1", .json(Self.userJSON))]) { server in
            let port = server.port
            let response6 = try RawHTTPClient.request(port: port, "GET", "/__mock/health")
            #expect(response6.text == #"{"status":"ok"}"#)
            let response7 = try RawHTTPClient.request(port: port, "POST", "/__mock/fail?status=502&count=1")
            #expect(response7.status == 200)
            #expect(server.failure == .status(502, count: 1))
            let response8 = try RawHTTPClient.request(port: port, "/users/1")
            #expect(response8.status == 502)
            let response9 = try RawHTTPClient.request(port: port, "/users/1")
            #expect(response9.status == 200)

            _ = try RawHTTPClient.request(port: port, "POST", "/__mock/fail?status=418", body: #"{"why":"teapot"}"#)
            let teapot = try RawHTTPClient.request(port: port, "/users/1")
            #expect(teapot.status == 418)
            #expect(teapot.text == #"{"why":"teapot"}"#)

            let response10 = try RawHTTPClient.request(port: port, "POST", "/__mock/delay?ms=150")
            #expect(response10.status == 200)
            #expect(server.failure == .delay(.milliseconds(150)))
            let response11 = try RawHTTPClient.request(port: port, "POST", "/__mock/fail?kind=close&count=2")
            #expect(response11.status == 200)
            #expect(server.failure == .closeConnection(count: 2))
            let response12 = try RawHTTPClient.request(port: port, "POST", "/__mock/fail?kind=oversized&bytes=5000")
            #expect(response12.status == 200)
            #expect(server.failure == .oversizedBody(bytes: 5000))

            let requests = try RawHTTPClient.request(port: port, "GET", "/__mock/requests")
            let log = try #require(requests.json as? [[String: Any]])
            #expect(log.count == 3)
            #expect(log.allSatisfy { $0["path"] as? String == "/users/1" })
            #expect(requests.header("X-Mock-Request-Total") == "3")

            let response13 = try RawHTTPClient.request(port: port, "POST", "/__mock/reset")
            #expect(response13.status == 200)
            #expect(server.failure == nil)
            #expect(server.recordedRequests.isEmpty)
        }
    }

    @Test(arguments: [
        ("POST", "/__mock/fail?status=abc", 400),
        ("POST", "/__mock/fail?status=99", 400),
        ("POST", "/__mock/fail?count=0", 400),
        ("POST", "/__mock/fail?kind=explode", 400),
        ("POST", "/__mock/fail?kind=oversized", 400),
        ("POST", "/__mock/fail?kind=oversized&bytes=99999999999", 400),
        ("POST", "/__mock/delay", 400),
        ("POST", "/__mock/delay?ms=-5", 400),
        ("GET", "/__mock/fail", 405),
        ("GET", "/__mock/nothing", 404),
    ])
    func badControlRequestsAreRejected(method: String, target: String, status: Int) async throws {
        try await withServer([]) { server in
            let response14 = try RawHTTPClient.request(port: server.port, method, target)
            #expect(response14.status == status)
            #expect(server.failure == nil)
        }
    }

    @Test func filesAndDirectoriesAreServedAndReadPerRequest() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mock-files-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let jwks = directory.appendingPathComponent("jwks.json")
        try Data(#"{"keys":[]}"#.utf8).write(to: jwks)
        let routes: [MockRoute] = [
            .get("/.well-known/jwks.json", .file(jwks.path)),
            .get("/static/*", .directory(directory.path)),
            .get("/missing", .file(directory.appendingPathComponent("absent.json").path)),
        ]
        try await withServer(routes) { server in
            let first = try RawHTTPClient.request(port: server.port, "/.well-known/jwks.json")
            #expect(first.text == #"{"keys":[]}"#)
            #expect(first.header("Content-Type") == "application/json")
            try Data(#"{"keys":[{"kid":"rotated"}]}"#.utf8).write(to: jwks)
            let response15 = try RawHTTPClient.request(port: server.port, "/.well-known/jwks.json")
            #expect(response15.text.contains("rotated"))
            let response16 = try RawHTTPClient.request(port: server.port, "/static/jwks.json")
            #expect(response16.status == 200)
            let response17 = try RawHTTPClient.request(port: server.port, "/static/../jwks.json")
            #expect(response17.status == 404)
            let response18 = try RawHTTPClient.request(port: server.port, "/static/")
            #expect(response18.status == 404)
            let response19 = try RawHTTPClient.request(port: server.port, "/missing")
            #expect(response19.status == 404)
        }
    }

    @Test func http10WithoutKeepAliveIsClosed() async throws {
        try await withServer([.get("/users/1", .json(Self.userJSON))]) { server in
            let client = try RawHTTPClient(port: server.port)
            client.send("GET /users/1 HTTP/1.0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.statusLine.hasPrefix("HTTP/1.0 200"))
            #expect(response.header("Connection") == "close")
            #expect(try client.readUntilClose().isEmpty)
        }
    }

    @Test func headRequestHasNoBody() async throws {
        try await withServer([.get("/users/1", .json(Self.userJSON))]) { server in
            let client = try RawHTTPClient(port: server.port)
            client.send(RawHTTPClient.format("HEAD", "/users/1") + RawHTTPClient.format("GET", "/users/1"))
            let head = try client.readResponse(isHead: true)
            #expect(head.header("Content-Length") == String(Self.userJSON.utf8.count))
            #expect(try client.readResponse().text == Self.userJSON)
        }
    }

    @Test func recordedRequestsAreBounded() async throws {
        try await withServer([.any("/*", .status(204))]) { server in
            let client = try RawHTTPClient(port: server.port)
            for index in 0..<1_005 {
                client.send(RawHTTPClient.format("GET", "/item/\(index)"))
                _ = try client.readResponse()
            }
            let recorded = server.recordedRequests
            #expect(recorded.count == MockBackendServer.recordedRequestCapacity)
            #expect(recorded.first?.path == "/item/5")
            #expect(recorded.last?.path == "/item/1004")
            #expect(server.requestCount == 1_005)
        }
    }

    @Test func malformedRequestGets400NotACrash() async throws {
        try await withServer([.get("/users/1", .json(Self.userJSON))]) { server in
            let client = try RawHTTPClient(port: server.port)
            client.send("THIS IS NOT HTTP\r\n\r\n")
            let bytes = try client.readUntilClose()
            #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("HTTP/1.1 400"))
            let response20 = try RawHTTPClient.request(port: server.port, "/users/1")
            #expect(response20.status == 200)
        }
    }

    @Test func shutdownClosesOpenConnectionsAndIsIdempotent() async throws {
        let server = try await MockBackendServer.start(routes: [.get("/users/1", .json(Self.userJSON))])
        let client = try RawHTTPClient(port: server.port)
        client.send(RawHTTPClient.format("GET", "/users/1"))
        _ = try client.readResponse()
        #expect(server.openConnectionCount == 1)
        try await server.shutdown()
        try await server.shutdown()
        #expect(try client.readUntilClose().isEmpty)
        #expect(throws: (any Error).self) { try RawHTTPClient(port: server.port) }
    }

    @Test func setRoutesReplacesRoutes() async throws {
        try await withServer([.get("/v1", .text("one"))]) { server in
            let response21 = try RawHTTPClient.request(port: server.port, "/v1")
            #expect(response21.text == "one")
            server.setRoutes([.get("/v2", .text("two"))])
            let response22 = try RawHTTPClient.request(port: server.port, "/v1")
            #expect(response22.status == 404)
            let response23 = try RawHTTPClient.request(port: server.port, "/v2")
            #expect(response23.text == "two")
        }
    }
}
