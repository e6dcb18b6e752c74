import Gateway

/// A JSON value as the tests' reference model sees it: objects as dictionaries (order carries no meaning),
/// numbers by their text (the engine never re-encodes numbers), strings decoded.
indirect enum ReferenceJSON: Hashable, CustomStringConvertible {
    case object([String: ReferenceJSON])
    case array([ReferenceJSON])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    var description: String { String(decoding: ReferenceJSONWriter.write(self), as: UTF8.self) }
}

/// A deliberately simple, independent, recursive RFC 8259 parser: the oracle the engine is compared with.
/// Duplicate keys: the last value wins (Go's decoding into a map). Also reports whether any object repeated
/// a key, which the engine's output must never do where it assembles objects.
struct ReferenceJSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private(set) var sawDuplicateKey = false

    /// Parses a whole document, or returns nil when it is not valid JSON.
    static func parse(_ bytes: [UInt8]) -> ReferenceJSON? {
        var parser = ReferenceJSONParser(bytes: bytes)
        return parser.parseDocument()
    }

    /// Parses a whole document and tells whether some object in it repeated a key.
    static func parseReportingDuplicates(_ bytes: [UInt8]) -> (value: ReferenceJSON, duplicateKeys: Bool)? {
        var parser = ReferenceJSONParser(bytes: bytes)
        guard let value = parser.parseDocument() else { return nil }
        return (value, parser.sawDuplicateKey)
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func parseDocument() -> ReferenceJSON? {
        self.skipWhitespace()
        guard let value = self.parseValue(depth: 0) else { return nil }
        self.skipWhitespace()
        return self.index == self.bytes.count ? value : nil
    }

    private mutating func skipWhitespace() {
        while self.index < self.bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(self.bytes[self.index]) {
            self.index += 1
        }
    }

    private func peek() -> UInt8? { self.index < self.bytes.count ? self.bytes[self.index] : nil }

    private mutating func parseValue(depth: Int) -> ReferenceJSON? {
        guard depth < 200, let byte = self.peek() else { return nil }
        switch byte {
        case UInt8(ascii: "{"): return self.parseObject(depth: depth)
        case UInt8(ascii: "["): return self.parseArray(depth: depth)
        case UInt8(ascii: "\""): return self.parseString().map(ReferenceJSON.string)
        case UInt8(ascii: "t"): return self.parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return self.parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return self.parseLiteral("null", .null)
        default: return self.parseNumber()
        }
    }

    private mutating func parseLiteral(_ text: String, _ value: ReferenceJSON) -> ReferenceJSON? {
        let literal = Array(text.utf8)
        guard self.index + literal.count <= self.bytes.count,
            Array(self.bytes[self.index..<self.index + literal.count]) == literal
        else { return nil }
        self.index += literal.count
        return value
    }

    private mutating func parseObject(depth: Int) -> ReferenceJSON? {
        self.index += 1
        var members: [String: ReferenceJSON] = [:]
        self.skipWhitespace()
        if self.peek() == UInt8(ascii: "}") {
            self.index += 1
            return .object(members)
        }
        while true {
            self.skipWhitespace()
            guard self.peek() == UInt8(ascii: "\""), let key = self.parseString() else { return nil }
            self.skipWhitespace()
            guard self.peek() == UInt8(ascii: ":") else { return nil }
            self.index += 1
            self.skipWhitespace()
            guard let value = self.parseValue(depth: depth + 1) else { return nil }
            if members.updateValue(value, forKey: key) != nil { self.sawDuplicateKey = true }
            self.skipWhitespace()
            switch self.peek() {
            case UInt8(ascii: ","): self.index += 1
            case UInt8(ascii: "}"):
                self.index += 1
                return .object(members)
            default: return nil
            }
        }
    }

    private mutating func parseArray(depth: Int) -> ReferenceJSON? {
        self.index += 1
        var elements: [ReferenceJSON] = []
        self.skipWhitespace()
        if self.peek() == UInt8(ascii: "]") {
            self.index += 1
            return .array(elements)
        }
        while true {
            self.skipWhitespace()
            guard let value = self.parseValue(depth: depth + 1) else { return nil }
            elements.append(value)
            self.skipWhitespace()
            switch self.peek() {
            case UInt8(ascii: ","): self.index += 1
            case UInt8(ascii: "]"):
                self.index += 1
                return .array(elements)
            default: return nil
            }
        }
    }

    private mutating func parseString() -> String? {
        self.index += 1
        var utf16: [UInt16] = []
        var raw: [UInt8] = []
        func flushRaw() -> Bool {
            guard !raw.isEmpty else { return true }
            guard let text = String(validating: raw, as: UTF8.self) else { return false }
            utf16.append(contentsOf: text.utf16)
            raw.removeAll()
            return true
        }
        while let byte = self.peek() {
            self.index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard flushRaw() else { return nil }
                // Lone surrogates become U+FFFD, as Go decodes them.
                return String(decoding: utf16, as: UTF16.self)
            case UInt8(ascii: "\\"):
                guard flushRaw(), let escape = self.peek() else { return nil }
                self.index += 1
                switch escape {
                case UInt8(ascii: "\""): utf16.append(0x22)
                case UInt8(ascii: "\\"): utf16.append(0x5C)
                case UInt8(ascii: "/"): utf16.append(0x2F)
                case UInt8(ascii: "b"): utf16.append(0x08)
                case UInt8(ascii: "f"): utf16.append(0x0C)
                case UInt8(ascii: "n"): utf16.append(0x0A)
                case UInt8(ascii: "r"): utf16.append(0x0D)
                case UInt8(ascii: "t"): utf16.append(0x09)
                case UInt8(ascii: "u"):
                    guard self.index + 4 <= self.bytes.count,
                        let unit = UInt16(
                            String(decoding: self.bytes[self.index..<self.index + 4], as: UTF8.self),
                            radix: 16
                        ),
                        self.bytes[self.index..<self.index + 4].allSatisfy({
                            $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-")
                        })
                    else { return nil }
                    self.index += 4
                    utf16.append(unit)
                default: return nil
                }
            case 0..<0x20:
                return nil
            default:
                raw.append(byte)
            }
        }
        return nil
    }

    private mutating func parseNumber() -> ReferenceJSON? {
        let start = self.index
        func digits() -> Int {
            let from = self.index
            while let byte = self.peek(), byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") { self.index += 1 }
            return self.index - from
        }
        if self.peek() == UInt8(ascii: "-") { self.index += 1 }
        if self.peek() == UInt8(ascii: "0") {
            self.index += 1
        } else {
            guard let byte = self.peek(), byte >= UInt8(ascii: "1") && byte <= UInt8(ascii: "9") else { return nil }
            _ = digits()
        }
        if self.peek() == UInt8(ascii: ".") {
            self.index += 1
            guard digits() > 0 else { return nil }
        }
        if self.peek() == UInt8(ascii: "e") || self.peek() == UInt8(ascii: "E") {
            self.index += 1
            if self.peek() == UInt8(ascii: "+") || self.peek() == UInt8(ascii: "-") { self.index += 1 }
            guard digits() > 0 else { return nil }
        }
        return .number(String(decoding: self.bytes[start..<self.index], as: UTF8.self))
    }
}

