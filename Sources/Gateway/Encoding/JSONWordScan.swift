/// Eight-bytes-at-a-time tests ("SWAR") that let scanning skip runs of ordinary bytes.
///
/// Each function loads eight bytes little-endian (byte 0 in the low bits) and returns a mask with the high bit
/// of every byte that may be interesting set. A borrow can flag a byte above a truly interesting one, never
/// below, so the lowest set bit is exact: `firstByteOffset` of a non-zero mask is the first interesting byte.
enum JSONWordScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Eight bytes of `input` from `offset` (which must leave eight bytes), byte 0 in the low bits.
    @inline(__always)
    static func load(_ input: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The offset of the first flagged byte in a non-zero mask.
    @inline(__always)
    static func firstByteOffset(_ mask: UInt64) -> Int {
        mask.trailingZeroBitCount >> 3
    }

    @inline(__always)
    private static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- Self.ones) & ~word & Self.highBits
    }

    @inline(__always)
    private static func bytes(_ word: UInt64, equalTo byte: UInt8) -> UInt64 {
        Self.zeroBytes(word ^ (Self.ones &* UInt64(byte)))
    }

    /// Bytes that end or complicate a string being validated: `"`, `\`, a control byte, or non-ASCII.
    @inline(__always)
    static func stringSpecialBytes(_ word: UInt64) -> UInt64 {
        let control = (word &- Self.ones &* 0x20) & ~word & Self.highBits
        let nonASCII = word & Self.highBits
        return control | nonASCII | Self.bytes(word, equalTo: UInt8(ascii: "\""))
            | Self.bytes(word, equalTo: UInt8(ascii: "\\"))
    }

    /// `"` or `\` (skipping strings already known to be valid).
    @inline(__always)
    static func quoteOrBackslashBytes(_ word: UInt64) -> UInt64 {
        Self.bytes(word, equalTo: UInt8(ascii: "\"")) | Self.bytes(word, equalTo: UInt8(ascii: "\\"))
    }

    /// `"`, `{`, `}`, `[` or `]` (skipping containers already known to be valid).
    @inline(__always)
    static func structuralBytes(_ word: UInt64) -> UInt64 {
        // Setting bit 5 folds `[` onto `{` and `]` onto `}`; no other byte lands on either.
        let folded = word | (Self.ones &* 0x20)
        return Self.bytes(folded, equalTo: UInt8(ascii: "{")) | Self.bytes(folded, equalTo: UInt8(ascii: "}"))
            | Self.bytes(word, equalTo: UInt8(ascii: "\""))
    }
}
