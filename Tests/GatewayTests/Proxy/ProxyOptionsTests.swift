import Logging
import Testing

@testable import Gateway

@Suite("Proxy namespace configuration")
struct ProxyOptionsTests {
    private static func endpoint(_ endpointJSON: String) throws -> EndpointConfiguration {
        let text = #"{"version": 3, "host": ["http://127.0.0.1:9"], "endpoints": [\#(endpointJSON)]}"#
        let service = try ConfigurationLoader(knownNamespaces: ["proxy", "backend/http"], environment: [:])
            .load(text: text, fileName: "test.json")
        return try #require(service.endpoints.first)
    }

    private static func problems(_ endpointJSON: String) throws -> [String] {
        let endpoint = try endpoint(endpointJSON)
        do {
            _ = try EndpointProxy.readOptions(for: endpoint, file: "test.json", logger: Logger(label: "test"))
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func readsEveryKey() throws {
        let options = try EndpointProxy.readOptions(
            for: try Self.endpoint(
                #"""
                {"endpoint": "/e", "extra_config": {"proxy": {"sequential": true,
                  "sequential_propagated_params": ["resp0_id", "resp0"],
                  "static": {"strategy": "incomplete", "data": {"a": 1}},
                  "flatmap_filter": [{"type": "del", "args": ["x"]}]}},
                 "backend": [{"url_pattern": "/a", "extra_config": {
                   "proxy": {"shadow": true, "shadow_timeout": "1s", "flatmap_filter": [{"type": "del", "args": ["y"]}]},
                   "backend/http": {"return_error_code": true, "return_error_details": "users"}}},
                   {"url_pattern": "/b"}]}
                """#
            ),
            file: "test.json",
            logger: Logger(label: "test")
        )
        #expect(options.endpoint.sequential)
        #expect(options.endpoint.propagatedParameters == ["resp0_id", "resp0"])
        #expect(options.endpoint.staticData?.strategy == .incomplete)
        #expect(options.endpoint.flatmap?.operations == [.delete(["x"])])
        let backend = try #require(options.backends.first)
        #expect(backend.shadow)
        #expect(backend.shadowTimeout == .seconds(1))
        #expect(backend.flatmap?.operations == [.delete(["y"])])
        #expect(backend.returnErrorCode)
        #expect(backend.returnErrorDetails == "users")
    }

    @Test(arguments: [
        (
            #"{"endpoint": "/e", "extra_config": {"proxy": {"sequential": "yes"}}, "backend": [{"url_pattern": "/a"}]}"#,
            #"test.json: endpoints[0].extra_config["proxy"].sequential: expected true or false, got "yes""#
        ),
        (
            #"{"endpoint": "/e", "extra_config": {"proxy": {"sequential_propagated_params": ["user"]}}, "backend": [{"url_pattern": "/a"}]}"#,
            #"test.json: endpoints[0].extra_config["proxy"].sequential_propagated_params[0]: expected a name like "resp0_id" or "resp0", got "user""#
        ),
        (
            #"{"endpoint": "/e", "backend": [{"url_pattern": "/a", "extra_config": {"proxy": {"shadow": 1}}}]}"#,
            #"test.json: endpoints[0].backend[0].extra_config["proxy"].shadow: expected true or false, got 1"#
        ),
        (
            #"{"endpoint": "/e", "backend": [{"url_pattern": "/a", "extra_config": {"proxy": {"shadow_timeout": "soon"}}}]}"#,
            #"test.json: endpoints[0].backend[0].extra_config["proxy"].shadow_timeout: expected a positive duration like "2s", got "soon""#
        ),
        (
            #"{"endpoint": "/e", "backend": [{"url_pattern": "/a", "extra_config": {"backend/http": {"return_error_code": "true"}}}]}"#,
            #"test.json: endpoints[0].backend[0].extra_config["backend/http"].return_error_code: expected true or false, got "true""#
        ),
        (
            #"{"endpoint": "/e", "backend": [{"url_pattern": "/a", "extra_config": {"backend/http": {"return_error_details": 5}}}]}"#,
            #"test.json: endpoints[0].backend[0].extra_config["backend/http"].return_error_details: expected a string, got 5"#
        ),
        (
            #"{"endpoint": "/e", "backend": [{"url_pattern": "/a", "extra_config": {"proxy": {"shadow": true}}}]}"#,
            #"test.json: endpoints[0].backend: expected at least one backend that is not a shadow (extra_config.proxy.shadow), got none"#
        ),
    ])
    func wrongTypesAreProblemsWithTheirPath(endpoint: String, expected: String) throws {
        #expect(try Self.problems(endpoint) == [expected])
    }

    @Test func respReferenceToALaterBackendFailsGatewayStartUp() throws {
        let text = #"""
            {"version": 3, "host": ["http://127.0.0.1:9"], "endpoints": [{"endpoint": "/e",
              "extra_config": {"proxy": {"sequential": true}},
              "backend": [{"url_pattern": "/a/{resp1_id}"}, {"url_pattern": "/b"}]}]}
            """#
        let extensions = GatewayExtensions.standard
        let service = try ConfigurationLoader(knownNamespaces: extensions.knownNamespaces, environment: [:])
            .load(text: text, fileName: "test.json")
        let error = #expect(throws: ConfigurationError.self) {
            _ = try Gateway(configuration: service, extensions: extensions)
        }
        let message = error?.problems.map(\.description).joined() ?? ""
        #expect(message.contains("endpoints[0].backend[0]"), "\(message)")
        #expect(message.contains("{resp1_id}"), "\(message)")
    }
}
