/// The `Decoder` behind `ConfigValueDecoder`: one instance per nested value, holding that value and its path.
final class ConfigValueDecoding: Decoder {
    let value: ConfigValue
    let codingPath: [any CodingKey]
    let sendableUserInfo: [CodingUserInfoKey: any Sendable]

    var userInfo: [CodingUserInfoKey: Any] { sendableUserInfo }

    init(value: ConfigValue, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: any Sendable]) {
        self.value = value
        self.codingPath = codingPath
        self.sendableUserInfo = userInfo
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else {
            throw mismatch(Any.self, expected: "an object", got: value, at: codingPath)
        }
        return KeyedDecodingContainer(ConfigValueKeyedContainer<Key>(decoder: self, object: object))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let array) = value else {
            throw mismatch(Any.self, expected: "an array", got: value, at: codingPath)
        }
        return ConfigValueUnkeyedContainer(decoder: self, array: array)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        ConfigValueSingleValueContainer(decoder: self)
    }

    /// A decoder for a nested value.
    func nested(_ value: ConfigValue, key: any CodingKey) -> ConfigValueDecoding {
        ConfigValueDecoding(value: value, codingPath: codingPath + [key], userInfo: sendableUserInfo)
    }

    // MARK: - Typed reads shared by the three containers

    /// Decodes `type` from `value` found at `path`, handling the types with configuration-specific rules.
    func unbox<T: Decodable>(_ value: ConfigValue, as type: T.Type, at path: [any CodingKey]? = nil) throws -> T {
        let path = path ?? codingPath
        if let raw = value as? T { return raw }
        if T.self == Duration.self {
            if let duration = try unboxDuration(value, at: path) as? T { return duration }
        }
        if T.self == String.self, let string = try unboxString(value, at: path) as? T { return string }
        if T.self == Bool.self, let bool = try unboxBool(value, at: path) as? T { return bool }
        if T.self == Int.self, let integer = try unboxInteger(value, as: Int.self, at: path) as? T { return integer }
        if T.self == Double.self, let double = try unboxFloat(value, as: Double.self, at: path) as? T { return double }
        let decoder = path.count == codingPath.count ? self : decoder(for: value, at: path)
        do {
            return try T(from: decoder)
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.count == path.count {
            // A String-backed enum that rejected the value says only "cannot initialize"; list its cases instead.
            guard let cases = ConfigValueDecoding.stringCases(of: T.self) else {
                throw DecodingError.dataCorrupted(context)
            }
            let list = cases.map(ConfigValue.quoted).joined(separator: ", ")
            throw mismatch(T.self, expected: "one of \(list)", got: value, at: path)
        }
    }

    /// A decoder for `value` found at `path`.
    func decoder(for value: ConfigValue, at path: [any CodingKey]) -> ConfigValueDecoding {
        ConfigValueDecoding(value: value, codingPath: path, userInfo: sendableUserInfo)
    }

    func unboxString(_ value: ConfigValue, at path: [any CodingKey]) throws -> String {
        guard case .string(let string) = value else {
            throw mismatch(String.self, expected: "a string", got: value, at: path)
        }
        return string
    }

    func unboxBool(_ value: ConfigValue, at path: [any CodingKey]) throws -> Bool {
        guard case .bool(let bool) = value else {
            throw mismatch(Bool.self, expected: "a boolean", got: value, at: path)
        }
        return bool
    }

    func unboxInteger<I: FixedWidthInteger>(_ value: ConfigValue, as type: I.Type, at path: [any CodingKey]) throws -> I
    {
        guard let integer = value.integerValue else {
            throw mismatch(I.self, expected: "an integer", got: value, at: path)
        }
        guard let exact = I(exactly: integer) else {
            throw mismatch(I.self, expected: "an integer between \(I.min) and \(I.max)", got: value, at: path)
        }
        return exact
    }

    func unboxFloat<F: BinaryFloatingPoint>(_ value: ConfigValue, as type: F.Type, at path: [any CodingKey]) throws -> F
    {
        guard let double = value.doubleValue else {
            throw mismatch(F.self, expected: "a number", got: value, at: path)
        }
        return F(double)
    }

    func unboxDuration(_ value: ConfigValue, at path: [any CodingKey]) throws -> Duration {
        guard case .string(let text) = value, let nanoseconds = GoDuration.nanoseconds(text), nanoseconds >= 0 else {
            throw mismatch(Duration.self, expected: "a duration like \"2s\"", got: value, at: path)
        }
        return .nanoseconds(nanoseconds)
    }

    func mismatch(
        _ type: Any.Type,
        expected: String,
        got value: ConfigValue,
        at path: [any CodingKey]
    )
        -> DecodingError
    {
        let context = DecodingError.Context(
            codingPath: path,
            debugDescription: "expected \(expected), got \(value.renderedForMessage())"
        )
        if value == .null { return .valueNotFound(type, context) }
        return .typeMismatch(type, context)
    }

    /// The raw values of a `String`-backed `CaseIterable` type, so a wrong value can be answered with the list.
    static func stringCases(of type: Any.Type) -> [String]? {
        guard let iterable = type as? any CaseIterable.Type else { return nil }
        let cases = rawStrings(of: iterable)
        return cases.isEmpty ? nil : cases
    }

    private static func rawStrings<C: CaseIterable>(of type: C.Type) -> [String] {
        var strings: [String] = []
        for element in C.allCases {
            guard let raw = element as? any RawRepresentable, let string = raw.rawValue as? String else { return [] }
            strings.append(string)
        }
        return strings
    }
}

/// The coding key of an array element, printed as `[index]` in paths.
struct ConfigIndexKey: CodingKey {
    let intValue: Int?
    let stringValue: String

    init(_ index: Int) {
        intValue = index
        stringValue = "Index \(index)"
    }

    init?(intValue: Int) { self.init(intValue) }

    init?(stringValue: String) { nil }
}

/// A plain string coding key, for `superDecoder()`.
struct ConfigNameKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }

    init?(stringValue: String) { self.init(stringValue) }

    init?(intValue: Int) { nil }
}
