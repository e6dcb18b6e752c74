import NIOCore

/// Writes a JSON object as XML the way krakend-xml's renderer does (clbanning/mxj `Map.Xml()` with
/// `XMLEscapeChars(true)`, `krakend-xml/gin/render.go`):
/// - one top-level member whose value is not an array: that member is the root element (`{"user": {…}}` →
///   `<user>…</user>`); otherwise the root is `<doc>`;
/// - `"-name"` members are attributes of their element, `"#text"` is the element's text;
/// - an array repeats its element once per item (`{"id": [1, 2]}` → `<id>1</id><id>2</id>`);
/// - strings are escaped (`&amp; &lt; &gt; &quot; &apos;`); numbers keep their JSON text, booleans are
///   `true`/`false`; `null`, `""` and `{}` are empty elements (`<name/>`);
/// - no XML declaration and no indentation, as mxj writes.
///
/// Where Portico differs, on purpose: members keep the object's order (mxj sorts them alphabetically because a
/// Go map has none, and Portico's JSON output keeps order too); a single top-level array member is wrapped in
/// `<doc>` so there is always exactly one root; a key that is not a valid XML name has each offending character
/// replaced by `_` (mxj writes it raw, which can break the document); characters XML 1.0 forbids become
/// U+FFFD, as Go's `xml.EscapeText` does; `#text` is escaped too.
///
/// Allocates the output buffer's growth only.
enum XMLObjectWriter {
    /// mxj's `DefaultRootTag`.
    static let defaultRoot = "doc"

    /// Writes `object` (normally a `.object`) as one XML document.
    static func write(_ object: JSONValue, into buffer: inout ByteBuffer) {
        if case .object(let members) = object, members.count == 1 {
            for (key, value) in members {
                if case .array = value { break }
                writeElement(key, value, into: &buffer)
                return
            }
        }
        writeElement(defaultRoot, object, into: &buffer)
    }

    /// The document as a `String`, for tests and slow paths.
    static func text(_ object: JSONValue) -> String {
        var buffer = ByteBufferAllocator().buffer(capacity: 256)
        write(object, into: &buffer)
        return String(buffer: buffer)
    }

    private static func writeElement(_ key: String, _ value: JSONValue, into buffer: inout ByteBuffer) {
        switch value {
        case .array(let items):
            for item in items { writeElement(key, item, into: &buffer) }
        case .object(let members):
            buffer.writeInteger(UInt8(ascii: "<"))
            writeName(key, into: &buffer)
            var hasContent = false
            for (name, member) in members where name.hasPrefix("-") && name.utf8.count > 1 {
                guard let text = scalarText(member) else { continue }
                buffer.writeInteger(UInt8(ascii: " "))
                writeName(String(name.dropFirst()), into: &buffer)
                buffer.writeStaticString("=\"")
                writeEscaped(text, into: &buffer)
                buffer.writeInteger(UInt8(ascii: "\""))
            }
            for (name, member) in members where !(name.hasPrefix("-") && name.utf8.count > 1) {
                if !hasContent {
                    // An element with only attributes, or a `#text` that is empty, closes as `/>` like mxj's.
                    if name == "#text", (scalarText(member) ?? "").isEmpty { continue }
                    buffer.writeInteger(UInt8(ascii: ">"))
                    hasContent = true
                }
                if name == "#text" {
                    if let text = scalarText(member) { writeEscaped(text, into: &buffer) }
                } else {
                    writeElement(name, member, into: &buffer)
                }
            }
            if hasContent {
                writeEndTag(key, into: &buffer)
            } else {
                buffer.writeStaticString("/>")
            }
        default:
            buffer.writeInteger(UInt8(ascii: "<"))
            writeName(key, into: &buffer)
            let text = scalarText(value) ?? ""
            if text.isEmpty {
                buffer.writeStaticString("/>")
            } else {
                buffer.writeInteger(UInt8(ascii: ">"))
                writeEscaped(text, into: &buffer)
                writeEndTag(key, into: &buffer)
            }
        }
    }

    private static func writeEndTag(_ key: String, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("</")
        writeName(key, into: &buffer)
        buffer.writeInteger(UInt8(ascii: ">"))
    }

    /// The text of a string, number or boolean; `""` for null; nil for arrays and objects.
    private static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .null: ""
        case .bool(let bool): bool ? "true" : "false"
        case .number(let text): text
        case .string(let string): string
        case .array, .object: nil
        }
    }

    /// Writes `name`, replacing each character that cannot appear in an XML name by `_` (and a first character
    /// that cannot start one: digits, `-`, `.`).
    static func writeName(_ name: String, into buffer: inout ByteBuffer) {
        if name.isEmpty {
            buffer.writeInteger(UInt8(ascii: "_"))
            return
        }
        var isFirst = true
        for scalar in name.unicodeScalars {
            if isNameCharacter(scalar, first: isFirst) {
                UTF8.encode(scalar) { buffer.writeInteger($0) }
            } else {
                buffer.writeInteger(UInt8(ascii: "_"))
            }
            isFirst = false
        }
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar, first: Bool) -> Bool {
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A, 0x5F, 0x3A: true  // A-Z a-z _ :
        case 0x30...0x39, 0x2D, 0x2E: !first  // 0-9 - .
        case 0xB7: !first
        case 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D, 0x37F...0x1FFF, 0x200C...0x200D,
            0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFFD, 0x10000...0xEFFFF:
            true
        case 0x300...0x36F, 0x203F...0x2040: !first
        default: false
        }
    }

    /// Writes `text` with mxj's five escapes; characters XML 1.0 forbids (C0 controls but tab, newline and
    /// carriage return; U+FFFE, U+FFFF) become U+FFFD. Unescaped runs are copied whole.
    static func writeEscaped(_ text: String, into buffer: inout ByteBuffer) {
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                let replacement: StaticString
                var width = 1
                switch byte {
                case UInt8(ascii: "&"): replacement = "&amp;"
                case UInt8(ascii: "<"): replacement = "&lt;"
                case UInt8(ascii: ">"): replacement = "&gt;"
                case UInt8(ascii: "\""): replacement = "&quot;"
                case UInt8(ascii: "'"): replacement = "&apos;"
                case 0x09, 0x0A, 0x0D:
                    index += 1
                    continue
                case 0x00..<0x20: replacement = "\u{FFFD}"
                case 0xEF where index + 2 < bytes.count && bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE:
                    // U+FFFE and U+FFFF.
                    replacement = "\u{FFFD}"
                    width = 3
                default:
                    index += 1
                    continue
                }
                buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                buffer.writeStaticString(replacement)
                index += width
                runStart = index
            }
            buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
    }
}
