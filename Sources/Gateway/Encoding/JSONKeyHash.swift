/// The hash that finds equal object keys (duplicate detection, merging, name look-ups).
///
/// Word-at-a-time multiply-xorshift with a per-process random seed, so a backend cannot pre-compute colliding
/// keys for a known seed; it is not a cryptographic defence, and `JSONLimits.maxBytes` bounds the rest.
/// Keys hash by their decoded bytes, so `"a"` and `"\u0061"` collide as they must.
enum JSONKeyHash {
    /// Read once per collector where hashing is hot: each read of a global costs a `swift_once` check.
    static let seed = UInt64.random(in: .min ... .max)
    private static let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// Hashes raw bytes. Allocates nothing.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = Self.seed) -> UInt64 {
        let count = bytes.count
        var state = seed ^ (UInt64(count) &* Self.multiplier)
        var index = 0
        while index + 8 <= count {
            state = Self.mix(state ^ bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            index += 8
        }
        if index < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while index < count {
                tail |= UInt64(bytes[index]) << shift
                shift += 8
                index += 1
            }
            state = Self.mix(state ^ tail)
        }
        return Self.finalize(state)
    }

    /// Hashes the decoded content of the quoted key at `quoted`; escaped keys decode into a temporary array.
    @inline(__always)
    static func hash(
        _ input: UnsafeRawBufferPointer,
        quoted: Range<Int>,
        escaped: Bool,
        seed: UInt64 = Self.seed
    ) -> UInt64 {
        let content = (quoted.lowerBound + 1)..<max(quoted.lowerBound + 1, quoted.upperBound - 1)
        guard escaped else { return Self.hash(input.rawBytes(in: content), seed: seed) }
        var decoded: [UInt8] = []
        JSONStringUnescaper.unescape(input, content: content, into: &decoded)
        return decoded.withUnsafeBytes { Self.hash($0, seed: seed) }
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        let product = value &* Self.multiplier
        return product ^ (product >> 29)
    }

    @inline(__always)
    private static func finalize(_ value: UInt64) -> UInt64 {
        var state = value
        state ^= state >> 33
        state &*= 0xFF51_AFD7_ED55_8CCD
        state ^= state >> 33
        state &*= 0xC4CE_B9FE_1A85_EC53
        state ^= state >> 33
        return state
    }
}
