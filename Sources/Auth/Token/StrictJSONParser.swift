/// A small JSON parser (RFC 8259) for token headers, payloads and JWKS documents, stricter than Foundation's:
/// invalid UTF-8, lone surrogates, duplicate member names, trailing bytes and nesting deeper than
/// `maximumDepth` are errors, never "last one wins".
///
/// Recursion is bounded by `maximumDepth`. Allocates the resulting values (strings, arrays, member lists) and,
/// for objects with many members, one `Set` for duplicate detection.
public struct StrictJSONParser {
    /// Why a document was refused.
    public enum ParseError: Error, Equatable, Sendable {
        /// The bytes are not JSON, or not valid UTF-8.
        case malformed(offset: Int)
        /// An object repeats a member name.
        case duplicateMember(String)
        /// Arrays and objects nest deeper than allowed.
        case tooDeep
    }

    /// The deepest array/object nesting accepted; the top-level value is depth 1.
    public let maximumDepth: Int

    /// Creates a parser accepting nesting up to `maximumDepth` levels.
    public init(maximumDepth: Int = 32) {
        self.maximumDepth = maximumDepth
    }

    /// Parses one complete JSON document.
    public func parse(_ bytes: [UInt8]) throws(ParseError) -> JSONValue {
        var cursor = Cursor(bytes: bytes, maximumDepth: maximumDepth)
        cursor.skipWhitespace()
        let value = try cursor.parseValue(depth: 0)
        cursor.skipWhitespace()
        guard cursor.index == bytes.count else { throw .malformed(offset: cursor.index) }
        return value
    }
}

private struct Cursor {
    let bytes: [UInt8]
    let maximumDepth: Int
    var index = 0

    init(bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    typealias ParseError = StrictJSONParser.ParseError

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    func fail() -> ParseError { .malformed(offset: index) }

    mutating func parseValue(depth: Int) throws(ParseError) -> JSONValue {
        guard index < bytes.count else { throw fail() }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default: return try parseNumber()
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(ParseError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail() }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] { throw fail() }
        index += count
    }

    mutating func parseObject(depth: Int) throws(ParseError) -> JSONValue {
        guard depth <= maximumDepth else { throw .tooDeep }
        index += 1
        var members: [(String, JSONValue)] = []
        var seen: Set<String>? = nil
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail() }
            let name = try parseString()
            // Linear scan is cheapest for the handful of members a token has; a set takes over for big objects.
            if members.count < 16 {
                for (existing, _) in members where existing == name { throw .duplicateMember(name) }
            } else {
                if seen == nil { seen = Set(members.map(\.0)) }
                guard seen?.insert(name).inserted == true else { throw .duplicateMember(name) }
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail() }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            members.append((name, value))
            skipWhitespace()
            guard index < bytes.count else { throw fail() }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { throw fail() }
            index += 1
            return .object(members)
        }
    }

    mutating func parseArray(depth: Int) throws(ParseError) -> JSONValue {
        guard depth <= maximumDepth else { throw .tooDeep }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw fail() }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else { throw fail() }
            index += 1
            return .array(elements)
        }
    }

    mutating func parseNumber() throws(ParseError) -> JSONValue {
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw fail() }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail() }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail() }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        let literal = String(decoding: bytes[start..<index], as: UTF8.self)
        // The grammar was checked above, so Double's parser only converts; huge exponents become ±infinity.
        let value = Double(literal) ?? .nan
        return .number(literal: literal, value: value)
    }

    @inline(__always)
    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    mutating func parseString() throws(ParseError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes, plain validated UTF-8 copied in one go.
        var hasEscape = false
        var scan = index
        while scan < bytes.count {
            let byte = bytes[scan]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                hasEscape = true
                break
            }
            if byte < 0x20 { throw .malformed(offset: scan) }
            scan += 1
        }
        if !hasEscape {
            guard scan < bytes.count else { throw .malformed(offset: scan) }
            guard let string = validatedUTF8(start, scan) else { throw .malformed(offset: start) }
            index = scan + 1
            return string
        }
        var scalars: [UInt8] = []
        scalars.reserveCapacity(scan - start + 16)
        while true {
            guard index < bytes.count else { throw fail() }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                break
            }
            if byte < 0x20 { throw fail() }
            if byte != UInt8(ascii: "\\") {
                scalars.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { throw fail() }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append(0x22)
            case UInt8(ascii: "\\"): scalars.append(0x5C)
            case UInt8(ascii: "/"): scalars.append(0x2F)
            case UInt8(ascii: "b"): scalars.append(0x08)
            case UInt8(ascii: "f"): scalars.append(0x0C)
            case UInt8(ascii: "n"): scalars.append(0x0A)
            case UInt8(ascii: "r"): scalars.append(0x0D)
            case UInt8(ascii: "t"): scalars.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    else { throw fail() }
                    index += 2
                    let low = try parseHex4()
                    guard low >= 0xDC00 && low <= 0xDFFF else { throw fail() }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                    throw fail()
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw fail() }
                scalars.append(contentsOf: UTF8.encode(unicode).map { Array($0) } ?? [])
            default: throw fail()
            }
        }
        guard let string = String(validating: scalars, as: UTF8.self) else { throw .malformed(offset: start) }
        return string
    }

    mutating func parseHex4() throws(ParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail()
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    func validatedUTF8(_ start: Int, _ end: Int) -> String? {
        // String(validating:) rejects overlong forms, encoded surrogates and code points above U+10FFFF.
        String(validating: bytes[start..<end], as: UTF8.self)
    }
}
