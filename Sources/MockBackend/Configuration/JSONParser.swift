/// A strict RFC 8259 parser producing ``JSONValue``, with a nesting limit so hostile input cannot exhaust the stack.
struct JSONParser {
    struct SyntaxError: Error, Equatable {
        var offset: Int
        var message: String
    }

    static let maxDepth = 128

    private let bytes: [UInt8]
    private var index = 0

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONValue {
        var parser = JSONParser(bytes)
        // A UTF-8 byte order mark is tolerated, as editors on some systems write one.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            parser.index = 3
        }
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.index != bytes.count {
            throw parser.error("unexpected data after the JSON value")
        }
        return value
    }

    private func error(_ message: String) -> SyntaxError {
        SyntaxError(offset: self.index, message: message)
    }

    private mutating func skipWhitespace() {
        while self.index < self.bytes.count,
            [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(
                self.bytes[self.index]
            )
        {
            self.index += 1
        }
    }

    private var current: UInt8? {
        self.index < self.bytes.count ? self.bytes[self.index] : nil
    }

    private mutating func parseValue(depth: Int) throws(SyntaxError) -> JSONValue {
        if depth > Self.maxDepth {
            throw self.error("nesting deeper than \(Self.maxDepth)")
        }
        self.skipWhitespace()
        guard let byte = self.current else {
            throw self.error("unexpected end of input")
        }
        switch byte {
        case UInt8(ascii: "{"): return try self.parseObject(depth: depth)
        case UInt8(ascii: "["): return try self.parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try self.parseString())
        case UInt8(ascii: "t"): return try self.parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try self.parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try self.parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try self.parseNumber()
        default: throw self.error("unexpected character")
        }
    }

    private mutating func parseLiteral(_ literal: String, _ value: JSONValue) throws(SyntaxError) -> JSONValue {
        let expected = Array(literal.utf8)
        guard self.bytes[self.index...].starts(with: expected) else {
            throw self.error("invalid literal")
        }
        self.index += expected.count
        return value
    }

    private mutating func parseObject(depth: Int) throws(SyntaxError) -> JSONValue {
        self.index += 1
        var members: [(key: String, value: JSONValue)] = []
        self.skipWhitespace()
        if self.current == UInt8(ascii: "}") {
            self.index += 1
            return .object(members)
        }
        while true {
            self.skipWhitespace()
            guard self.current == UInt8(ascii: "\"") else {
                throw self.error("expected a member name")
            }
            let key = try self.parseString()
            if members.contains(where: { $0.key == key }) {
                throw self.error("duplicate member \"\(key)\"")
            }
            self.skipWhitespace()
            guard self.current == UInt8(ascii: ":") else {
                throw self.error("expected ':'")
            }
            self.index += 1
            members.append((key, try self.parseValue(depth: depth + 1)))
            self.skipWhitespace()
            switch self.current {
            case UInt8(ascii: ","): self.index += 1
            case UInt8(ascii: "}"):
                self.index += 1
                return .object(members)
            default: throw self.error("expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(SyntaxError) -> JSONValue {
        self.index += 1
        var elements: [JSONValue] = []
        self.skipWhitespace()
        if self.current == UInt8(ascii: "]") {
            self.index += 1
            return .array(elements)
        }
        while true {
            elements.append(try self.parseValue(depth: depth + 1))
            self.skipWhitespace()
            switch self.current {
            case UInt8(ascii: ","): self.index += 1
            case UInt8(ascii: "]"):
                self.index += 1
                return .array(elements)
            default: throw self.error("expected ',' or ']'")
            }
        }
    }

    private mutating func parseNumber() throws(SyntaxError) -> JSONValue {
        let start = self.index
        if self.current == UInt8(ascii: "-") {
            self.index += 1
        }
        let integerStart = self.index
        let integerDigits = self.consumeDigits()
        if integerDigits == 0 {
            throw self.error("invalid number")
        }
        if integerDigits > 1 && self.bytes[integerStart] == UInt8(ascii: "0") {
            throw SyntaxError(offset: integerStart, message: "leading zero in number")
        }
        if self.current == UInt8(ascii: ".") {
            self.index += 1
            guard self.consumeDigits() > 0 else {
                throw self.error("invalid number")
            }
        }
        if self.current == UInt8(ascii: "e") || self.current == UInt8(ascii: "E") {
            self.index += 1
            if self.current == UInt8(ascii: "+") || self.current == UInt8(ascii: "-") {
                self.index += 1
            }
            guard self.consumeDigits() > 0 else {
                throw self.error("invalid number")
            }
        }
        return .number(String(decoding: self.bytes[start..<self.index], as: UTF8.self))
    }

    private mutating func consumeDigits() -> Int {
        let start = self.index
        while let byte = self.current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            self.index += 1
        }
        return self.index - start
    }

    private mutating func parseString() throws(SyntaxError) -> String {
        self.index += 1
        var scalars = String.UnicodeScalarView()
        var runStart = self.index
        var text = ""
        while true {
            guard let byte = self.current else {
                throw self.error("unterminated string")
            }
            switch byte {
            case UInt8(ascii: "\""):
                text += String(decoding: self.bytes[runStart..<self.index], as: UTF8.self)
                self.index += 1
                return text
            case UInt8(ascii: "\\"):
                text += String(decoding: self.bytes[runStart..<self.index], as: UTF8.self)
                self.index += 1
                scalars.removeAll()
                scalars.append(try self.parseEscape())
                text += String(scalars)
                runStart = self.index
            case 0..<0x20:
                throw self.error("control character in string")
            default:
                self.index += 1
            }
        }
    }

    private mutating func parseEscape() throws(SyntaxError) -> Unicode.Scalar {
        guard let byte = self.current else {
            throw self.error("unterminated escape")
        }
        self.index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let high = try self.parseHex4()
            if (0xD800..<0xDC00).contains(high) {
                guard self.bytes[self.index...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]) else {
                    throw self.error("unpaired surrogate")
                }
                self.index += 2
                let low = try self.parseHex4()
                guard (0xDC00..<0xE000).contains(low),
                    let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                else {
                    throw self.error("invalid surrogate pair")
                }
                return scalar
            }
            guard let scalar = Unicode.Scalar(high) else {
                throw self.error("unpaired surrogate")
            }
            return scalar
        default:
            throw self.error("invalid escape")
        }
    }

    private mutating func parseHex4() throws(SyntaxError) -> UInt32 {
        guard self.index + 4 <= self.bytes.count else {
            throw self.error("truncated \\u escape")
        }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = self.bytes[self.index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw self.error("invalid \\u escape")
            }
            value = value << 4 | digit
            self.index += 1
        }
        return value
    }
}
