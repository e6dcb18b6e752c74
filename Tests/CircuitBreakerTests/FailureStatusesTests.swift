import CircuitBreaker
import Foundation
import Testing

@Suite("Which backend statuses count as breaker failures")
struct FailureStatusesTests {
    private func decode(_ json: String) throws -> FailureStatuses {
        try JSONDecoder().decode(FailureStatuses.self, from: Data(json.utf8))
    }

    @Test(
        "KrakenD's rule: everything but 200 and 201 fails; no-op backends are never judged by status",
        arguments: [
            (200, false, false), (201, false, false), (202, false, true), (204, false, true), (301, false, true),
            (404, false, true), (429, false, true), (500, false, true), (503, false, true), (0, false, true),
            (200, true, false), (404, true, false), (500, true, false), (999, true, false),
        ]
    )
    func krakend(status: Int, noOpEncoding: Bool, fails: Bool) {
        #expect(FailureStatuses.krakend.isFailure(status: status, noOpEncoding: noOpEncoding) == fails)
    }

    @Test(
        "Listed statuses apply to every encoding, and malformed statuses always fail",
        arguments: [
            (#""5xx""#, 500, true), (#""5xx""#, 599, true), (#""5xx""#, 404, false), (#""5xx""#, 200, false),
            (#""5XX""#, 503, true), (#""non-2xx""#, 204, false), (#""non-2xx""#, 299, false),
            (#""non-2xx""#, 302, true), (#""non-2xx""#, 101, true), (#"[429, "5xx"]"#, 429, true),
            (#"[429, "5xx"]"#, 430, false), (#"[429, "5xx"]"#, 502, true), (#"[]"#, 500, false),
            (#"[]"#, 0, true), (#"[]"#, 600, true), (#""4xx""#, 99, true), (#""krakend""#, 201, false),
        ]
    )
    func listed(json: String, status: Int, fails: Bool) throws {
        let statuses = try decode(json)
        #expect(statuses.isFailure(status: status, noOpEncoding: false) == fails)
        if statuses != .krakend {
            #expect(statuses.isFailure(status: status, noOpEncoding: true) == fails)
        }
    }

    @Test func krakendWordIsTheDefaultRule() throws {
        #expect(try decode(#""krakend""#) == .krakend)
    }

    @Test func statusCodeSetHoldsOnlyValidStatuses() {
        var set = StatusCodeSet([100, 404, 599])
        #expect(set.contains(100) && set.contains(404) && set.contains(599))
        #expect(!set.contains(405) && !set.contains(600) && !set.contains(-1) && !set.contains(Int.max))
        let insertedOutOfRange = set.insert(600) || set.insert(99)
        #expect(!insertedOutOfRange)
        #expect(StatusCodeSet().isEmpty)
        #expect(!set.isEmpty)
    }
}
