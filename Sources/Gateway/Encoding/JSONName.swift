/// A member name from the configuration (`allow`, `mapping`, `group`, …), prepared once at start-up in the
/// two forms the request path needs: decoded bytes to compare with, and a quoted JSON string to write.
struct JSONName: Sendable, Hashable {
    /// UTF-8 bytes of the name, compared with decoded keys.
    let unescaped: [UInt8]
    /// The name as a JSON string literal with quotes, written as an output key.
    let quoted: [UInt8]
    /// `JSONKeyHash` of `unescaped`.
    let hash: UInt64

    init(_ text: String) {
        self.unescaped = Array(text.utf8)
        var quoted: [UInt8] = [UInt8(ascii: "\"")]
        for byte in self.unescaped {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                quoted.append(UInt8(ascii: "\\"))
                quoted.append(byte)
            case 0x0A: quoted.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: quoted.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: quoted.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hexDigits = Array("0123456789abcdef".utf8)
                quoted.append(contentsOf: Array("\\u00".utf8))
                quoted.append(hexDigits[Int(byte >> 4)])
                quoted.append(hexDigits[Int(byte & 0x0F)])
            default: quoted.append(byte)
            }
        }
        quoted.append(UInt8(ascii: "\""))
        self.quoted = quoted
        self.hash = self.unescaped.withUnsafeBytes { JSONKeyHash.hash($0) }
    }
}
