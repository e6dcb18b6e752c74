import NIOCore
import NIOPosix
import PorticoTestSupport
import Testing

@testable import RateLimit

@Suite("Redis client over hiredis and NIO", .serialized)
struct RedisClientTests {
    @Test func pipelinedCommandsGetTheirOwnReplies() async throws {
        let server = try RedisServerProcess()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let pool = try RedisConnectionPool(
            configuration: RedisConnectionPoolConfiguration(name: "test", address: server.address, poolSize: 2),
            group: group
        )
        let loop = group.next()
        try await pool.waitForConnections(2, on: loop).get()
        #expect(try await pool.send(["PING"], on: loop).get() == .simpleString("PONG"))
        let writes = (0..<200).map { pool.send(["SET", "order:\($0)", "total-\($0)"], on: group.next()) }
        for write in writes { #expect(try await write.get() == .simpleString("OK")) }
        let reads = (0..<200).map { pool.send(["GET", "order:\($0)"], on: group.next()) }
        for (index, read) in reads.enumerated() { #expect(try await read.get().string == "total-\(index)") }
        #expect(try await pool.send(["GET", "missing"], on: loop).get() == .null)
        #expect(try await pool.send(["INCRBY", "counter", "41"], on: loop).get() == .integer(41))
        let error = try await pool.send(["LPUSH", "order:1", "x"], on: loop).get()
        guard case .error(let message) = error else {
            Issue.record("expected an error reply, got \(error)")
            return
        }
        #expect(message.hasPrefix("WRONGTYPE"))
        let array = try await pool.send(["MGET", "order:1", "missing"], on: loop).get()
        #expect(array == .array([.bulkString(Array("total-1".utf8)), .null]))
        try await pool.shutdown().get()
        #expect(throws: RedisError.shutdown) { try pool.send(["PING"], on: loop).wait() }
        try await group.shutdownGracefully()
        server.stop()
    }

    @Test func failsFastWhenRedisIsDownAndReconnectsWhenItReturns() async throws {
        let server = try RedisServerProcess()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let pool = try RedisConnectionPool(
            configuration: RedisConnectionPoolConfiguration(name: "test", address: server.address, poolSize: 1),
            group: group
        )
        let loop = group.next()
        try await pool.waitForConnections(on: loop).get()
        server.stop()
        try await Task.sleep(for: .milliseconds(50))
        let clock = ContinuousClock()
        let started = clock.now
        await #expect(throws: RedisError.self) { try await pool.send(["PING"], on: loop).get() }
        #expect(clock.now - started < .milliseconds(150))
        try server.start()
        try await pool.waitForConnections(on: loop, timeout: .seconds(2)).get()
        #expect(try await pool.send(["PING"], on: loop).get() == .simpleString("PONG"))
        try await pool.shutdown().get()
        try await group.shutdownGracefully()
        server.stop()
    }

    @Test func scriptShaMatchesRedis() async throws {
        let server = try RedisServerProcess()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let pool = try RedisConnectionPool(
            configuration: RedisConnectionPoolConfiguration(name: "test", address: server.address, poolSize: 1),
            group: group
        )
        let loop = group.next()
        try await pool.waitForConnections(on: loop).get()
        let sha = try await pool.send(["SCRIPT", "LOAD", GCRAScript.source], on: loop).get()
        #expect(sha.string == GCRAScript.sha1)
        #expect(SHA1.hexDigest("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d")
        try await pool.shutdown().get()
        try await group.shutdownGracefully()
        server.stop()
    }
}
