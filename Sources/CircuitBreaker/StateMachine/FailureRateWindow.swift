/// The counts behind the `failure_rate` rule: a ring of buckets, allocated once, updated in place.
struct FailureRateWindow: Sendable {
    private struct Bucket: Sendable {
        var calls = 0
        var failures = 0
    }

    let threshold: Double
    let minimumCalls: Int
    private let bucketNanoseconds: Int64
    private var buckets: [Bucket]
    private var anchor: BreakerInstant
    private var currentIndex: Int64 = 0
    private(set) var calls = 0
    private(set) var failures = 0

    init(rule: FailureRateRule, now: BreakerInstant) {
        self.threshold = rule.threshold
        self.minimumCalls = rule.minimumCalls
        let window = BreakerInstant.nanoseconds(of: rule.window)
        self.bucketNanoseconds = max(1, window / Int64(FailureRateRule.bucketCount))
        self.buckets = Array(repeating: Bucket(), count: FailureRateRule.bucketCount)
        self.anchor = now
    }

    /// Forgets everything; the next bucket starts at `now`.
    mutating func reset(at now: BreakerInstant) {
        for index in buckets.indices { buckets[index] = Bucket() }
        anchor = now
        currentIndex = 0
        calls = 0
        failures = 0
    }

    /// Counts one completed call at `now` (never earlier than the previous one); true when the rule trips.
    mutating func record(failure: Bool, at now: BreakerInstant) -> Bool {
        let (elapsed, overflow) = now.nanoseconds.subtractingReportingOverflow(anchor.nanoseconds)
        let index = overflow ? Int64.max : max(0, elapsed) / bucketNanoseconds
        if index > currentIndex {
            // Buckets between the last call and this one have aged out of the window; at most one full turn.
            let steps = min(index - currentIndex, Int64(buckets.count))
            for step in 1...steps {
                let slot = Int((currentIndex + step) % Int64(buckets.count))
                calls -= buckets[slot].calls
                failures -= buckets[slot].failures
                buckets[slot] = Bucket()
            }
            currentIndex = index
        }
        let slot = Int(currentIndex % Int64(buckets.count))
        buckets[slot].calls += 1
        calls += 1
        if failure {
            buckets[slot].failures += 1
            failures += 1
        }
        return failure && calls >= minimumCalls && Double(failures) >= threshold * Double(calls)
    }
}
