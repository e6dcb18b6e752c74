import NIOCore

/// An ordered JSON value for the slow paths (flatmap, static data, encodings, error details).
///
/// The hot path (plain proxying, allow/deny/mapping, merging) stays byte-level; this tree is built only where a
/// feature must restructure a document. Numbers keep their literal text so that a round trip never changes
/// them (`1.50` stays `1.50`, as Go's `json.Number` would not but a float would).
enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as its literal JSON text (`"1.50"`, `"-3e2"`).
    case number(String)
    /// A string (unescaped).
    case string(String)
    /// An array, in order.
    case array([JSONValue])
    /// An object, members in order.
    case object(JSONObject)

    /// Parses one strict RFC 8259 document (depth limited by `limits`).
    init(parsing bytes: UnsafeRawBufferPointer, limits: JSONLimits = JSONLimits()) throws(JSONError) {
        if bytes.count > limits.maxBytes { throw .tooLarge(limit: limits.maxBytes, size: bytes.count) }
        var parser = JSONValueParser(bytes: bytes, maxDepth: limits.maxDepth)
        self = try parser.parseDocument()
    }

    /// Parses the readable bytes of `buffer`.
    init(parsing buffer: ByteBuffer, limits: JSONLimits = JSONLimits()) throws(JSONError) {
        let result: Result<JSONValue, JSONError> = buffer.withUnsafeReadableBytes { bytes in
            do throws(JSONError) {
                return .success(try JSONValue(parsing: bytes, limits: limits))
            } catch {
                return .failure(error)
            }
        }
        self = try result.get()
    }

    /// A configuration literal as JSON (static data, default bodies).
    init(_ value: ConfigValue) {
        switch value {
        case .null: self = .null
        case .bool(let bool): self = .bool(bool)
        case .integer(let integer): self = .number(String(integer))
        case .double(let double):
            // Non-finite numbers cannot come from a JSON or YAML file's number syntax; guard anyway.
            self = double.isFinite ? .number(Self.numberText(double)) : .null
        case .string(let string): self = .string(string)
        case .array(let array): self = .array(array.map(JSONValue.init))
        case .object(let object):
            self = .object(JSONObject(object.map { (key: $0.key, value: JSONValue($0.value)) }))
        }
    }

    /// The member `key`, if this is an object that has it.
    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The object, if this is one.
    var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// Compact JSON text, members in order.
    var jsonText: String {
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        write(into: &buffer)
        return String(buffer: buffer)
    }

    /// Writes compact JSON, members in order. Allocates only as `buffer` grows.
    func write(into buffer: inout ByteBuffer) {
        switch self {
        case .null: buffer.writeStaticString("null")
        case .bool(let bool): buffer.writeStaticString(bool ? "true" : "false")
        case .number(let text): buffer.writeString(text)
        case .string(let string): Self.writeString(string, into: &buffer)
        case .array(let array):
            buffer.writeInteger(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                element.write(into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "]"))
        case .object(let object):
            buffer.writeInteger(UInt8(ascii: "{"))
            for (index, member) in object.enumerated() {
                if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                Self.writeString(member.key, into: &buffer)
                buffer.writeInteger(UInt8(ascii: ":"))
                member.value.write(into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "}"))
        }
    }

    /// Writes `string` as a JSON string literal, escaping what RFC 8259 requires plus `<`, `>`, `&` as Go's
    /// `encoding/json` does (so HTML-embedded output matches KrakenD's).
    static func writeString(_ string: String, into buffer: inout ByteBuffer) {
        var string = string
        string.withUTF8 { writeString(utf8: UnsafeRawBufferPointer($0), into: &buffer) }
    }

    /// `writeString` for UTF-8 bytes in hand (a `string` backend body): unescaped runs are copied whole.
    static func writeString(utf8 bytes: UnsafeRawBufferPointer, into output: inout ByteBuffer) {
        output.writeInteger(UInt8(ascii: "\""))
        var runStart = 0
        for index in bytes.indices {
            let byte = bytes[index]
            guard
                byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "<")
                    || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")
            else { continue }
            output.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
            runStart = index + 1
            switch byte {
            case UInt8(ascii: "\""): output.writeStaticString("\\\"")
            case UInt8(ascii: "\\"): output.writeStaticString("\\\\")
            case 0x0A: output.writeStaticString("\\n")
            case 0x0D: output.writeStaticString("\\r")
            case 0x09: output.writeStaticString("\\t")
            default:
                output.writeStaticString("\\u00")
                output.writeInteger(hexDigits[Int(byte >> 4)])
                output.writeInteger(hexDigits[Int(byte & 0x0F)])
            }
        }
        output.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        output.writeInteger(UInt8(ascii: "\""))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The shortest text that reads back as `double`; integral values without a fraction, as Go prints them.
    static func numberText(_ double: Double) -> String {
        if double == double.rounded(), abs(double) < 1e21 { return String(Int64(double)) }
        return "\(double)"
    }
}

/// An ordered JSON object: members keep insertion order; keys are unique (setting an existing key replaces its
/// value in place, as Go's map-then-encode would keep one value).
struct JSONObject: Sendable, Equatable, Sequence {
    private var members: [(key: String, value: JSONValue)]

    /// An empty object.
    init() { members = [] }

    /// An object from `members`; a later duplicate key replaces the earlier value in place.
    init(_ members: [(key: String, value: JSONValue)]) {
        self.members = []
        self.members.reserveCapacity(members.count)
        for member in members { self[member.key] = member.value }
    }

