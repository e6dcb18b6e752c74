/// One RESP2 reply, converted from hiredis's `redisReply`.
public enum RedisValue: Sendable, Hashable {
    /// `+OK`.
    case simpleString(String)
    /// `-ERR …` (a reply, not a transport failure).
    case error(String)
    /// `:42`.
    case integer(Int64)
    /// `$3\r\nabc`.
    case bulkString([UInt8])
    /// `$-1` or `*-1`.
    case null
    /// `*2\r\n…`.
    indirect case array([RedisValue])

    /// The integer value of an integer reply.
    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The text of a simple or bulk string reply.
    public var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// The elements of an array reply.
    public var array: [RedisValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }
}
