/// A JSON value parsed from a token header or payload (or a JWKS), with object members kept in document order.
///
/// Numbers keep their source text, so integer claims wider than a `Double` mantissa are not silently rounded
/// when they are propagated to backends.
public enum JSONValue: Sendable, Equatable {
    /// A JSON string.
    case string(String)
    /// A JSON number: its literal text and its value as a `Double` (may be infinite for huge literals).
    case number(literal: String, value: Double)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null
    /// A JSON array.
    case array([JSONValue])
    /// A JSON object; member names are unique (the parser rejects duplicates).
    case object([(String, JSONValue)])

    /// The member named `name` when this is an object.
    public subscript(name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for (key, value) in members where key == name { return value }
        return nil
    }

    /// The string payload, when this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The numeric value, when this is a finite number.
    public var doubleValue: Double? {
        if case .number(_, let value) = self, value.isFinite { return value }
        return nil
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The members, when this is an object.
    public var objectValue: [(String, JSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.number(let a, _), .number(let b, _)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }
}
