import Testing

@testable import Gateway

@Suite("router.logger_skip_paths")
struct AccessLogSkipPathsTests {
    let loader = ConfigurationLoader(knownNamespaces: GatewayExtensions.standard.knownNamespaces, environment: [:])

    func file(_ router: ConfigValue) -> ConfigValue {
        [
            "version": 3, "host": ["http://127.0.0.1:9001"],
            "extra_config": ["router": router],
            "endpoints": [["endpoint": "/users", "backend": [["url_pattern": "/users"]]]],
        ]
    }

    @Test func pathsAreReadAndMatchedExactlyWithoutTheQuery() throws {
        let service = try loader.load(value: file(["logger_skip_paths": ["/__health", "/ping"]]), fileName: "p.json")
        #expect(service.router.loggerSkipPaths == ["/__health", "/ping"])
        #expect(service.warnings.isEmpty)
        let router = try GatewayRouter(endpoints: [], router: service.router, file: "p.json")
        var settings = GatewayHTTPHandler.Settings(
            router: router,
            maxHeaderBytes: 1024,
            maxBodyBytes: 1024,
            readTimeout: nil,
            accessLog: nil
        )
        #expect(settings.shouldLog(uri: "/__health"))  // nothing to skip yet
        settings.skipLogPaths = Set(service.router.loggerSkipPaths.map { $0[...] })
        #expect(!settings.shouldLog(uri: "/__health"))
        #expect(!settings.shouldLog(uri: "/ping?verbose=1"))
        #expect(settings.shouldLog(uri: "/ping/more"))
        #expect(settings.shouldLog(uri: "/users"))
    }

    @Test func entriesMustBePaths() {
        let error = #expect(throws: ConfigurationError.self) {
            try loader.load(value: file(["logger_skip_paths": ["/ok", "health"]]), fileName: "p.json")
        }
        #expect(
            error?.problems.map(\.description) == [
                #"p.json: extra_config["router"].logger_skip_paths[1]: expected a path starting with "/", got "health""#
            ]
        )
    }
}
