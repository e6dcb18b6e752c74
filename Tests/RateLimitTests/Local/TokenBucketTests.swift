import Testing

@testable import RateLimit

@Suite("Token bucket maths on a manual clock")
struct TokenBucketTests {
    let tenPerSecond = BucketLimit(maxRate: 10, every: .seconds(1), capacity: 10)

    @Test func aFreshBucketGrantsItsCapacityThenRefuses() {
        var bucket = TokenBucket()
        let now: Int64 = 5_000_000_000
        for expectedRemaining in (0..<10).reversed() {
            let result = bucket.take(limit: tenPerSecond, now: now)
            #expect(result.isAllowed)
            #expect(result.remaining == expectedRemaining)
        }
        let refused = bucket.take(limit: tenPerSecond, now: now)
        #expect(!refused.isAllowed)
        #expect(refused.remaining == 0)
        #expect(refused.retryAfter == 100_000_000)
        #expect(refused.resetAfter == 1_000_000_000)
    }

    @Test func tokensComeBackAtTheConfiguredRate() {
        var bucket = TokenBucket()
        var now: Int64 = 0
        for _ in 0..<10 { _ = bucket.take(limit: tenPerSecond, now: now) }
        now += 99_999_999
        #expect(!bucket.take(limit: tenPerSecond, now: now).isAllowed)
        now += 1
        #expect(bucket.take(limit: tenPerSecond, now: now).isAllowed)
        #expect(!bucket.take(limit: tenPerSecond, now: now).isAllowed)
        now += 10_000_000_000
        #expect(bucket.isFull(at: now))
        #expect(bucket.take(limit: tenPerSecond, now: now).remaining == 9)
    }

    @Test func aRefusalDoesNotSpendTokens() {
        var bucket = TokenBucket()
        for _ in 0..<10 { _ = bucket.take(limit: tenPerSecond, now: 0) }
        for _ in 0..<100 { #expect(!bucket.take(limit: tenPerSecond, now: 50_000_000).isAllowed) }
        #expect(bucket.take(limit: tenPerSecond, now: 100_000_000).isAllowed)
    }

    @Test func multiTokenTakesAreAllOrNothing() {
        var bucket = TokenBucket()
        #expect(bucket.take(7, limit: tenPerSecond, now: 0).remaining == 3)
        let refused = bucket.take(4, limit: tenPerSecond, now: 0)
        #expect(!refused.isAllowed)
        #expect(refused.remaining == 3)
        #expect(refused.retryAfter == 100_000_000)
        #expect(bucket.take(3, limit: tenPerSecond, now: 0).isAllowed)
    }

    @Test(arguments: [
        (rate: 10.0, every: Duration.seconds(1), capacity: 10),
        (rate: 3.0, every: .seconds(1), capacity: 1),
        (rate: 100.0, every: .seconds(60), capacity: 5),
        (rate: 0.5, every: .seconds(1), capacity: 2),
    ])
    func neverAdmitsMoreThanCapacityPlusRateTimesT(rate: Double, every: Duration, capacity: Int) {
        // A reference model: over any window of length t the bucket admits at most capacity + rate·t.
        let limit = BucketLimit(maxRate: rate, every: every, capacity: capacity)
        var bucket = TokenBucket()
        var generator = SplitMix64(seed: 42)
        var admissions: [Int64] = []
        var now: Int64 = 0
        for _ in 0..<5_000 {
            now += Int64(generator.next() % UInt64(limit.interval / 2 + 1))
            if bucket.take(limit: limit, now: now).isAllowed { admissions.append(now) }
        }
        let perNanosecond = rate / Double(every.nanosecondsClamped)
        for start in stride(from: 0, to: admissions.count, by: 37) {
            for end in start..<min(start + 400, admissions.count) {
                let window = Double(admissions[end] - admissions[start])
                let allowed = Double(capacity) + perNanosecond * window
                #expect(Double(end - start + 1) <= allowed + 1e-9)
            }
        }
        #expect(admissions.count > capacity)
    }

    @Test func extremeRatesDoNotOverflow() {
        let slow = BucketLimit(maxRate: 1e-12, every: .seconds(366 * 86_400), capacity: 1_000_000_000_000)
        var bucket = TokenBucket()
        #expect(bucket.take(limit: slow, now: .max / 2).isAllowed)
        let fast = BucketLimit(maxRate: 1e12, every: .nanoseconds(1), capacity: 1)
        #expect(fast.interval == 1)
        var fastBucket = TokenBucket()
        #expect(fastBucket.take(limit: fast, now: .max / 2).isAllowed)
    }

    @Test func aShareSplitsRateAndCapacity() {
        let share = BucketLimit(maxRate: 90, every: .seconds(1), capacity: 30).share(of: 3)
        #expect(share.maxRate == 30)
        #expect(share.capacity == 10)
        #expect(BucketLimit(maxRate: 2, capacity: 2).share(of: 5).capacity == 1)
    }
}

/// A small deterministic generator so randomized tests replay the same sequence.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var value = state
        value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
        return value ^ (value >> 31)
    }
}