    /// The value of `key`; setting nil removes the member, setting a new key appends it.
    subscript(key: String) -> JSONValue? {
        get { members.first { $0.key == key }?.value }
        set {
            let index = members.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let index?, let value?): members[index].value = value
            case (let index?, nil): members.remove(at: index)
            case (nil, let value?): members.append((key, value))
            case (nil, nil): break
            }
        }
    }

    /// Member names, in order.
    var keys: [String] { members.map(\.key) }
    /// Number of members.
    var count: Int { members.count }
    /// True when there are no members.
    var isEmpty: Bool { members.isEmpty }

    func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> {
        members.makeIterator()
    }

    static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

/// A strict recursive-descent parser for `JSONValue` (RFC 8259; depth-limited; UTF-8 validated by `String`).
private struct JSONValueParser {
    let bytes: UnsafeRawBufferPointer
    let maxDepth: Int
    var index = 0
    var depth = 0

    init(bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if index != bytes.count { throw .invalidJSON(offset: index, reason: .trailingData) }
        return value
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func peek() throws(JSONError) -> UInt8 {
        guard index < bytes.count else { throw .invalidJSON(offset: index, reason: .unexpectedEnd) }
        return bytes[index]
    }

    private mutating func parseValue() throws(JSONError) -> JSONValue {
        switch try peek() {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectWord("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectWord("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectWord("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            throw .invalidJSON(offset: index, reason: .unexpectedByte)
        }
    }

    private mutating func expectWord(_ word: StaticString) throws(JSONError) {
        let length = word.utf8CodeUnitCount
        guard index + length <= bytes.count else { throw .invalidJSON(offset: index, reason: .unexpectedEnd) }
        for offset in 0..<length where bytes[index + offset] != word.utf8Start[offset] {
            throw .invalidJSON(offset: index + offset, reason: .unexpectedByte)
        }
        index += length
    }

    private mutating func enter() throws(JSONError) {
        depth += 1
        if depth > maxDepth { throw .tooDeep(limit: maxDepth, offset: index) }
    }

    private mutating func parseObject() throws(JSONError) -> JSONValue {
        try enter()
        index += 1
        var object = JSONObject()
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else { throw .invalidJSON(offset: index, reason: .unexpectedByte) }
            let key = try parseString()
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw .invalidJSON(offset: index, reason: .unexpectedByte) }
            index += 1
            skipWhitespace()
            object[key] = try parseValue()
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(object)
            default: throw .invalidJSON(offset: index, reason: .unexpectedByte)
            }
        }
    }

    private mutating func parseArray() throws(JSONError) -> JSONValue {
        try enter()
        index += 1
        var array: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(array)
        }
        while true {
            skipWhitespace()
            array.append(try parseValue())
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(array)
            default: throw .invalidJSON(offset: index, reason: .unexpectedByte)
            }
        }
    }

    private mutating func parseNumber() throws(JSONError) -> String {
        let start = index
        func digits(_ parser: inout JSONValueParser) -> Int {
            let begin = parser.index
            while parser.index < parser.bytes.count, (0x30...0x39).contains(parser.bytes[parser.index]) {
                parser.index += 1
            }
            return parser.index - begin
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw .invalidJSON(offset: index, reason: .invalidNumber) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits(&self) == 0 {
            throw .invalidJSON(offset: index, reason: .invalidNumber)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            if digits(&self) == 0 { throw .invalidJSON(offset: index, reason: .invalidNumber) }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            if digits(&self) == 0 { throw .invalidJSON(offset: index, reason: .invalidNumber) }
        }
        if index < bytes.count, (0x30...0x39).contains(bytes[index]) {
            // A leading zero followed by digits ("01").
            throw .invalidJSON(offset: index, reason: .invalidNumber)
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    private mutating func parseString() throws(JSONError) -> String {
        index += 1  // the opening quote
        var scalars: [UInt8] = []
        var runStart = index
        while true {
            guard index < bytes.count else { throw .invalidJSON(offset: index, reason: .unexpectedEnd) }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                scalars.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                index += 1
                guard let string = String(validating: scalars, as: UTF8.self) else {
                    throw .invalidJSON(offset: index - 1, reason: .invalidUTF8)
                }
                return string
            case UInt8(ascii: "\\"):
                scalars.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                try parseEscape(into: &scalars)
                runStart = index
            case 0x00..<0x20:
                throw .invalidJSON(offset: index, reason: .controlCharacter)
            default:
                index += 1
            }
        }
    }

    private mutating func parseEscape(into output: inout [UInt8]) throws(JSONError) {
        let escapeOffset = index
        index += 1
        guard index < bytes.count else { throw .invalidJSON(offset: index, reason: .unexpectedEnd) }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(byte)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try hex4())
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw .invalidJSON(offset: escapeOffset, reason: .invalidEscape) }
                index += 2
                let low = UInt32(try hex4())
                guard (0xDC00..<0xE000).contains(low) else {
                    throw .invalidJSON(offset: escapeOffset, reason: .invalidEscape)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw .invalidJSON(offset: escapeOffset, reason: .invalidEscape)
            }
            guard let unicode = Unicode.Scalar(scalar) else {
                throw .invalidJSON(offset: escapeOffset, reason: .invalidEscape)
            }
            output.append(contentsOf: String(Character(unicode)).utf8)
        default:
            throw .invalidJSON(offset: escapeOffset, reason: .invalidEscape)
        }
    }

    private mutating func hex4() throws(JSONError) -> UInt16 {
        guard index + 4 <= bytes.count else { throw .invalidJSON(offset: index, reason: .unexpectedEnd) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let digit = JSONStringUnescaper.hexValue(bytes[index]) else {
                throw .invalidJSON(offset: index, reason: .invalidEscape)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }
}
