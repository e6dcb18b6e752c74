/// Decodes the content of a validated JSON string into UTF-8 bytes.
///
/// Only keys with escapes and values rendered into URLs take this path; everything else is copied raw.
/// Unpaired surrogate escapes become U+FFFD, as Go's `encoding/json` (and so Lura) decodes them.
enum JSONStringUnescaper {
    /// Writes the decoded content of `input[content]` (the bytes between the quotes) to `output`.
    /// Allocates nothing beyond what `output` does.
    static func unescape<Output: JSONOutput>(
        _ input: UnsafeRawBufferPointer,
        content: Range<Int>,
        into output: inout Output
    ) {
        var index = content.lowerBound
        var runStart = index
        let end = min(content.upperBound, input.count)
        while index < end {
            guard input[index] == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            if runStart < index { output.writeJSON(input, runStart..<index) }
            guard index + 1 < end else { return }
            let escape = input[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): output.writeJSON(byte: 0x08)
            case UInt8(ascii: "f"): output.writeJSON(byte: 0x0C)
            case UInt8(ascii: "n"): output.writeJSON(byte: 0x0A)
            case UInt8(ascii: "r"): output.writeJSON(byte: 0x0D)
            case UInt8(ascii: "t"): output.writeJSON(byte: 0x09)
            case UInt8(ascii: "u"):
                guard let unit = Self.codeUnit(input, at: index, end: end) else { return }
                index += 4
                var scalar = UInt32(unit)
                if unit >= 0xD800 && unit < 0xDC00 {
                    // A high surrogate counts only when a low one follows; otherwise it alone becomes U+FFFD.
                    if index + 6 <= end && input[index] == UInt8(ascii: "\\") && input[index + 1] == UInt8(ascii: "u"),
                        let low = Self.codeUnit(input, at: index + 2, end: end), low >= 0xDC00 && low < 0xE000
                    {
                        scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                        index += 6
                    } else {
                        scalar = 0xFFFD
                    }
                } else if unit >= 0xDC00 && unit < 0xE000 {
                    scalar = 0xFFFD
                }
                Self.writeUTF8(scalar, into: &output)
            default: output.writeJSON(byte: escape)  // `"`, `\` and `/` stand for themselves
            }
            runStart = index
        }
        if runStart < end { output.writeJSON(input, runStart..<end) }
    }

    /// The value of a hex digit, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func codeUnit(_ input: UnsafeRawBufferPointer, at index: Int, end: Int) -> UInt16? {
        guard index + 4 <= end else { return nil }
        var unit: UInt16 = 0
        for offset in 0..<4 {
            guard let digit = Self.hexValue(input[index + offset]) else { return nil }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    private static func writeUTF8<Output: JSONOutput>(_ scalar: UInt32, into output: inout Output) {
        switch scalar {
        case 0..<0x80:
            output.writeJSON(byte: UInt8(scalar))
        case 0x80..<0x800:
            output.writeJSON(byte: UInt8(0xC0 | scalar >> 6))
            output.writeJSON(byte: UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.writeJSON(byte: UInt8(0xE0 | scalar >> 12))
            output.writeJSON(byte: UInt8(0x80 | scalar >> 6 & 0x3F))
            output.writeJSON(byte: UInt8(0x80 | scalar & 0x3F))
        default:
            output.writeJSON(byte: UInt8(0xF0 | scalar >> 18))
            output.writeJSON(byte: UInt8(0x80 | scalar >> 12 & 0x3F))
            output.writeJSON(byte: UInt8(0x80 | scalar >> 6 & 0x3F))
            output.writeJSON(byte: UInt8(0x80 | scalar & 0x3F))
        }
    }
}
