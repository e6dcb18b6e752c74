/// Splits and percent-decodes `application/x-www-form-urlencoded` query strings.
enum QueryString {
    /// The `name=value` pairs of `query` in order; `+` becomes a space and malformed escapes stay as written.
    static func parse(_ query: Substring) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            if let equals = part.firstIndex(of: "=") {
                pairs.append(
                    (
                        Self.decode(part[part.startIndex..<equals]),
                        Self.decode(part[part.index(after: equals)...])
                    )
                )
            } else {
                pairs.append((Self.decode(part), ""))
            }
        }
        return pairs
    }

    /// The first value of `name` in `query`, if present.
    static func value(of name: String, in query: Substring) -> String? {
        Self.parse(query).first { $0.name == name }?.value
    }

    static func decode(_ text: Substring) -> String {
        let utf8 = Array(text.utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "+") {
                decoded.append(UInt8(ascii: " "))
                index += 1
            } else if byte == UInt8(ascii: "%"), index + 2 < utf8.count,
                let high = Self.hexValue(utf8[index + 1]), let low = Self.hexValue(utf8[index + 2])
            {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(byte)
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
