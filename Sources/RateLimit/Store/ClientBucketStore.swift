import Synchronization

/// Per-client token buckets in mutex-guarded shards, with a cap on keys per shard and eviction of idle keys.
///
/// A bucket that has refilled completely is indistinguishable from a new one, so eviction removes exactly those
/// and never changes a decision. When a shard is at its cap, a new key first triggers a sweep of that shard (at
/// most once per second per shard, so a flood of new keys cannot turn into a flood of sweeps); if the shard is
/// still full the new client is refused (`.tableFull`), which keeps memory bounded under a flood of distinct
/// clients while every client already tracked keeps its exact bucket.
public final class ClientBucketStore: Sendable {
    /// The limit applied to each client's bucket.
    public let limit: BucketLimit
    /// Maximum keys one shard holds.
    public let maxKeysPerShard: Int
    private let shards: [Shard]

    /// Creates an empty store.
    /// - Parameters:
    ///   - limit: each client's bucket.
    ///   - shardCount: number of independently locked shards (KrakenD's `num_shards`, default 2048).
    ///   - maxKeysPerShard: cap on clients per shard (default 512, i.e. about a million clients in total).
    public init(limit: BucketLimit, shardCount: Int = 2048, maxKeysPerShard: Int = 512) {
        self.limit = limit
        self.maxKeysPerShard = max(maxKeysPerShard, 1)
        self.shards = (0..<max(shardCount, 1)).map { _ in Shard() }
    }

    /// Number of shards.
    public var shardCount: Int { shards.count }

    /// Takes one token from `key`'s bucket at `now`.
    ///
    /// Allocation-free for a key already tracked (one hash, one lock, an in-place update); a new key stores the
    /// key string and may grow the shard's table.
    public func take(key: String, now: Int64) -> ClientBucketResult {
        let shard = shards[shardIndex(for: key)]
        let cap = maxKeysPerShard
        let limit = self.limit
        return shard.state.withLock { state in
            if let index = state.buckets.index(forKey: key) {
                return .bucket(state.buckets.values[index].take(limit: limit, now: now))
            }
            if state.buckets.count >= cap {
                // One sweep per second per shard bounds the work a flood of new keys can cause.
                if now &- state.lastOverflowSweep >= 1_000_000_000 || state.lastOverflowSweep == .min {
                    state.lastOverflowSweep = now
                    _ = state.evictFull(at: now)
                }
                if state.buckets.count >= cap { return .tableFull }
            }
            var bucket = TokenBucket()
            let result = bucket.take(limit: limit, now: now)
            state.buckets[key] = bucket
            return .bucket(result)
        }
    }

    /// Removes every bucket that has refilled completely at `now`; returns how many were removed.
    ///
    /// Run periodically (KrakenD's `cleanup_period`) off the request path; it rebuilds each shard's table.
    @discardableResult
    public func evictIdle(now: Int64) -> Int {
        var removed = 0
        for shard in shards {
            removed += shard.state.withLock { $0.evictFull(at: now) }
        }
        return removed
    }

    /// Number of tracked clients (locks every shard in turn; for tests and gauges, not the request path).
    public var count: Int {
        shards.reduce(0) { total, shard in total + shard.state.withLock { $0.buckets.count } }
    }

    /// Number of tracked clients in the shard `key` maps to.
    public func countInShard(of key: String) -> Int {
        shards[shardIndex(for: key)].state.withLock { $0.buckets.count }
    }

    /// The shard a key lives in; String hashing is seeded per process, so shard placement cannot be targeted.
    public func shardIndex(for key: String) -> Int {
        Int(UInt(bitPattern: key.hashValue) % UInt(shards.count))
    }
}

/// What a client bucket store decided.
public enum ClientBucketResult: Sendable, Hashable {
    /// The client's bucket decided.
    case bucket(BucketResult)
    /// The client is new and its shard is full of clients that are still limited: refused without a bucket.
    case tableFull
}

private final class Shard: Sendable {
    let state = Mutex(ShardState())
}

private struct ShardState {
    var buckets: [String: TokenBucket] = [:]
    var lastOverflowSweep: Int64 = .min

    mutating func evictFull(at now: Int64) -> Int {
        let before = buckets.count
        buckets = buckets.filter { !$0.value.isFull(at: now) }
        return before - buckets.count
    }
}
