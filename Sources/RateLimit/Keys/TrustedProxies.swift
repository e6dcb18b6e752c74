/// A set of CIDR ranges whose peers are trusted to report the client address in a forwarding header.
public struct TrustedProxies: Sendable, Hashable {
    /// One range: an address and a prefix length over the 128-bit (IPv4-mapped) space.
    public struct Range: Sendable, Hashable {
        /// The network address.
        public var address: IPAddressBytes
        /// Prefix length in bits over 128 (an IPv4 `/24` is stored as `/120`).
        public var prefixLength: Int

        /// Whether `candidate` lies in this range.
        public func contains(_ candidate: IPAddressBytes) -> Bool {
            let highBits = min(prefixLength, 64)
            let lowBits = max(prefixLength - 64, 0)
            let highMask: UInt64 = highBits == 0 ? 0 : ~UInt64(0) << (64 - highBits)
            let lowMask: UInt64 = lowBits == 0 ? 0 : ~UInt64(0) << (64 - lowBits)
            return (candidate.high & highMask) == (address.high & highMask)
                && (candidate.low & lowMask) == (address.low & lowMask)
        }
    }

    /// The ranges, in configuration order.
    public var ranges: [Range]

    /// Parses `["10.0.0.0/8", "192.0.2.7", "2001:db8::/32"]`; a bare address is a single host.
    /// - Throws: `RateLimitConfigurationError` naming the first entry that is not an address or CIDR range.
    public init(_ entries: [String]) throws(RateLimitConfigurationError) {
        var ranges: [Range] = []
        for entry in entries {
            guard let range = Self.parse(entry) else {
                throw RateLimitConfigurationError("trusted_proxies: \"\(entry)\" is not an IP address or CIDR range")
            }
            ranges.append(range)
        }
        self.ranges = ranges
    }

    /// Whether `address` is a trusted proxy; allocation-free over the configured ranges.
    public func contains(_ address: IPAddressBytes) -> Bool {
        for range in ranges where range.contains(address) {
            return true
        }
        return false
    }

    private static func parse(_ entry: String) -> Range? {
        let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddressBytes(parts[0]) else { return nil }
        let maximum = address.isIPv4 ? 32 : 128
        var prefix = maximum
        if parts.count == 2 {
            guard let value = Int(parts[1]), (0...maximum).contains(value) else { return nil }
            prefix = value
        }
        return Range(address: address, prefixLength: address.isIPv4 ? prefix + 96 : prefix)
    }
}
