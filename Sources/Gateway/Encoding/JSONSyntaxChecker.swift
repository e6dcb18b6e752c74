/// Receives the members of the top-level object while `JSONSyntaxChecker` validates, so a document is read once
/// for both validation and the member list that manipulation and merging need.
protocol JSONMemberRecorder {
    /// One member of the top-level object: `key` is the quoted key's byte range, `value` the value's.
    mutating func recordMember(key: Range<Int>, keyEscaped: Bool, value: Range<Int>)
}

/// Records nothing; `JSONValidator.validate` uses it so the generic checker specialises to pure validation.
struct JSONNoMemberRecorder: JSONMemberRecorder {
    @inline(__always)
    func recordMember(key: Range<Int>, keyEscaped: Bool, value: Range<Int>) {}
}

/// The single-pass RFC 8259 checker under `JSONValidator` and `ResponseManipulation`.
///
/// Iterative: the only per-level state is one bit (object or array) in a bit stack from
/// `withUnsafeTemporaryAllocation`, so input cannot drive recursion. Allocates nothing itself.
struct JSONSyntaxChecker {
    /// The validated document: its top-level kind and the value's byte range without surrounding whitespace.
    struct Document {
        var kind: JSONKind
        var range: Range<Int>
    }

    private let input: UnsafeRawBufferPointer
    private let count: Int
    private var index = 0

    private init(input: UnsafeRawBufferPointer) {
        self.input = input
        self.count = input.count
    }

