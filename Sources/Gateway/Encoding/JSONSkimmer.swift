/// Fast navigation over JSON that was already validated (by `JSONSyntaxChecker`, or produced by this engine).
///
/// No validation, but every read is bounds-checked against the buffer, so malformed input yields a wrong
/// answer, never a crash. Nothing here recurses or allocates.
enum JSONSkimmer {
    /// The index of the first non-whitespace byte at or after `start`.
    @inline(__always)
    static func skipWhitespace(_ input: UnsafeRawBufferPointer, from start: Int) -> Int {
        let count = input.count
        var index = start
        while index < count {
            switch input[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return index
            }
        }
        return index
    }

    /// Skips the string whose opening quote is at `start`: the index after its closing quote, and whether it
    /// contains escapes.
    @inline(__always)
    static func skipString(_ input: UnsafeRawBufferPointer, from start: Int) -> (end: Int, escaped: Bool) {
        let count = input.count
        var index = start + 1
        var escaped = false
        while true {
            if index + 8 <= count {
                let special = JSONWordScan.quoteOrBackslashBytes(JSONWordScan.load(input, index))
                guard special != 0 else {
                    index += 8
                    continue
                }
                index += JSONWordScan.firstByteOffset(special)
            }
            guard index < count else { return (count, escaped) }
            switch input[index] {
            case UInt8(ascii: "\""): return (index + 1, escaped)
            case UInt8(ascii: "\\"):
                escaped = true
                index += 2
            default: index += 1
            }
        }
    }

    /// Skips the value whose first byte is at `start` and returns the index after it.
    static func skipValue(_ input: UnsafeRawBufferPointer, from start: Int) -> Int {
        let count = input.count
        guard start < count else { return count }
        switch input[start] {
        case UInt8(ascii: "\""):
            return Self.skipString(input, from: start).end
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            // Brackets inside strings are skipped with the strings, so counting them is enough.
            var depth = 0
            var index = start
            while true {
                if index + 8 <= count {
                    let structural = JSONWordScan.structuralBytes(JSONWordScan.load(input, index))
                    guard structural != 0 else {
                        index += 8
                        continue
                    }
                    index += JSONWordScan.firstByteOffset(structural)
                }
                guard index < count else { break }
                switch input[index] {
                case UInt8(ascii: "\""):
                    index = Self.skipString(input, from: index).end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default: break
                }
                index += 1
            }
            return count
        default:
            var index = start + 1
            while index < count {
                switch input[index] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: " "), UInt8(ascii: "\n"),
                    UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                    return index
                default: index += 1
                }
            }
            return count
        }
    }

    /// The range of the single top-level value of `input`, without surrounding whitespace. Reads only the
    /// whitespace at both ends, so it trusts `input` to hold exactly one value.
    static func trimmedRange(_ input: UnsafeRawBufferPointer) -> Range<Int> {
        let start = Self.skipWhitespace(input, from: 0)
        var end = input.count
        while end > start {
            switch input[end - 1] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): end -= 1
            default: return start..<end
            }
        }
        return start..<end
    }
}

/// One member of an object: byte ranges of its quoted key and of its value.
struct JSONMember {
    /// The key including its quotes.
    var key: Range<Int>
    /// Whether the key contains backslash escapes (then it must be decoded before comparing).
    var keyEscaped: Bool
    /// The value, without surrounding whitespace.
    var value: Range<Int>

    /// The key without its quotes.
    var keyContent: Range<Int> { (self.key.lowerBound + 1)..<max(self.key.lowerBound + 1, self.key.upperBound - 1) }
}

/// Iterates the members of a validated object in source order. Allocates nothing.
struct JSONMemberIterator: IteratorProtocol {
    private let input: UnsafeRawBufferPointer
    private let count: Int
    private var index: Int
    private var finished: Bool

    /// Starts at the object whose `{` is at `objectStart`; yields nothing when that byte is not `{`.
    init(_ input: UnsafeRawBufferPointer, objectStart: Int) {
        self.input = input
        self.count = input.count
        self.index = objectStart + 1
        self.finished = objectStart >= input.count || input[objectStart] != UInt8(ascii: "{")
    }

    mutating func next() -> JSONMember? {
        guard !self.finished else { return nil }
        var index = JSONSkimmer.skipWhitespace(self.input, from: self.index)
        if index < self.count && self.input[index] == UInt8(ascii: ",") {
            index = JSONSkimmer.skipWhitespace(self.input, from: index + 1)
        }
        guard index < self.count, self.input[index] == UInt8(ascii: "\"") else {
            self.finished = true
            return nil
        }
        let keyStart = index
        let key = JSONSkimmer.skipString(self.input, from: keyStart)
        index = JSONSkimmer.skipWhitespace(self.input, from: key.end)
        guard index < self.count, self.input[index] == UInt8(ascii: ":") else {
            self.finished = true
            return nil
        }
        let valueStart = JSONSkimmer.skipWhitespace(self.input, from: index + 1)
        let valueEnd = JSONSkimmer.skipValue(self.input, from: valueStart)
        guard valueEnd > valueStart else {
            self.finished = true
            return nil
        }
        self.index = valueEnd
        return JSONMember(key: keyStart..<key.end, keyEscaped: key.escaped, value: valueStart..<valueEnd)
    }
}
