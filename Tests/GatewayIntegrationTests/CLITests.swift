import Foundation
import MockBackend
import Testing

/// The `portico` binary itself: `check` exit codes and messages, `version`, and `run` shutting down with exit 0
/// on SIGTERM. Uses the binary `swift build --build-tests` produced next to the test bundle.
@Suite("portico command")
struct CLITests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The built `portico` binary: `$PORTICO_BIN`, or the build folder the tests run from.
    static func porticoBinary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["PORTICO_BIN"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("portico")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        let fallback = repositoryRoot.appendingPathComponent(".build/debug/portico")
        try #require(FileManager.default.isExecutableFile(atPath: fallback.path), "portico binary not built")
        return fallback
    }

    struct Outcome {
        let status: Int32
        let output: String
    }

    static func run(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = try porticoBinary()
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    static func write(_ text: String, name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "portico-cli-\(UUID().uuidString)-\(name)"
        )
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func versionPrintsTheVersion() throws {
        let outcome = try Self.run(["version"])
        #expect(outcome.status == 0)
        #expect(outcome.output == "portico 0.1.0\n")
    }

    @Test func checkAcceptsTheBundledExamples() throws {
        let outcome = try Self.run([
            "check", "--strict", "-c", Self.repositoryRoot.appendingPathComponent("examples/demo.json").path,
        ])
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output.contains("valid (6 endpoints)"))
    }

    @Test func checkListsEveryProblemByPathAndExitsOne() throws {
        let file = try Self.write(
            """
            {"version": 3, "port": "eighty", "endpoints": [
              {"endpoint": "/users/{id}", "timeout": "fast", "backend": [{"url_pattern": 5, "host": ["http://127.0.0.1:9"]}]}
            ]}
            """,
            name: "broken.json"
        )
        let outcome = try Self.run(["check", "-c", file])
        #expect(outcome.status == 1)
        #expect(outcome.output.contains("port: expected an integer"), "\(outcome.output)")
        #expect(outcome.output.contains("endpoints[0].timeout"), "\(outcome.output)")
        #expect(outcome.output.contains("endpoints[0].backend[0].url_pattern"), "\(outcome.output)")
    }

    @Test func strictCheckFailsOnUnknownNamespaces() throws {
        let file = try Self.write(
            """
            {"version": 3, "host": ["http://127.0.0.1:9"], "endpoints": [
              {"endpoint": "/a", "backend": [{"url_pattern": "/a"}], "extra_config": {"acme/unknown-plugin": {}}}]}
            """,
            name: "plugin.json"
        )
        let lenient = try Self.run(["check", "-c", file])
        #expect(lenient.status == 0, "\(lenient.output)")
        #expect(lenient.output.contains("acme/unknown-plugin"))
        let strict = try Self.run(["check", "--strict", "-c", file])
        #expect(strict.status == 1, "\(strict.output)")
    }

    @Test func conflictingRoutesAreRejectedByCheck() throws {
        let file = try Self.write(
            """
            {"version": 3, "host": ["http://127.0.0.1:9"], "endpoints": [
              {"endpoint": "/users/{id}", "backend": [{"url_pattern": "/u/{id}"}]},
              {"endpoint": "/users/{name}", "backend": [{"url_pattern": "/u/{name}"}]}]}
            """,
            name: "conflict.json"
        )
        let outcome = try Self.run(["check", "-c", file])
        #expect(outcome.status == 1)
        #expect(outcome.output.contains("endpoints[1].endpoint: duplicate route"), "\(outcome.output)")
    }

    @Test func runServesAndExitsZeroOnSIGTERM() async throws {
        let backend = try await MockBackendServer.start(routes: [.get("/users/{id}", .json(#"{"id":1}"#))])
        defer { Task { try? await backend.shutdown() } }
        let file = try Self.write(
            """
            {"version": 3, "host": ["\(backend.baseURL)"], "endpoints": [
              {"endpoint": "/users/{id}", "backend": [{"url_pattern": "/users/{id}"}]}]}
            """,
            name: "run.json"
        )
        let process = Process()
        process.executableURL = try Self.porticoBinary()
        // Port 0 is not allowed by the file format; pick a free one by binding and releasing.
        let port = try await Self.freePort()
        process.arguments = ["run", "-c", file, "--port", "\(port)", "--event-loops", "1"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        var served = false
        for _ in 0..<200 where !served {
            served = (try? await URLSessionlessGet.status(port: port, path: "/users/1")) == 200
            if !served { try await Task.sleep(for: .milliseconds(50)) }  // waiting for a child process to bind
        }
        #expect(served, "portico did not serve on port \(port)")
        process.terminate()  // SIGTERM
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.contains("GET /users/1 200"), "one access-log line per request: \(output)")
    }

    static func freePort() async throws -> Int {
        let probe = try await MockBackendServer.start(routes: [])
        let port = probe.port
        try await probe.shutdown()
        return port
    }
}

/// A minimal GET over a raw socket, so the test does not depend on URLSession.
enum URLSessionlessGet {
    static func status(port: Int, path: String) async throws -> Int? {
        let answer = try await rawExchange(
            port: port,
            bytes: Array("GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8),
            timeout: .seconds(2)
        )
        guard answer.hasPrefix("HTTP/1.1 ") else { return nil }
        return Int(answer.dropFirst(9).prefix(3))
    }
}