    /// Validates the whole of `input` and reports each top-level object member to `recorder`.
    static func check<Recorder: JSONMemberRecorder>(
        _ input: UnsafeRawBufferPointer,
        maxDepth: Int,
        recorder: inout Recorder
    ) throws(JSONError) -> Document {
        // Bit `d` of the stack tells whether depth `d` is an object (1) or an array (0). Every level needs an
        // opening byte, so the input's size bounds the stack as well as `maxDepth` does.
        let words = min(max(0, maxDepth), input.count) / 64 + 1
        return try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) {
            (stack: UnsafeMutableBufferPointer<UInt64>) throws(JSONError) -> Document in
            stack.initialize(repeating: 0)
            var checker = JSONSyntaxChecker(input: input)
            return try checker.run(maxDepth: maxDepth, stack: stack, recorder: &recorder)
        }
    }

    private mutating func run<Recorder: JSONMemberRecorder>(
        maxDepth: Int,
        stack: UnsafeMutableBufferPointer<UInt64>,
        recorder: inout Recorder
    ) throws(JSONError) -> Document {
        self.skipWhitespace()
        guard self.index < self.count else { throw .invalidJSON(offset: self.index, reason: .unexpectedEnd) }
        let start = self.index
        let topIsObject = self.input[start] == UInt8(ascii: "{")
        var depth = 0
        // The member of the top-level object being read, reported when its value completes at depth 1.
        var keyRange = 0..<0
        var keyEscaped = false
        var valueStart = 0

        parsing: while true {
            self.skipWhitespace()
            guard self.index < self.count else { throw .invalidJSON(offset: self.count, reason: .unexpectedEnd) }
            switch self.input[self.index] {
            case UInt8(ascii: "{"):
                depth += 1
                guard depth <= maxDepth else { throw .tooDeep(limit: maxDepth, offset: self.index) }
                stack[depth >> 6] |= 1 << UInt64(depth & 63)
                self.index += 1
                self.skipWhitespace()
                guard self.index < self.count else {
                    throw .invalidJSON(offset: self.count, reason: .unexpectedEnd)
                }
                if self.input[self.index] == UInt8(ascii: "}") {
                    self.index += 1
                    depth -= 1
                } else {
                    try self.readKey(depth: depth, key: &keyRange, escaped: &keyEscaped, valueStart: &valueStart)
                    continue parsing
                }
            case UInt8(ascii: "["):
                depth += 1
                guard depth <= maxDepth else { throw .tooDeep(limit: maxDepth, offset: self.index) }
                stack[depth >> 6] &= ~(1 << UInt64(depth & 63))
                self.index += 1
                self.skipWhitespace()
                guard self.index < self.count else {
                    throw .invalidJSON(offset: self.count, reason: .unexpectedEnd)
                }
                if self.input[self.index] == UInt8(ascii: "]") {
                    self.index += 1
                    depth -= 1
                } else {
                    continue parsing
                }
            case UInt8(ascii: "\""):
                self.index = try Self.scanString(self.input, from: self.index).end
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                self.index = try Self.scanNumber(self.input, from: self.index)
            case UInt8(ascii: "t"):
                try self.expectLiteral(0x74_72_75_65, length: 4)  // "true"
            case UInt8(ascii: "f"):
                try self.expectLiteral(0x66_61_6C_73_65, length: 5)  // "false"
            case UInt8(ascii: "n"):
                try self.expectLiteral(0x6E_75_6C_6C, length: 4)  // "null"
            default:
                throw .invalidJSON(offset: self.index, reason: .unexpectedByte)
            }

            // A value just ended; close as many containers as the input closes.
            while true {
                if depth == 0 {
                    let end = self.index
                    self.skipWhitespace()
                    guard self.index == self.count else {
                        throw .invalidJSON(offset: self.index, reason: .trailingData)
                    }
                    return Document(kind: JSONKind(firstByte: self.input[start]), range: start..<end)
                }
                if depth == 1 && topIsObject {
                    recorder.recordMember(key: keyRange, keyEscaped: keyEscaped, value: valueStart..<self.index)
                }
                self.skipWhitespace()
                guard self.index < self.count else {
                    throw .invalidJSON(offset: self.count, reason: .unexpectedEnd)
                }
                let byte = self.input[self.index]
                let inObject = stack[depth >> 6] & (1 << UInt64(depth & 63)) != 0
                if byte == UInt8(ascii: ",") {
                    self.index += 1
                    if inObject {
                        self.skipWhitespace()
                        try self.readKey(depth: depth, key: &keyRange, escaped: &keyEscaped, valueStart: &valueStart)
                    }
                    continue parsing
                }
                guard byte == (inObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    throw .invalidJSON(offset: self.index, reason: .unexpectedByte)
                }
                self.index += 1
                depth -= 1
            }
        }
    }

    /// Reads `"key" :` and leaves the index on the value's first byte.
    @inline(__always)
    private mutating func readKey(
        depth: Int,
        key: inout Range<Int>,
        escaped: inout Bool,
        valueStart: inout Int
    ) throws(JSONError) {
        guard self.index < self.count else { throw .invalidJSON(offset: self.count, reason: .unexpectedEnd) }
        guard self.input[self.index] == UInt8(ascii: "\"") else {
            throw .invalidJSON(offset: self.index, reason: .unexpectedByte)
        }
        let keyStart = self.index
        let scanned = try Self.scanString(self.input, from: keyStart)
        self.index = scanned.end
        self.skipWhitespace()
        guard self.index < self.count else { throw .invalidJSON(offset: self.count, reason: .unexpectedEnd) }
        guard self.input[self.index] == UInt8(ascii: ":") else {
            throw .invalidJSON(offset: self.index, reason: .unexpectedByte)
        }
        self.index += 1
        self.skipWhitespace()
        if depth == 1 {
            key = keyStart..<scanned.end
            escaped = scanned.escaped
            valueStart = self.index
        }
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while self.index < self.count {
            switch self.input[self.index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): self.index += 1
            default: return
            }
        }
    }

    /// Checks `true`/`false`/`null`; `literal` holds the expected bytes big-endian in its low `length` bytes.
    @inline(__always)
    private mutating func expectLiteral(_ literal: UInt64, length: Int) throws(JSONError) {
        for offset in 0..<length {
            let expected = UInt8(truncatingIfNeeded: literal >> UInt64(8 * (length - 1 - offset)))
            guard self.index + offset < self.count else {
                throw .invalidJSON(offset: self.count, reason: .unexpectedEnd)
            }
            guard self.input[self.index + offset] == expected else {
                throw .invalidJSON(offset: self.index + offset, reason: .unexpectedByte)
            }
        }
        self.index += length
    }

    /// Validates the string starting at the quote at `start`; returns the index after its closing quote and
    /// whether it contains a backslash escape (then its content differs from its raw bytes).
    @inline(__always)
    static func scanString(
        _ input: UnsafeRawBufferPointer,
        from start: Int
    ) throws(JSONError) -> (end: Int, escaped: Bool) {
        let count = input.count
        var index = start + 1
        var escaped = false
        while true {
            // Eight bytes at a time up to the first byte that needs a decision: most string bytes need none.
            if index + 8 <= count {
                let special = JSONWordScan.stringSpecialBytes(JSONWordScan.load(input, index))
                guard special != 0 else {
                    index += 8
                    continue
                }
                index += JSONWordScan.firstByteOffset(special)
            }
            guard index < count else { throw .invalidJSON(offset: count, reason: .unexpectedEnd) }
            let byte = input[index]
            if byte == UInt8(ascii: "\"") {
                return (index + 1, escaped)
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
                index = try self.scanEscape(input, at: index)
            } else if byte < 0x20 {
                throw .invalidJSON(offset: index, reason: .controlCharacter)
            } else if byte < 0x80 {
                index += 1
            } else {
                index = try self.scanUTF8Sequence(input, at: index)
            }
        }
    }

    /// Validates the escape whose backslash is at `index`; returns the index after it.
    @inline(__always)
    private static func scanEscape(_ input: UnsafeRawBufferPointer, at index: Int) throws(JSONError) -> Int {
        let count = input.count
        guard index + 1 < count else { throw .invalidJSON(offset: count, reason: .unexpectedEnd) }
        switch input[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return index + 2
        case UInt8(ascii: "u"):
            guard index + 6 <= count else { throw .invalidJSON(offset: count, reason: .unexpectedEnd) }
            for hexIndex in (index + 2)..<(index + 6) where JSONStringUnescaper.hexValue(input[hexIndex]) == nil {
                throw .invalidJSON(offset: hexIndex, reason: .invalidEscape)
            }
            return index + 6
        default:
            throw .invalidJSON(offset: index, reason: .invalidEscape)
        }
    }

    /// Validates one multi-byte UTF-8 sequence (Unicode Table 3-7: no overlongs, no surrogates, ≤ U+10FFFF).
    @inline(__always)
    private static func scanUTF8Sequence(_ input: UnsafeRawBufferPointer, at index: Int) throws(JSONError) -> Int {
        let lead = input[index]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default: throw .invalidJSON(offset: index, reason: .invalidUTF8)
        }
        let count = input.count
        guard index + length <= count else { throw .invalidJSON(offset: count, reason: .unexpectedEnd) }
        let second = input[index + 1]
        guard second >= low && second <= high else { throw .invalidJSON(offset: index + 1, reason: .invalidUTF8) }
        var continuation = index + 2
        while continuation < index + length {
            guard input[continuation] & 0xC0 == 0x80 else {
                throw .invalidJSON(offset: continuation, reason: .invalidUTF8)
            }
            continuation += 1
        }
        return index + length
    }

    /// Validates the number starting at `start` (`-` or a digit); returns the index after it.
    static func scanNumber(_ input: UnsafeRawBufferPointer, from start: Int) throws(JSONError) -> Int {
        let count = input.count
        var index = start
        if input[index] == UInt8(ascii: "-") { index += 1 }
        guard index < count, Self.isDigit(input[index]) else {
            throw .invalidJSON(offset: index, reason: .invalidNumber)
        }
        if input[index] == UInt8(ascii: "0") {
            index += 1
            if index < count && Self.isDigit(input[index]) {
                throw .invalidJSON(offset: index, reason: .invalidNumber)
            }
        } else {
            index = Self.skipDigits(input, from: index + 1)
        }
        if index < count && input[index] == UInt8(ascii: ".") {
            index += 1
            guard index < count, Self.isDigit(input[index]) else {
                throw .invalidJSON(offset: index, reason: .invalidNumber)
            }
            index = Self.skipDigits(input, from: index + 1)
        }
        if index < count && input[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < count && (input[index] == UInt8(ascii: "+") || input[index] == UInt8(ascii: "-")) {
                index += 1
            }
            guard index < count, Self.isDigit(input[index]) else {
                throw .invalidJSON(offset: index, reason: .invalidNumber)
            }
            index = Self.skipDigits(input, from: index + 1)
        }
        return index
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    @inline(__always)
    private static func skipDigits(_ input: UnsafeRawBufferPointer, from start: Int) -> Int {
        let count = input.count
        var index = start
        while index < count && Self.isDigit(input[index]) { index += 1 }
        return index
    }
}
