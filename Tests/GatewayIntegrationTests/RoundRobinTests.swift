import Gateway
import MockBackend
import Testing

@Suite("Load balancing")
struct RoundRobinTests {
    @Test func hostsAreUsedRoundRobin() async throws {
        let harness = try await GatewayHarness.start(
            configuration: """
                {"version": 3, "endpoints": [
                  {"endpoint": "/items", "backend": [{"host": ["{{first}}", "{{second}}"], "url_pattern": "/items"}]}]}
                """,
            backends: [
                "first": [.get("/items", .json(#"{"from":"first"}"#))],
                "second": [.get("/items", .json(#"{"from":"second"}"#))],
            ]
        )
        defer { Task { await harness.stop() } }
        var seen: [String] = []
        for _ in 0..<6 {
            let response = try await harness.request(.GET, "/items")
            #expect(response.status == 200)
            seen.append((response.json as? [String: Any])?["from"] as? String ?? "?")
        }
        #expect(harness.backend("first").requestCount == 3)
        #expect(harness.backend("second").requestCount == 3)
        // Strict alternation: never the same host twice in a row.
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0 != $1 }, "\(seen)")
    }
}
