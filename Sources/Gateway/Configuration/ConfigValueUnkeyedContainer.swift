/// The unkeyed container of `ConfigValueDecoding`: reads an array's elements in order.
struct ConfigValueUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: ConfigValueDecoding
    let array: [ConfigValue]
    private(set) var currentIndex = 0

    init(decoder: ConfigValueDecoding, array: [ConfigValue]) {
        self.decoder = decoder
        self.array = array
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { array.count }
    var isAtEnd: Bool { currentIndex >= array.count }

    /// Reads the current element with `read` and moves past it only on success.
    private mutating func next<T>(
        _ type: T.Type,
        _ read: (ConfigValueDecoding, ConfigValue, [any CodingKey]) throws -> T
    ) throws -> T {
        let path = codingPath + [ConfigIndexKey(currentIndex)]
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                T.self,
                DecodingError.Context(
                    codingPath: path,
                    debugDescription: "expected another element, but the array has only \(array.count)"
                )
            )
        }
        let result = try read(decoder, array[currentIndex], path)
        currentIndex += 1
        return result
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, array[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type) { try $0.unboxBool($1, at: $2) } }
    mutating func decode(_ type: String.Type) throws -> String { try next(type) { try $0.unboxString($1, at: $2) } }
    mutating func decode(_ type: Double.Type) throws -> Double {
        try next(type) { try $0.unboxFloat($1, as: type, at: $2) }
    }
    mutating func decode(_ type: Float.Type) throws -> Float {
        try next(type) { try $0.unboxFloat($1, as: type, at: $2) }
    }
    mutating func decode(_ type: Int.Type) throws -> Int {
        try next(type) { try $0.unboxInteger($1, as: type, at: $2) }
    }
    mutating func decode(_ type: Int8.Type) throws -> Int8 {
        try next(type) { try $0.unboxInteger($1, as: type, at: $2) }
    }
    mutating func decode(_ type: Int16.Type) throws -> Int16 {
        try next(type) { try $0.unboxInteger($1, as: type, at: $2) }
    }
    mutating func decode(_ type: Int32.Type) throws -> Int32 {
        try next(type) { try $0.unboxInteger($1, as: type, at: $2) }
    }
    mutating func decode(_ type: Int64.Type) throws -> Int64 {
        try next(type) { try $0.unboxInteger($1, as: type, at: $2) }
    }
    mutating func decode(_ type: UInt.Type) throws -> UInt {
        try next(type) { try $0.unboxInteger($1, as: type, at: $2) }
    }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 {
        try next(type) { try $0.unboxInteger($1, as: type, at: $2) }
    }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 {
        try next(type) { try $0.unboxInteger($1, as: type, at: $2) }
    }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 {
        try next(type) { try $0.unboxInteger($1, as: type, at: $2) }
    }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 {
        try next(type) { try $0.unboxInteger($1, as: type, at: $2) }
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try next(type) { try $0.unbox($1, as: type, at: $2) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try next(KeyedDecodingContainer<NestedKey>.self) { try $0.decoder(for: $1, at: $2).container(keyedBy: type) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next((any UnkeyedDecodingContainer).self) { try $0.decoder(for: $1, at: $2).unkeyedContainer() }
    }

    mutating func superDecoder() throws -> any Decoder {
        try next((any Decoder).self) { $0.decoder(for: $1, at: $2) }
    }
}
