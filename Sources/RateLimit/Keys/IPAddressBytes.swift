/// An IPv4 or IPv6 address as 16 bytes (IPv4 mapped into `::ffff:0:0/96`), parsed without Foundation.
public struct IPAddressBytes: Sendable, Hashable {
    /// High 64 bits, network order.
    public var high: UInt64
    /// Low 64 bits, network order.
    public var low: UInt64
    /// Whether the text was an IPv4 address.
    public var isIPv4: Bool

    /// Parses a textual IPv4 (`192.0.2.1`) or IPv6 (`2001:db8::1`, `::ffff:192.0.2.1`) address; nil otherwise.
    ///
    /// IPv4 parsing is allocation-free; IPv6 copies the (at most 45) bytes into a scratch array. Zone identifiers
    /// (`fe80::1%eth0`) are not accepted.
    public init?<S: StringProtocol>(_ text: S) {
        if let v4 = Self.parseIPv4(text.utf8) {
            self.high = 0
            self.low = 0xffff_0000_0000 | UInt64(v4)
            self.isIPv4 = true
            return
        }
        var utf8 = Array(text.utf8.prefix(46))
        guard !utf8.isEmpty, utf8.count < 46, let (high, low) = Self.parseIPv6(&utf8) else { return nil }
        self.high = high
        self.low = low
        self.isIPv4 = false
    }

    /// Creates an address from its two halves.
    public init(high: UInt64, low: UInt64, isIPv4: Bool) {
        self.high = high
        self.low = low
        self.isIPv4 = isIPv4
    }

    private static func parseIPv4(_ bytes: some Sequence<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var dots = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                // A leading zero followed by more digits is ambiguous (octal in some parsers): refuse it.
                if digits == 1 && octet == 0 { return nil }
                octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                if octet > 255 { return nil }
            case UInt8(ascii: "."):
                guard digits > 0, dots < 3 else { return nil }
                value = value << 8 | octet
                octet = 0
                digits = 0
                dots += 1
            default:
                return nil
            }
        }
        guard digits > 0, dots == 3 else { return nil }
        return value << 8 | octet
    }

    private static func parseIPv6(_ bytes: inout [UInt8]) -> (UInt64, UInt64)? {
        var groups = [UInt16](repeating: 0, count: 8)
        var count = 0
        var gap: Int? = nil
        var index = 0
        let end = bytes.count
        if end >= 2 && bytes[0] == UInt8(ascii: ":") && bytes[1] == UInt8(ascii: ":") {
            gap = 0
            index = 2
            if index == end { return (0, 0) }
        } else if end >= 1 && bytes[0] == UInt8(ascii: ":") {
            return nil
        }
        while index < end {
            guard count < 8 else { return nil }
            // An embedded IPv4 tail (`::ffff:192.0.2.1`) fills the last two groups.
            if let dot = bytes[index...].firstIndex(of: UInt8(ascii: ".")),
                !bytes[index..<dot].contains(UInt8(ascii: ":"))
            {
                guard count <= 6, let v4 = parseIPv4(bytes[index...]) else { return nil }
                groups[count] = UInt16(v4 >> 16)
                groups[count + 1] = UInt16(v4 & 0xffff)
                count += 2
                index = end
                break
            }
            var group: UInt32 = 0
            var digits = 0
            while index < end, let nibble = hexValue(bytes[index]) {
                group = group << 4 | UInt32(nibble)
                digits += 1
                index += 1
                if digits > 4 { return nil }
            }
            guard digits > 0 else { return nil }
            groups[count] = UInt16(group)
            count += 1
            if index == end { break }
            guard bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            if index < end && bytes[index] == UInt8(ascii: ":") {
                guard gap == nil else { return nil }
                gap = count
                index += 1
                if index == end { break }
            } else if index == end {
                return nil
            }
        }
        if let gap {
            guard count < 8 else { return nil }
            let tail = count - gap
            for offset in 0..<tail {
                groups[7 - offset] = groups[count - 1 - offset]
            }
            for slot in gap..<(8 - tail) {
                groups[slot] = 0
            }
        } else if count != 8 {
            return nil
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for slot in 0..<4 {
            high = high << 16 | UInt64(groups[slot])
            low = low << 16 | UInt64(groups[slot + 4])
        }
        return (high, low)
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
