/// A strict JSON parser (RFC 8259) producing `ConfigValue`, with positions in its errors.
///
/// Foundation's `JSONSerialization` is not used: on Linux it cannot tell `true` from `1`, and it loses key order.
/// Nesting is capped at `maximumDepth`, so hostile input cannot exhaust the stack. Keys named `@comment` are dropped;
/// any other repeated key is an error (Go would silently keep the last one, hiding a mistake).
struct JSONConfigurationParser {
    /// The deepest nesting accepted; KrakenD files rarely go past 10.
    static let maximumDepth = 128

    private let bytes: [UInt8]
    private var offset = 0

    init(text: String) {
        bytes = Array(text.utf8)
    }

    /// Parses the whole text as one JSON value.
    mutating func parse() throws(ConfigurationSyntaxError) -> ConfigValue {
        // A UTF-8 byte order mark is tolerated, as editors on Windows write one.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { offset = 3 }
        skipWhitespace()
        guard offset < bytes.count else { throw error("the file is empty; expected a JSON object") }
        let value = try parseValue(depth: 1)
        skipWhitespace()
        guard offset == bytes.count else {
            throw error("expected the end of the file after the JSON value, got \(describeCurrent())")
        }
        return value
    }

    private mutating func parseValue(depth: Int) throws(ConfigurationSyntaxError) -> ConfigValue {
        guard offset < bytes.count else { throw error("unexpected end of file; expected a JSON value") }
        switch bytes[offset] {
        case UInt8(ascii: "{"):
            guard depth <= Self.maximumDepth else {
                throw error("nesting deeper than \(Self.maximumDepth) levels is not accepted")
            }
            return try parseObject(depth: depth)
        case UInt8(ascii: "["):
            guard depth <= Self.maximumDepth else {
                throw error("nesting deeper than \(Self.maximumDepth) levels is not accepted")
            }
            return try parseArray(depth: depth)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default:
            throw error("expected a JSON value, got \(describeWord())")
        }
    }

    private mutating func parseObject(depth: Int) throws(ConfigurationSyntaxError) -> ConfigValue {
        offset += 1  // {
        var object = ConfigObject()
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            offset += 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else {
                if peek(UInt8(ascii: "}")) { throw error("trailing comma before '}' is not allowed in JSON") }
                throw error("expected a string key in double quotes, got \(describeCurrent())")
            }
            let keyOffset = offset
            let key = try parseString()
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else {
                throw error("expected ':' after the key \(ConfigValue.quoted(key)), got \(describeCurrent())")
            }
            offset += 1
            skipWhitespace()
            let value = try parseValue(depth: depth + 1)
            if key != "@comment", !object.insertNew(key, value) {
                throw error("duplicate key \(ConfigValue.quoted(key)) in the same object", at: keyOffset)
            }
            skipWhitespace()
            guard offset < bytes.count else { throw error("unexpected end of file; expected ',' or '}'") }
            switch bytes[offset] {
            case UInt8(ascii: ","):
                offset += 1
            case UInt8(ascii: "}"):
                offset += 1
                return .object(object)
            default:
                throw error("expected ',' or '}' after an object member, got \(describeCurrent())")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(ConfigurationSyntaxError) -> ConfigValue {
        offset += 1  // [
        var array: [ConfigValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) {
            offset += 1
            return .array(array)
        }
        while true {
            skipWhitespace()
            if peek(UInt8(ascii: "]")) { throw error("trailing comma before ']' is not allowed in JSON") }
            array.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard offset < bytes.count else { throw error("unexpected end of file; expected ',' or ']'") }
            switch bytes[offset] {
            case UInt8(ascii: ","):
                offset += 1
            case UInt8(ascii: "]"):
                offset += 1
                return .array(array)
            default:
                throw error("expected ',' or ']' after an array element, got \(describeCurrent())")
            }
        }
    }

    private mutating func parseString() throws(ConfigurationSyntaxError) -> String {
        let start = offset
        offset += 1  // "
        var buffer: [UInt8] = []
        while true {
            guard offset < bytes.count else { throw error("unterminated string", at: start) }
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                // The input came from a String, so the bytes between quotes are valid UTF-8.
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &buffer)
            case 0..<0x20:
                throw error("control character U+\(hex4(UInt32(byte))) must be escaped inside a string")
            default:
                buffer.append(byte)
                offset += 1
            }
        }
    }

