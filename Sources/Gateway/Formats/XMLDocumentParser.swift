/// A small non-validating XML 1.0 parser for backend bodies (`xml` and `rss` encodings): reads the first element
/// of a UTF-8 document into an `XMLElement` tree.
///
/// Follows what Go's `encoding/xml` decoder accepts in its default strict mode (KrakenD reads XML through it, via
/// clbanning/mxj): the five predefined entities and character references only (an unknown entity is an error,
/// so no entity expansion and no "billion laughs"); `<!DOCTYPE …>` (internal subset included), comments and
/// processing instructions are skipped; CDATA is text; a mismatched end tag is an error; whatever follows the
/// root element is ignored, as mxj reads one document. Depth is capped. Not on the JSON hot path: it allocates
/// the tree, one `String` per name, attribute and text run.
struct XMLDocumentParser {
    private let bytes: UnsafeRawBufferPointer
    private let maxDepth: Int
    private var index = 0

    private init(bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Parses the root element of `bytes`.
    static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 256) throws(XMLSyntaxError) -> XMLElement {
        var parser = XMLDocumentParser(bytes: bytes, maxDepth: maxDepth)
        return try parser.parseDocument()
    }

    private mutating func parseDocument() throws(XMLSyntaxError) -> XMLElement {
        // A UTF-8 byte order mark.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw error(.noRootElement) }
            guard bytes[index] == UInt8(ascii: "<") else { throw error(.textOutsideRoot) }
            if try skipMarkup() { continue }
            return try parseRoot()
        }
    }

    /// Skips a comment, processing instruction, DOCTYPE or CDATA at `index` (which is at `<`); false when the
    /// markup is an element tag.
    private mutating func skipMarkup() throws(XMLSyntaxError) -> Bool {
        if has("<?") {
            try skip(past: "?>")
            return true
        }
        if has("<!--") {
            try skip(past: "-->")
            return true
        }
        if has("<!") && !has("<![CDATA[") {
            try skipDeclaration()
            return true
        }
        return false
    }

    /// Parses the root element and everything inside it, with an explicit stack (no recursion).
    private mutating func parseRoot() throws(XMLSyntaxError) -> XMLElement {
        var stack: [XMLElement] = []
        while true {
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            if bytes[index] != UInt8(ascii: "<") {
                guard !stack.isEmpty else { throw error(.textOutsideRoot) }
                let text = try parseText()
                Self.appendTrimmed(text, to: &stack[stack.count - 1].text)
                continue
            }
            if has("<![CDATA[") {
                guard !stack.isEmpty else { throw error(.textOutsideRoot) }
                let text = try parseCDATA()
                Self.appendTrimmed(text, to: &stack[stack.count - 1].text)
                continue
            }
            if try skipMarkup() { continue }
            if has("</") {
                index += 2
                let name = try parseName()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { throw error(.unexpectedByte) }
                index += 1
                guard let element = stack.popLast() else { throw error(.unexpectedByte) }
                guard element.name == name else { throw error(.mismatchedEndTag(expected: element.name, got: name)) }
                if stack.isEmpty { return element }
                stack[stack.count - 1].children.append(element)
                continue
            }
            index += 1
            let (element, selfClosing) = try parseStartTag()
            if selfClosing {
                if stack.isEmpty { return element }
                stack[stack.count - 1].children.append(element)
            } else {
                guard stack.count < maxDepth else { throw error(.tooDeep(limit: maxDepth)) }
                stack.append(element)
            }
        }
    }

    /// Reads `name attr="value" …` then `>` or `/>`; `index` is past the `<`.
    private mutating func parseStartTag() throws(XMLSyntaxError) -> (XMLElement, selfClosing: Bool) {
        var element = XMLElement(name: try parseName())
        while true {
            let hadSpace = skipWhitespace()
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            switch bytes[index] {
            case UInt8(ascii: ">"):
                index += 1
                return (element, false)
            case UInt8(ascii: "/"):
                guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") else {
                    throw error(.unexpectedByte)
                }
                index += 2
                return (element, true)
            default:
                guard hadSpace else { throw error(.unexpectedByte) }
                let name = try parseName()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { throw error(.unexpectedByte) }
                index += 1
                skipWhitespace()
                element.attributes.append((name, try parseAttributeValue()))
            }
        }
    }

    private mutating func parseName() throws(XMLSyntaxError) -> String {
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "<"),
                UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "&"):
                break
            default:
                index += 1
                continue
            }
            break
        }
        guard index > start else { throw error(index < bytes.count ? .unexpectedByte : .unexpectedEnd) }
        let first = bytes[start]
        // A name cannot start with a digit, '-' or '.'.
        if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) || first == UInt8(ascii: "-")
            || first == UInt8(ascii: ".")
        {
            throw error(.invalidName, at: start)
        }
        return try string(start..<index)
    }

    private mutating func parseAttributeValue() throws(XMLSyntaxError) -> String {
        guard index < bytes.count else { throw error(.unexpectedEnd) }
        let quote = bytes[index]
        guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { throw error(.unexpectedByte) }
        index += 1
        var output: [UInt8] = []
        var runStart = index
        while true {
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            switch bytes[index] {
            case quote:
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                index += 1
                return try string(output)
            case UInt8(ascii: "<"):
                throw error(.unexpectedByte)
            case UInt8(ascii: "&"):
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                try parseReference(into: &output)
                runStart = index
            default:
                index += 1
            }
        }
    }

    /// Character data up to the next `<`, with references resolved.
    private mutating func parseText() throws(XMLSyntaxError) -> String {
        // Most text has no reference: one String straight from the bytes, no intermediate array.
        let start = index
        while index < bytes.count && bytes[index] != UInt8(ascii: "<") && bytes[index] != UInt8(ascii: "&") {
            index += 1
        }
        if index == bytes.count || bytes[index] == UInt8(ascii: "<") { return try string(start..<index) }
        var output: [UInt8] = []
        var runStart = start
        while index < bytes.count && bytes[index] != UInt8(ascii: "<") {
            if bytes[index] == UInt8(ascii: "&") {
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                try parseReference(into: &output)
                runStart = index
            } else {
                index += 1
            }
        }
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
        return try string(output)
    }

    private mutating func parseCDATA() throws(XMLSyntaxError) -> String {
        index += 9  // <![CDATA[
        let start = index
        try skip(past: "]]>", from: start)
        return try string(start..<(index - 3))
    }

    /// Resolves `&name;` or `&#…;` at `index` into UTF-8.
    private mutating func parseReference(into output: inout [UInt8]) throws(XMLSyntaxError) {
        let start = index
        index += 1
        guard let semicolon = firstIndex(of: UInt8(ascii: ";"), from: index, within: 12) else {
            throw error(.invalidReference, at: start)
        }
        let name = UnsafeRawBufferPointer(rebasing: bytes[index..<semicolon])
        index = semicolon + 1
        if let predefined = Self.predefinedEntity(name) {
            output.append(predefined)
        } else {
            guard name.count >= 2, name[0] == UInt8(ascii: "#") else { throw error(.invalidReference, at: start) }
            let hex = name[1] == UInt8(ascii: "x")
            let digits = UnsafeRawBufferPointer(rebasing: name[(hex ? 2 : 1)...])
            var value: UInt32 = 0
            guard !digits.isEmpty else { throw error(.invalidReference, at: start) }
            for digit in digits {
                guard let digitValue = Self.digitValue(digit, hex: hex), value < 0x11_0000 else {
                    throw error(.invalidReference, at: start)
                }
                value = value * (hex ? 16 : 10) + UInt32(digitValue)
            }
            // XML 1.0 characters only: no NUL or other C0 controls besides tab, newline and carriage return.
            guard value >= 0x20 || value == 0x09 || value == 0x0A || value == 0x0D, let scalar = Unicode.Scalar(value)
            else { throw error(.invalidReference, at: start) }
            UTF8.encode(scalar) { output.append($0) }
        }
    }

    /// The character of `&lt;`, `&gt;`, `&amp;`, `&apos;` or `&quot;`, by the name between `&` and `;`.
    private static func predefinedEntity(_ name: UnsafeRawBufferPointer) -> UInt8? {
        func equals(_ literal: StaticString) -> Bool {
            name.count == literal.utf8CodeUnitCount
                && name.indices.allSatisfy { name[$0] == literal.utf8Start[$0] }
        }
        if equals("lt") { return UInt8(ascii: "<") }
        if equals("gt") { return UInt8(ascii: ">") }
        if equals("amp") { return UInt8(ascii: "&") }
        if equals("apos") { return UInt8(ascii: "'") }
        if equals("quot") { return UInt8(ascii: "\"") }
        return nil
    }

    private static func digitValue(_ byte: UInt8, hex: Bool) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Skips `<!DOCTYPE …>` or another `<!…>` declaration, with a bracketed internal subset and quoted strings.
    private mutating func skipDeclaration() throws(XMLSyntaxError) {
        var depth = 0
        var quote: UInt8?
        index += 2
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if let open = quote {
                if byte == open { quote = nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
            case UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ">") where depth <= 0: return
            default: break
            }
        }
        throw error(.unexpectedEnd)
    }

    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return index > start
            }
        }
        return index > start
    }

    private func has(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] { return false }
        return true
    }

    /// Moves `index` past the next `terminator` at or after `from` (default: `index`).
    private mutating func skip(past terminator: StaticString, from: Int? = nil) throws(XMLSyntaxError) {
        let count = terminator.utf8CodeUnitCount
        var position = from ?? index
        while position + count <= bytes.count {
            var matches = true
            for offset in 0..<count where bytes[position + offset] != terminator.utf8Start[offset] {
                matches = false
                break
            }
            if matches {
                index = position + count
                return
            }
            position += 1
        }
        index = bytes.count
        throw error(.unexpectedEnd)
    }

    private func firstIndex(of byte: UInt8, from start: Int, within limit: Int) -> Int? {
        var position = start
        while position < bytes.count && position - start <= limit {
            if bytes[position] == byte { return position }
            position += 1
        }
        return nil
    }

    private func string(_ range: Range<Int>) throws(XMLSyntaxError) -> String {
        guard let string = String(validating: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self) else {
            throw error(.invalidUTF8, at: range.lowerBound)
        }
        return string
    }

    private func string(_ utf8: [UInt8]) throws(XMLSyntaxError) -> String {
        guard let string = String(validating: utf8, as: UTF8.self) else { throw error(.invalidUTF8) }
        return string
    }

    /// Appends `text` trimmed of the whitespace mxj trims (`\t\r\b\n ` at both ends), when anything is left.
    private static func appendTrimmed(_ text: String, to target: inout String) {
        // Bytes, not Characters: "\r\n" is one Character in Swift.
        let isNoise: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x08 }
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { !isNoise($0) }), let last = utf8.lastIndex(where: { !isNoise($0) })
        else { return }
        target += text[first...last]
    }

    private func error(_ reason: XMLSyntaxError.Reason, at offset: Int? = nil) -> XMLSyntaxError {
        XMLSyntaxError(offset: offset ?? index, reason: reason)
    }
}
