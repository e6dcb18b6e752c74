/// A parse failure with its position, before it becomes a `ConfigurationProblem` naming the file.
struct ConfigurationSyntaxError: Error, Equatable {
    /// What went wrong, e.g. `expected ',' or '}' after an object member, got ']'`.
    var message: String
    /// 1-based line.
    var line: Int
    /// 1-based column, in Unicode scalars.
    var column: Int

    /// The position of UTF-8 offset `offset` in `bytes`, as 1-based line and column.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0b1100_0000 != 0b1000_0000 {
                // Continuation bytes belong to the scalar already counted.
                column += 1
            }
        }
        return (line, column)
    }
}
