/// The kind of a JSON value, as told by its first byte.
public enum JSONKind: Sendable, Hashable, CustomStringConvertible {
    /// `{...}`
    case object
    /// `[...]`
    case array
    /// `"..."`
    case string
    /// `-1.5e3` and friends.
    case number
    /// `true` or `false`.
    case bool
    /// `null`.
    case null

    /// The kind of the value whose first (non-whitespace) byte is `byte`; the value must already be valid.
    init(firstByte byte: UInt8) {
        switch byte {
        case UInt8(ascii: "{"): self = .object
        case UInt8(ascii: "["): self = .array
        case UInt8(ascii: "\""): self = .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): self = .bool
        case UInt8(ascii: "n"): self = .null
        default: self = .number
        }
    }

    /// The JSON name of the kind, for error messages.
    public var description: String {
        switch self {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .number: "number"
        case .bool: "boolean"
        case .null: "null"
        }
    }
}
