import Testing

@testable import RateLimit

@Suite("Sharded client buckets")
struct ClientBucketStoreTests {
    let twoPerSecond = BucketLimit(maxRate: 2, every: .seconds(1), capacity: 2)

    @Test func eachClientHasItsOwnBucket() {
        let store = ClientBucketStore(limit: twoPerSecond, shardCount: 8)
        #expect(store.take(key: "198.51.100.1", now: 0).isAllowed)
        #expect(store.take(key: "198.51.100.1", now: 0).isAllowed)
        #expect(!store.take(key: "198.51.100.1", now: 0).isAllowed)
        #expect(store.take(key: "198.51.100.2", now: 0).isAllowed)
        #expect(store.count == 2)
    }

    @Test func evictionRemovesOnlyRefilledBuckets() {
        let store = ClientBucketStore(limit: twoPerSecond, shardCount: 4)
        _ = store.take(key: "idle-client", now: 0)
        _ = store.take(key: "busy-client", now: 900_000_000)
        _ = store.take(key: "busy-client", now: 900_000_000)
        // idle-client is full again after 0.5 s; busy-client needs until 1.9 s.
        #expect(store.evictIdle(now: 1_000_000_000) == 1)
        #expect(store.count == 1)
        #expect(!store.take(key: "busy-client", now: 1_000_000_000).isAllowed)
        #expect(store.evictIdle(now: 2_000_000_000) == 1)
        #expect(store.count == 0)
    }

    @Test func aFloodOfDistinctClientsIsCappedPerShard() {
        let store = ClientBucketStore(limit: twoPerSecond, shardCount: 4, maxKeysPerShard: 10)
        var refused = 0
        for index in 0..<1_000 {
            if case .tableFull = store.take(key: "flood-\(index)", now: 0) { refused += 1 }
        }
        #expect(store.count == 40)
        #expect(refused == 960)
    }

    @Test func aFullShardSweepsRefilledBucketsToAdmitANewClient() {
        let store = ClientBucketStore(limit: twoPerSecond, shardCount: 1, maxKeysPerShard: 3)
        for index in 0..<3 { _ = store.take(key: "early-\(index)", now: 0) }
        #expect(store.take(key: "late", now: 100_000_000) == .tableFull)
        // A second later the early buckets are full again, so the overflow sweep frees them.
        #expect(store.take(key: "late", now: 1_200_000_000).isAllowed)
        #expect(store.count == 1)
    }

    @Test func trackedClientsKeepExactBucketsWhileTheShardIsFull() {
        let store = ClientBucketStore(limit: twoPerSecond, shardCount: 1, maxKeysPerShard: 1)
        #expect(store.take(key: "tracked", now: 0).isAllowed)
        #expect(store.take(key: "newcomer", now: 0) == .tableFull)
        #expect(store.take(key: "tracked", now: 0).isAllowed)
        #expect(!store.take(key: "tracked", now: 0).isAllowed)
    }
}

extension ClientBucketResult {
    var isAllowed: Bool {
        if case .bucket(let result) = self { return result.isAllowed }
        return false
    }
}