/// Serialises reference values, optionally with random whitespace and escapes, so one value has many texts.
enum ReferenceJSONWriter {
    /// Compact, minimal escapes, keys sorted.
    static func write(_ value: ReferenceJSON) -> [UInt8] {
        var generator = SplitMix64(seed: 0)
        var output: [UInt8] = []
        self.write(value, into: &output, noisy: false, using: &generator)
        return output
    }

    /// With random whitespace between tokens and random (valid) escapes inside strings.
    static func writeNoisy(_ value: ReferenceJSON, using generator: inout SplitMix64) -> [UInt8] {
        var output: [UInt8] = []
        self.write(value, into: &output, noisy: true, using: &generator)
        return output
    }

    private static func write(
        _ value: ReferenceJSON,
        into output: inout [UInt8],
        noisy: Bool,
        using generator: inout SplitMix64
    ) {
        func space() {
            guard noisy else { return }
            for _ in 0..<Int.random(in: 0...2, using: &generator) {
                output.append([0x20, 0x0A, 0x0D, 0x09][Int.random(in: 0..<4, using: &generator)])
            }
        }
        switch value {
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (position, key) in members.keys.sorted().enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                space()
                self.writeString(key, into: &output, noisy: noisy, using: &generator)
                space()
                output.append(UInt8(ascii: ":"))
                space()
                self.write(members[key] ?? .null, into: &output, noisy: noisy, using: &generator)
                space()
            }
            output.append(UInt8(ascii: "}"))
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                space()
                self.write(element, into: &output, noisy: noisy, using: &generator)
                space()
            }
            output.append(UInt8(ascii: "]"))
        case .string(let text):
            self.writeString(text, into: &output, noisy: noisy, using: &generator)
        case .number(let text):
            output.append(contentsOf: text.utf8)
        case .bool(let flag):
            output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null:
            output.append(contentsOf: "null".utf8)
        }
    }

    private static func writeString(
        _ text: String,
        into output: inout [UInt8],
        noisy: Bool,
        using generator: inout SplitMix64
    ) {
        output.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            let mustEscape = scalar.value < 0x20 || scalar == "\"" || scalar == "\\"
            if mustEscape || (noisy && Int.random(in: 0..<4, using: &generator) == 0) {
                for unit in String(scalar).utf16 {
                    output.append(contentsOf: "\\u".utf8)
                    let hex = String(unit, radix: 16)
                    output.append(contentsOf: (String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                }
            } else {
                output.append(contentsOf: String(scalar).utf8)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

/// A seeded generator so randomized tests replay exactly.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = self.state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Small helpers that run the engine on byte arrays.
enum Engine {
    static func validate(_ text: String, maxDepth: Int = 256) throws(JSONError) -> JSONKind {
        try self.validate(Array(text.utf8), maxDepth: maxDepth)
    }

    static func validate(_ bytes: [UInt8], maxDepth: Int = 256) throws(JSONError) -> JSONKind {
        let result: Result<JSONKind, JSONError> = self.withExactBuffer(bytes) { buffer in
            do throws(JSONError) {
                return .success(try JSONValidator.validate(buffer, maxDepth: maxDepth))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    static func apply(_ manipulation: ResponseManipulation, _ text: String) throws(JSONError) -> String {
        String(decoding: try self.apply(manipulation, Array(text.utf8)), as: UTF8.self)
    }

    static func apply(_ manipulation: ResponseManipulation, _ bytes: [UInt8]) throws(JSONError) -> [UInt8] {
        let result: Result<[UInt8], JSONError> = self.withExactBuffer(bytes) { buffer in
            var output: [UInt8] = []
            do throws(JSONError) {
                try manipulation.apply(to: buffer, into: &output)
                return .success(output)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Merges `texts`; with `keys`, passes each object's `JSONObjectKeys` so disjoint objects are spliced.
    static func merge(_ texts: [String], keys: Bool = false) -> String {
        let documents = texts.map { Array($0.utf8) }
        var output: [UInt8] = []
        self.withBuffers(documents) { buffers in
            JSONMerger.merge(buffers, keys: keys ? buffers.map { JSONObjectKeys(of: $0) } : nil, into: &output)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Runs `body` on a heap block of exactly `bytes.count` bytes, so that a read past the end is outside the
    /// allocation and the address sanitizer (`swift test --sanitize=address`) reports it.
    static func withExactBuffer<Result>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        defer { block.deallocate() }
        block.copyBytes(from: bytes)
        return body(UnsafeRawBufferPointer(block))
    }

    /// Pins each array in a block of its exact size and passes the raw buffers on.
    static func withBuffers(_ documents: [[UInt8]], _ body: ([UnsafeRawBufferPointer]) -> Void) {
        func pin(_ index: Int, _ collected: [UnsafeRawBufferPointer]) {
            guard index < documents.count else { return body(collected) }
            self.withExactBuffer(documents[index]) { pin(index + 1, collected + [$0]) }
        }
        pin(0, [])
    }

    static func renderCollection(_ text: String) -> String {
        var output: [UInt8] = []
        self.withExactBuffer(Array(text.utf8)) { JSONCollectionRenderer.render($0, into: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    /// Parses `text` with the reference parser; a test fixture that does not parse is a broken test.
    static func reference(_ text: String) -> ReferenceJSON? {
        ReferenceJSONParser.parse(Array(text.utf8))
    }
}
