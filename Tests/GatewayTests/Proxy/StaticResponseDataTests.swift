import NIOCore
import Testing

@testable import Gateway

@Suite("Static response data")
struct StaticResponseDataTests {
    /// Lura's `proxy/static.go` match functions, as a table: (strategy, errored, complete, applies).
    @Test(arguments: [
        (StaticResponseData.Strategy.always, false, true, true),
        (.always, true, false, true),
        (.success, false, true, true),
        (.success, false, false, true),
        (.success, true, false, false),
        (.complete, false, true, true),
        (.complete, false, false, false),
        (.complete, true, false, false),
        (.errored, false, true, false),
        (.errored, true, false, true),
        (.incomplete, false, true, false),
        (.incomplete, false, false, true),
        (.incomplete, true, false, true),
    ])
    func strategyMatrix(strategy: StaticResponseData.Strategy, errored: Bool, complete: Bool, applies: Bool) {
        let data = StaticResponseData(strategy: strategy, data: JSONObject())
        #expect(data.matches(errored: errored, complete: complete) == applies)
    }

    @Test func topLevelMembersOverwriteWithoutDeepMerge() {
        var members = JSONObject()
        members["banner"] = .object(JSONObject([("text", .string("sale"))]))
        members["source"] = .string("gateway")
        let data = StaticResponseData(strategy: .always, data: members)
        let merged = data.merge(over: ByteBuffer(string: #"{"source":"catalog","banner":{"color":"red"},"items":3}"#))
        #expect(String(buffer: merged) == #"{"source":"gateway","banner":{"text":"sale"},"items":3}"#)
        #expect(String(buffer: data.merge(over: nil)) == #"{"banner":{"text":"sale"},"source":"gateway"}"#)
    }

    @Test(arguments: [
        (#"{"strategy": "sometimes", "data": {}}"#, "static.strategy"),
        (#"{"strategy": "always"}"#, "static"),
        (#"{"data": [1]}"#, "static.data"),
        (#"{"strategy": 1, "data": {}}"#, "static.strategy"),
        (#"[]"#, "static"),
    ])
    func rejectsInvalidConfiguration(text: String, path: String) throws {
        var reader = ProxyNamespaceReader(file: "test.json")
        _ = StaticResponseData.read(try FlatmapFilterTests.config(text), at: "static", into: &reader)
        #expect(reader.problems.map(\.path).contains(path), "\(reader.problems)")
    }

    @Test func strategyDefaultsToAlways() throws {
        var reader = ProxyNamespaceReader(file: "test.json")
        let data = StaticResponseData.read(
            try FlatmapFilterTests.config(#"{"data": {"a": 1}}"#),
            at: "s",
            into: &reader
        )
        #expect(data?.strategy == .always)
    }
}
