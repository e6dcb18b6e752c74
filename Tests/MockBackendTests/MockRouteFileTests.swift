import Foundation
import Testing

@testable import MockBackend

@Suite("MockRouteFile and JSONParser")
struct MockRouteFileTests {
    @Test(arguments: [
        (
            #"{"b":1,"a":[true,false,null,"x\"y\u00e9\ud83d\ude00"],"n":-0.5e+10}"#,
            #"{"b":1,"a":[true,false,null,"x\"yé😀"],"n":-0.5e+10}"#
        ),
        ("  [ ]  ", "[]"),
        ("\"tab\\t\"", "\"tab\\t\""),
        ("0", "0"),
    ])
    func parserRoundTripsKeepingOrder(input: String, expected: String) throws {
        let value = try JSONParser.parse(Array(input.utf8))
        #expect(String(decoding: value.serialized, as: UTF8.self) == expected)
    }

    @Test(arguments: [
        "", "{", "[1,]", #"{"a":1,}"#, "01", "-", "1.", "1e", "tru", #""\x""#, #""\ud800""#, #"{"a":1,"a":2}"#,
        "\"line\nbreak\"", "[1] 2", String(repeating: "[", count: 100_000),
    ])
    func parserRejectsInvalidJSON(input: String) {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(Array(input.utf8)) }
    }

    @Test func routesFileBuildsRoutes() throws {
        let json = #"""
            [
              {"method": "GET", "path": "/users/{id}", "status": 200, "headers": {"Cache-Control": "no-store"},
               "body": {"id": "{id}", "name": "demo"}, "delay_ms": 5},
              {"path": "/text", "body": "plain {id}"},
              {"method": "POST", "path": "/echo", "echo": true, "status": 201},
              {"path": "/stream", "body": [1, 2, 3], "chunks": 3, "chunk_interval_ms": 10},
              {"path": "/keys/{kid}", "body_file": "keys/{kid}.json", "content_type": "application/jwk-set+json"}
            ]
            """#
        let routes = try MockRouteFile.parse(Array(json.utf8), baseDirectory: "/srv/mock")
        #expect(routes.map(\.method) == ["GET", "GET", "POST", "GET", "GET"])
        let request = RecordedRequest(method: "GET", uri: "/users/7", headers: [], pathParameters: ["id": "7"])
        let user = routes[0].response(for: request)
        #expect(user.status == 200)
        #expect(user.delay == .milliseconds(5))
        #expect(user.headers.map(\.name) == ["Content-Type", "Cache-Control"])
        #expect(user.body == .template(#"{"id":"{id}","name":"demo"}"#))
        #expect(
            String(
                decoding: MockHTTPHandler.render(#"{"id":"{id}","name":"demo"}"#, parameters: ["id": "7"]),
                as: UTF8.self
            ) == #"{"id":"7","name":"demo"}"#
        )
        let text = routes[1].response(for: request)
        #expect(text.body == .bytes(Array("plain {id}".utf8)))
        #expect(text.headers.first?.value == "text/plain; charset=utf-8")
        #expect(routes[2].response(for: request).body == .echo)
        #expect(routes[2].response(for: request).status == 201)
        #expect(routes[3].response(for: request).chunking == MockChunking(count: 3, interval: .milliseconds(10)))
        let key = routes[4].response(for: request)
        #expect(key.body == .file("/srv/mock/keys/{kid}.json"))
        #expect(key.headers.first?.value == "application/jwk-set+json")
    }

    @Test(arguments: [
        (#"{"path": "/x"}"#, "$"),
        (#"[{"path": "/x", "delay": 5}]"#, "routes[0].delay: unknown key"),
        (#"[{"method": "GET"}]"#, "routes[0].path: missing"),
        (#"[{"path": "x"}]"#, "routes[0].path: must start with"),
        (#"[{"path": "/x", "status": "200"}]"#, "routes[0].status: expected an integer in 100...599, got a string"),
        (#"[{"path": "/x", "status": 700}]"#, "routes[0].status: expected an integer in 100...599, got 700"),
        (#"[{"path": "/x", "delay_ms": -1}]"#, "routes[0].delay_ms: expected an integer"),
        (#"[{"path": "/x", "body": 1, "echo": true}]"#, "routes[0]: give only one of body, body_file, echo"),
        (#"[{"path": "/x", "headers": {"X-N": 1}}]"#, "routes[0].headers.X-N: expected a string, got a number"),
        (#"[{"path": "/x", "chunk_interval_ms": 5}]"#, "routes[0].chunk_interval_ms: needs \"chunks\""),
        (#"[{"path": "/x", "method": "GE T"}]"#, "routes[0].method: not an HTTP method"),
        (#"[{"path": "/x",}]"#, "byte 15: expected a member name"),
    ])
    func routesFileErrorsNameThePath(json: String, expectedPrefix: String) {
        do {
            _ = try MockRouteFile.parse(Array(json.utf8), baseDirectory: ".")
            Issue.record("expected an error for \(json)")
        } catch {
            #expect(error.description.hasPrefix(expectedPrefix), "\(error.description)")
        }
    }

    @Test func loadReportsAMissingFile() {
        #expect(throws: MockRouteFileError.self) { try MockRouteFile.load(path: "/nonexistent/routes.json") }
    }

    @Test(
        arguments: [
            ("data/users/{id}.json", ["id": "2"], "data/users/2.json"),
            ("data/users/{id}.json", ["id": ".."], nil),
            ("data/{*}", ["*": "a/b.json"], "data/a/b.json"),
            ("data/{*}", ["*": "a/../../etc/passwd"], nil),
            ("static.json", ["id": ".."], "static.json"),
        ] as [(String, [String: String], String?)]
    )
    func filePathPlaceholdersCannotEscape(template: String, parameters: [String: String], expected: String?) {
        #expect(MockHTTPHandler.resolveFilePath(template, parameters: parameters) == expected)
    }

    @Test func demoRouteFilesLoad() throws {
        for name in ["users", "orders", "catalog"] {
            let routes = try MockRouteFile.load(path: "/work/main/examples/demo-backends/\(name).json")
            #expect(!routes.isEmpty)
        }
    }
}
