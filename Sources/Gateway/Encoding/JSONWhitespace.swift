/// Removes insignificant whitespace from JSON text, so pretty-printed backend bodies come out compact, as
/// KrakenD's re-encoding does.
///
/// JSON strings cannot contain raw line feeds, carriage returns or tabs, so a body without those bytes is already
/// compact enough and is left alone (`needsCompaction` is a fast scan); one with them is copied without any
/// whitespace outside strings. The text is not validated here: invalid input stays invalid for the validator.
enum JSONWhitespace {
    /// True when `input` contains a line feed, carriage return or tab (whitespace that can only be formatting)
    /// before its last significant byte; the common trailing newline alone does not count (it is never copied).
    static func needsCompaction(_ input: UnsafeRawBufferPointer) -> Bool {
        var end = input.count
        while end > 0, isWhitespace(input[end - 1]) { end -= 1 }
        var index = 0
        while index < end {
            let byte = input[index]
            if byte == 0x0A || byte == 0x0D || byte == 0x09 { return true }
            index += 1
        }
        return false
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Copies `input` to `output` without whitespace outside strings. Allocates nothing beyond `output`'s growth.
    static func compact<Output: JSONOutput>(_ input: UnsafeRawBufferPointer, into output: inout Output) {
        var inString = false
        var escaped = false
        var runStart = 0
        var index = 0
        let count = input.count
        while index < count {
            let byte = input[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if isWhitespace(byte) {
                // Flush the run before the whitespace and skip it.
                if index > runStart {
                    output.writeJSON(bytes: UnsafeRawBufferPointer(rebasing: input[runStart..<index]))
                }
                runStart = index + 1
            }
            index += 1
        }
        if count > runStart {
            output.writeJSON(bytes: UnsafeRawBufferPointer(rebasing: input[runStart..<count]))
        }
    }
}
