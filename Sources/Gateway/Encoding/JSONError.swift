/// Why a JSON body was rejected. Every case is a backend failure for the gateway (KrakenD treats an undecodable
/// body the same way), so the cases carry enough for a log line and nothing for the client.
public enum JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not RFC 8259 JSON: `offset` is the byte where it went wrong.
    case invalidJSON(offset: Int, reason: Reason)
    /// A complete, valid document whose top-level value is not an object (no `is_collection`).
    case notAnObject(found: JSONKind)
    /// A complete, valid document whose top-level value is not an array (`is_collection: true`).
    case notAnArray(found: JSONKind)
    /// More than `limit` containers nested inside each other; `offset` is the opening bracket past the limit.
    case tooDeep(limit: Int, offset: Int)
    /// The document is `size` bytes, more than `limit`.
    case tooLarge(limit: Int, size: Int)

    /// What exactly is wrong at the offset of an `invalidJSON` error.
    public enum Reason: Sendable, Hashable {
        /// The document ends in the middle of a value (or is empty).
        case unexpectedEnd
        /// A byte that cannot start or continue a value here.
        case unexpectedByte
        /// A backslash escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`.
        case invalidEscape
        /// A byte sequence in a string that is not well-formed UTF-8.
        case invalidUTF8
        /// An unescaped byte below 0x20 in a string.
        case controlCharacter
        /// A number that breaks the grammar: leading zero, lone `-`, `1.`, `1e`.
        case invalidNumber
        /// Something other than whitespace after the top-level value.
        case trailingData
    }

    /// A one-line description for logs.
    public var description: String {
        switch self {
        case .invalidJSON(let offset, let reason): "invalid JSON at byte \(offset): \(reason)"
        case .notAnObject(let found): "expected a JSON object, got \(found)"
        case .notAnArray(let found): "expected a JSON array (is_collection), got \(found)"
        case .tooDeep(let limit, let offset): "JSON nested deeper than \(limit) at byte \(offset)"
        case .tooLarge(let limit, let size): "JSON body of \(size) bytes exceeds the limit of \(limit)"
        }
    }
}