    private mutating func parseEscape(into buffer: inout [UInt8]) throws(ConfigurationSyntaxError) {
        let escapeStart = offset
        offset += 1  // backslash
        guard offset < bytes.count else { throw error("unterminated escape sequence", at: escapeStart) }
        let byte = bytes[offset]
        offset += 1
        switch byte {
        case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): buffer.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(UInt8(ascii: "\n"))
        case UInt8(ascii: "r"): buffer.append(UInt8(ascii: "\r"))
        case UInt8(ascii: "t"): buffer.append(UInt8(ascii: "\t"))
        case UInt8(ascii: "u"):
            var scalar = try parseHex4(escapeStart: escapeStart)
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low one to form a scalar.
                if offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u")
                {
                    let lowStart = offset
                    offset += 2
                    let low = try parseHex4(escapeStart: lowStart)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        // Not a pair: Go's decoder writes U+FFFD for the lone half; so does this one.
                        appendScalar(0xFFFD, to: &buffer)
                        scalar = low
                    }
                } else {
                    scalar = 0xFFFD
                }
            }
            if (0xD800..<0xE000).contains(scalar) { scalar = 0xFFFD }
            appendScalar(scalar, to: &buffer)
        default:
            offset -= 1
            throw error("invalid escape sequence '\\\(describeByte(byte))' in a string", at: escapeStart)
        }
    }

    private mutating func parseHex4(escapeStart: Int) throws(ConfigurationSyntaxError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw error("incomplete \\u escape", at: escapeStart) }
        var value: UInt32 = 0
        for byte in bytes[offset..<offset + 4] {
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape: expected 4 hexadecimal digits", at: escapeStart)
            }
            value = value << 4 | digit
        }
        offset += 4
        return value
    }

    private func appendScalar(_ value: UInt32, to buffer: inout [UInt8]) {
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    private mutating func parseNumber() throws(ConfigurationSyntaxError) -> ConfigValue {
        let start = offset
        var isInteger = true
        if peek(UInt8(ascii: "-")) { offset += 1 }
        guard offset < bytes.count, isDigit(bytes[offset]) else {
            throw error("expected a digit after '-', got \(describeCurrent())")
        }
        if bytes[offset] == UInt8(ascii: "0") {
            offset += 1
            if offset < bytes.count, isDigit(bytes[offset]) {
                throw error("numbers must not have leading zeros", at: start)
            }
        } else {
            skipDigits()
        }
        if peek(UInt8(ascii: ".")) {
            isInteger = false
            offset += 1
            guard offset < bytes.count, isDigit(bytes[offset]) else {
                throw error("expected a digit after the decimal point, got \(describeCurrent())")
            }
            skipDigits()
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            isInteger = false
            offset += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { offset += 1 }
            guard offset < bytes.count, isDigit(bytes[offset]) else {
                throw error("expected a digit in the exponent, got \(describeCurrent())")
            }
            skipDigits()
        }
        let text = String(decoding: bytes[start..<offset], as: UTF8.self)
        if isInteger, let integer = Int(text) { return .integer(integer) }
        // Integers too large for Int end up here too, as JSON numbers are not bounded.
        guard let double = Double(text), double.isFinite else {
            throw error("the number \(text) is out of range", at: start)
        }
        return .double(double)
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(ConfigurationSyntaxError) {
        let start = offset
        let expected = literal.withUTF8Buffer { Array($0) }
        guard bytes.count - offset >= expected.count, Array(bytes[offset..<offset + expected.count]) == expected else {
            throw error("expected a JSON value, got \(describeWord())", at: start)
        }
        offset += expected.count
    }

    private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                offset += 1
            default:
                return
            }
        }
    }

    private mutating func skipDigits() {
        while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
    }

    private func peek(_ byte: UInt8) -> Bool {
        offset < bytes.count && bytes[offset] == byte
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// The character at the current offset, quoted for a message.
    private func describeCurrent() -> String {
        guard offset < bytes.count else { return "the end of the file" }
        return "'" + describeByte(bytes[offset]) + "'"
    }

    /// The word (letters, digits) at the current offset, quoted for a message, e.g. `'True'` or `'undefined'`.
    private func describeWord() -> String {
        var end = offset
        while end < bytes.count, end - offset < 20,
            bytes[end] >= 0x80 || bytes[end] == UInt8(ascii: "_")
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[end] | 0x20) || isDigit(bytes[end])
        {
            end += 1
        }
        guard end > offset else { return describeCurrent() }
        return "'" + String(decoding: bytes[offset..<end], as: UTF8.self) + "'"
    }

    private func describeByte(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "\n"): return "\\n"
        case UInt8(ascii: "\t"): return "\\t"
        case UInt8(ascii: "\r"): return "\\r"
        case 0..<0x20: return "U+" + hex4(UInt32(byte))
        case 0x80...:
            // Show the whole scalar, not a lone UTF-8 byte.
            var end = offset + 1
            while end < bytes.count, bytes[end] & 0b1100_0000 == 0b1000_0000 { end += 1 }
            return String(decoding: bytes[offset..<end], as: UTF8.self)
        default: return String(UnicodeScalar(byte))
        }
    }

    private func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private func error(_ message: String, at errorOffset: Int? = nil) -> ConfigurationSyntaxError {
        let position = ConfigurationSyntaxError.position(of: errorOffset ?? offset, in: bytes)
        return ConfigurationSyntaxError(message: message, line: position.line, column: position.column)
    }
}
