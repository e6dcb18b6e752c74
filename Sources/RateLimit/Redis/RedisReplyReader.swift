import CHiredis
import NIOCore

/// hiredis's incremental RESP reader (`redisReaderCreate` / `Feed` / `GetReply`), owned by one channel.
///
/// Not thread-safe: it lives in a channel handler and is used only on that channel's event loop.
final class RedisReplyReader {
    private let reader: UnsafeMutablePointer<redisReader>

    init() throws(RedisError) {
        guard let reader = redisReaderCreate() else { throw RedisError.protocolError("redisReaderCreate failed") }
        self.reader = reader
    }

    deinit {
        redisReaderFree(reader)
    }

    /// Hands received bytes to hiredis (it copies them into its own buffer).
    func feed(_ buffer: ByteBuffer) throws(RedisError) {
        let status = buffer.withUnsafeReadableBytes { bytes -> Int32 in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return REDIS_OK }
            return redisReaderFeed(reader, base.assumingMemoryBound(to: CChar.self), bytes.count)
        }
        guard status == REDIS_OK else { throw RedisError.protocolError(errorText()) }
    }

    /// The next complete reply, or nil when more bytes are needed.
    func next() throws(RedisError) -> RedisValue? {
        var reply: UnsafeMutableRawPointer? = nil
        guard redisReaderGetReply(reader, &reply) == REDIS_OK else { throw RedisError.protocolError(errorText()) }
        guard let reply else { return nil }
        defer { freeReplyObject(reply) }
        return Self.convert(reply.assumingMemoryBound(to: redisReply.self))
    }

    private func errorText() -> String {
        withUnsafeBytes(of: reader.pointee.errstr) { bytes in
            let text = bytes.prefix { $0 != 0 }
            return String(decoding: text, as: UTF8.self)
        }
    }

    /// Depth is bounded by hiredis itself (its reader refuses nesting deeper than 7 levels).
    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RedisValue {
        let value = reply.pointee
        switch value.type {
        case REDIS_REPLY_INTEGER:
            return .integer(value.integer)
        case REDIS_REPLY_NIL:
            return .null
        case REDIS_REPLY_STATUS:
            return .simpleString(text(value))
        case REDIS_REPLY_ERROR:
            return .error(text(value))
        case REDIS_REPLY_STRING:
            return .bulkString(bytes(value))
        case REDIS_REPLY_ARRAY:
            var elements: [RedisValue] = []
            elements.reserveCapacity(value.elements)
            if let children = value.element {
                for index in 0..<value.elements {
                    if let child = children[index] { elements.append(convert(child)) } else { elements.append(.null) }
                }
            }
            return .array(elements)
        default:
            return .null
        }
    }

    private static func bytes(_ value: redisReply) -> [UInt8] {
        guard let pointer = value.str, value.len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: value.len))
    }

    private static func text(_ value: redisReply) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }
}
