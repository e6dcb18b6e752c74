import Testing

@testable import RateLimit

@Suite("Rate-limit response headers")
struct RateLimitHeadersTests {
    let hundredPerSecond = BucketLimit(maxRate: 100, every: .seconds(1), capacity: 100)

    @Test func rejectionCarriesRetryAfterAndIETFFields() {
        let decision = RateLimitDecision(
            BucketResult(isAllowed: false, remaining: 0, retryAfter: 10_000_000, resetAfter: 1_000_000_000),
            limit: hundredPerSecond,
            rejection: .rejectedClient,
            source: .local
        )
        let fields = decision.headerFields(style: .ietf)
        #expect(fields.map(\.name) == ["Retry-After", "RateLimit-Policy", "RateLimit"])
        #expect(fields.map(\.value) == ["1", #""default";q=100;w=1"#, #""default";r=0;t=1"#])
    }

    @Test func allowedDecisionReportsRemainingAndReset() {
        let decision = RateLimitDecision(
            BucketResult(isAllowed: true, remaining: 57, retryAfter: 0, resetAfter: 2_300_000_000),
            limit: BucketLimit(maxRate: 60, every: .seconds(60), capacity: 60),
            rejection: .rejectedEndpoint,
            source: .cluster
        )
        let fields = decision.headerFields(style: .both, policy: "per \"tenant\"")
        #expect(fields.count == 5)
        #expect(fields[0].value == #""per \"tenant\"";q=60;w=60"#)
        #expect(fields[1].value == #""per \"tenant\"";r=57;t=3"#)
        #expect(fields[2] == (name: "X-RateLimit-Limit", value: "60"))
        #expect(fields[3] == (name: "X-RateLimit-Remaining", value: "57"))
        #expect(fields[4] == (name: "X-RateLimit-Reset", value: "3"))
    }

    @Test func noneStyleStillSendsRetryAfterOnRejection() {
        let refused = RateLimitDecision(
            BucketResult(isAllowed: false, remaining: 0, retryAfter: 2_500_000_000, resetAfter: 3_000_000_000),
            limit: hundredPerSecond,
            rejection: .rejectedEndpoint,
            source: .local
        )
        #expect(refused.headerFields(style: .none).map(\.value) == ["3"])
        #expect(RateLimitDecision.unlimited(source: .fallback).headerFields(style: .both).isEmpty)
    }
}
