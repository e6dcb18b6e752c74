/// Why a Redis operation produced no reply.
public enum RedisError: Error, Sendable, Hashable {
    /// No connection of the pool is up (connecting, or backing off after a failure).
    case notConnected
    /// The operation did not complete within its timeout.
    case timeout
    /// The connection closed with the operation outstanding.
    case connectionClosed
    /// Too many operations are outstanding on every connection.
    case overloaded
    /// The server sent bytes hiredis could not parse, or a reply nobody asked for.
    case protocolError(String)
    /// The server answered with an error reply where a value was needed.
    case serverError(String)
    /// The reply had an unexpected shape.
    case unexpectedReply
    /// The pool was shut down.
    case shutdown
}
