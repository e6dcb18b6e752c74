import Foundation
import Gateway
import MockBackend
import NIOHTTP1
import Testing

/// Runs every `Specs/*.json` file: backends, a KrakenD configuration, and `{"in": …, "out": …}` cases,
/// through a real gateway on loopback (krakend-ce's spec-file style).
@Suite("Spec files")
struct SpecTests {
    static let specDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Specs"
    )

    static var specFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: specDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test("spec file", arguments: specFiles)
    func run(file: String) async throws {
        let data = try Data(contentsOf: Self.specDirectory.appendingPathComponent(file))
        let spec = try #require(
            try JSONSerialization.jsonObject(with: data) as? [String: Any],
            "\(file) is not an object"
        )
        let backends = try Self.routes(from: spec["backends"] as? [String: [[String: Any]]] ?? [:])
        let configuration = try #require(spec["config"], "\(file) has no config")
        let text = String(decoding: try JSONSerialization.data(withJSONObject: configuration), as: UTF8.self)
            .replacingOccurrences(of: "\\/", with: "/")
        let harness = try await GatewayHarness.start(configuration: text, backends: backends)
        defer { Task { await harness.stop() } }
        for (index, entry) in (spec["cases"] as? [[String: Any]] ?? []).enumerated() {
            let name = "\(file) case \(index) \(entry["name"] as? String ?? "")"
            for backend in harness.backends.values { backend.clearRecordedRequests() }
            try await Self.check(entry, name: name, harness: harness)
        }
        await harness.stop()
    }

    static func routes(from backends: [String: [[String: Any]]]) throws -> [String: [MockRoute]] {
        try backends.mapValues { entries in
            try entries.map { entry in
                let method = entry["method"] as? String ?? "GET"
                let path = try #require(entry["path"] as? String)
                var response: MockResponse
                if let body = entry["body"] {
                    let json = String(
                        decoding: try JSONSerialization.data(withJSONObject: body, options: [.fragmentsAllowed]),
                        as: UTF8.self
                    )
                    response = .json(json, status: entry["status"] as? Int ?? 200)
                } else if let raw = entry["raw_body"] as? String {
                    response = .text(raw, status: entry["status"] as? Int ?? 200)
                } else if entry["echo"] as? Bool == true {
                    response = .echo(status: entry["status"] as? Int ?? 200)
                } else {
                    response = .status(entry["status"] as? Int ?? 200)
                }
                for (name, value) in entry["headers"] as? [String: String] ?? [:] {
                    response = response.withHeader(name, value)
                }
                if let delay = entry["delay_ms"] as? Int { response = response.delayed(by: .milliseconds(delay)) }
                return MockRoute(method: method, path: path, response: response)
            }
        }
    }

    static func check(_ entry: [String: Any], name: String, harness: GatewayHarness) async throws {
        let input = entry["in"] as? [String: Any] ?? [:]
        let output = entry["out"] as? [String: Any] ?? [:]
        let headers = (input["headers"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map {
            ($0.key, $0.value)
        }
        let response = try await harness.request(
            HTTPMethod(rawValue: input["method"] as? String ?? "GET"),
            input["url"] as? String ?? "/",
            headers: headers,
            body: input["body"] as? String
        )
        let comment = Comment(rawValue: "\(name): got \(response.status) \(response.body)")
        if let status = output["status"] as? Int {
            #expect(response.status == status, comment)
        }
        if let body = output["body"] {
            #expect(jsonEqual(response.json, body), comment)
        }
        if let text = output["body_text"] as? String {
            #expect(response.body == text, comment)
        }
        for (header, value) in output["headers"] as? [String: String] ?? [:] {
            #expect(response.header(header) == value, "\(name): header \(header) = \(response.header(header) ?? "nil")")
        }
        for header in output["absent_headers"] as? [String] ?? [] {
            #expect(response.header(header) == nil, "\(name): header \(header) should be absent")
        }
        for (backendName, expectation) in entry["backend_received"] as? [String: [String: Any]] ?? [:] {
            let recorded = harness.backend(backendName).recordedRequests
            let last = try #require(recorded.last, "\(name): backend \(backendName) received nothing")
            if let uri = expectation["uri"] as? String {
                #expect(last.uri == uri, "\(name): backend uri \(last.uri)")
            }
            if let method = expectation["method"] as? String {
                #expect(last.method == method, "\(name): backend method \(last.method)")
            }
            if let body = expectation["body"] {
                // Compared as JSON (member order and number formatting ignored).
                #expect(jsonEqual(parseJSON(last.bodyText), body), "\(name): backend body \(last.bodyText)")
            }
            if let count = expectation["count"] as? Int {
                #expect(recorded.count == count, "\(name): backend \(backendName) got \(recorded.count) requests")
            }
            for (header, value) in expectation["headers"] as? [String: String] ?? [:] {
                let got = last.headers.first { $0.name.lowercased() == header.lowercased() }?.value
                #expect(got == value, "\(name): backend header \(header) = \(got ?? "nil")")
            }
            for header in expectation["absent_headers"] as? [String] ?? [] {
                let got = last.headers.first { $0.name.lowercased() == header.lowercased() }?.value
                #expect(got == nil, "\(name): backend header \(header) should be absent, got \(got ?? "")")
            }
        }
    }
}
