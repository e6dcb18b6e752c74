/// The Lua script that makes one atomic cluster decision over one or two buckets, on Redis's own clock.
///
/// GCRA per bucket: a key holds the bucket's theoretical arrival time in microseconds of Redis `TIME`. The
/// script grants the largest count in `[minimum, wanted]` that every bucket can afford, charges all buckets or
/// none, and sets each key to expire when its bucket would be full again (an idle bucket costs Redis nothing).
///
/// `KEYS`: the buckets. `ARGV[1]`: tokens wanted; `ARGV[2]`: the minimum grant; then per bucket its interval
/// and tolerance in microseconds. Reply: `{granted, limiting bucket (1-based, 0 when granted), retry µs,` then
/// per bucket `remaining, reset µs}`.
enum GCRAScript {
    static let source = """
        if redis.replicate_commands then redis.replicate_commands() end
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
        local wanted = tonumber(ARGV[1])
        local minimum = tonumber(ARGV[2])
        local grant = wanted
        local limiting = 0
        local arrivals = {}
        for i = 1, #KEYS do
          local interval = tonumber(ARGV[1 + 2 * i])
          local tolerance = tonumber(ARGV[2 + 2 * i])
          local arrival = now
          local stored = redis.call('GET', KEYS[i])
          if stored then arrival = math.max(tonumber(stored), now) end
          arrivals[i] = arrival
          local available = math.floor((tolerance - (arrival - now)) / interval)
          if available < grant then
            grant = available
            limiting = i
          end
        end
        local reply = {0, limiting, 0}
        if grant < minimum then
          local interval = tonumber(ARGV[1 + 2 * limiting])
          local tolerance = tonumber(ARGV[2 + 2 * limiting])
          reply[3] = arrivals[limiting] + minimum * interval - tolerance - now
          for i = 1, #KEYS do
            local bucketInterval = tonumber(ARGV[1 + 2 * i])
            local bucketTolerance = tonumber(ARGV[2 + 2 * i])
            reply[#reply + 1] = math.max(math.floor((bucketTolerance - (arrivals[i] - now)) / bucketInterval), 0)
            reply[#reply + 1] = arrivals[i] - now
          end
          return reply
        end
        reply[1] = grant
        reply[2] = 0
        for i = 1, #KEYS do
          local interval = tonumber(ARGV[1 + 2 * i])
          local tolerance = tonumber(ARGV[2 + 2 * i])
          local arrival = arrivals[i] + grant * interval
          local ttl = math.ceil((arrival - now) / 1000) + 1
          redis.call('SET', KEYS[i], string.format('%.0f', arrival), 'PX', string.format('%.0f', ttl))
          reply[#reply + 1] = math.floor((tolerance - (arrival - now)) / interval)
          reply[#reply + 1] = arrival - now
        end
        return reply
        """

    /// The script's SHA-1, for `EVALSHA`.
    static let sha1 = SHA1.hexDigest(source)

    /// One bucket's arguments in microseconds; the interval is rounded up so Redis can only admit less.
    static func arguments(for limit: BucketLimit, reserve: Int64 = 0) -> (interval: String, tolerance: String) {
        let interval = max((limit.interval + 999) / 1_000, 1)
        let tolerance = max(interval * Int64(limit.capacity) - reserve / 1_000, interval)
        return (String(interval), String(tolerance))
    }

    /// A parsed reply.
    struct Reply: Sendable, Hashable {
        /// One bucket's state after the decision.
        struct Bucket: Sendable, Hashable {
            var remaining: Int
            var resetMicroseconds: Int64
        }

        var granted: Int
        var limitingBucket: Int
        var retryMicroseconds: Int64
        var buckets: [Bucket]

        /// Parses the script's reply for `bucketCount` buckets.
        init(_ value: RedisValue, bucketCount: Int) throws(RedisError) {
            if case .error(let message) = value { throw RedisError.serverError(message) }
            guard let elements = value.array, elements.count == 3 + 2 * bucketCount else {
                throw RedisError.unexpectedReply
            }
            var numbers: [Int64] = []
            numbers.reserveCapacity(elements.count)
            for element in elements {
                guard let number = element.integer else { throw RedisError.unexpectedReply }
                numbers.append(number)
            }
            guard numbers[1] >= 0, numbers[1] <= Int64(bucketCount) else { throw RedisError.unexpectedReply }
            self.granted = Int(clamping: numbers[0])
            self.limitingBucket = Int(numbers[1])
            self.retryMicroseconds = max(numbers[2], 0)
            self.buckets = (0..<bucketCount).map {
                Bucket(
                    remaining: Int(clamping: max(numbers[3 + 2 * $0], 0)),
                    resetMicroseconds: max(numbers[4 + 2 * $0], 0)
                )
            }
        }
    }
}
