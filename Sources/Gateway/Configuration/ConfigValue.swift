/// One value of a configuration file, as parsed from JSON or YAML, before any typing.
///
/// Integers and floating-point numbers stay apart (`5` is `.integer(5)`, `5.0` is `.double(5.0)`), so a field that
/// wants an integer can say so. An integer literal too large for `Int` becomes `.double`. Objects keep file order.
/// `"@comment"` keys are dropped by the parsers and never appear here.
public enum ConfigValue: Sendable, Equatable {
    /// JSON `null`, YAML `~` / `null` / an empty value.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without fraction or exponent that fits `Int`.
    case integer(Int)
    /// Any other number.
    case double(Double)
    /// A string.
    case string(String)
    /// An array, in file order.
    case array([ConfigValue])
    /// An object, in file order.
    case object(ConfigObject)
}

extension ConfigValue {
    /// The object, if this is one.
    public var objectValue: ConfigObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// The array, if this is one.
    public var arrayValue: [ConfigValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// The boolean, if this is one.
    public var boolValue: Bool? {
        if case .bool(let bool) = self { return bool }
        return nil
    }

    /// The integer, if this is an integer or a floating-point number with an exact integer value.
    public var integerValue: Int? {
        switch self {
        case .integer(let integer):
            return integer
        case .double(let double):
            // Int(exactly:) is nil for fractions, NaN, infinities and anything outside Int's range.
            return Int(exactly: double)
        default:
            return nil
        }
    }

    /// The number as a `Double`, if this is an integer or a floating-point number.
    public var doubleValue: Double? {
        switch self {
        case .integer(let integer): return Double(integer)
        case .double(let double): return double
        default: return nil
        }
    }

    /// The value under `key`, if this is an object that has it.
    public subscript(key: String) -> ConfigValue? {
        objectValue?[key]
    }
}

extension ConfigValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// `nil` is `.null`.
    public init(nilLiteral: ()) { self = .null }
    /// A boolean literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An integer literal.
    public init(integerLiteral value: Int) { self = .integer(value) }
    /// A floating-point literal.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// A string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An array literal.
    public init(arrayLiteral elements: ConfigValue...) { self = .array(elements) }
    /// A dictionary literal, keeping the order written.
    public init(dictionaryLiteral elements: (String, ConfigValue)...) {
        self = .object(ConfigObject(elements))
    }
}
