/// Go's `time.ParseDuration` syntax, which KrakenD uses for every duration (`"1s"`, `"1m30s"`, `"250ms"`).
public enum GoDuration {
    /// Parses `"1h2m3.5s"`, `"100ms"`, `"0"`; nil when the text is not a Go duration or overflows.
    ///
    /// Units: `ns`, `us` (`µs`, `μs`), `ms`, `s`, `m`, `h`. Negative values parse (callers reject them).
    public static func parse(_ text: String) -> Duration? {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        if bytes.elementsEqual("0".utf8) { return .zero }
        guard !bytes.isEmpty else { return nil }
        var total: Double = 0
        while !bytes.isEmpty {
            var whole: Double = 0
            var fraction: Double = 0
            var scale: Double = 1
            var digits = 0
            while let byte = bytes.first, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                whole = whole * 10 + Double(byte - UInt8(ascii: "0"))
                digits += 1
                bytes = bytes.dropFirst()
            }
            if bytes.first == UInt8(ascii: ".") {
                bytes = bytes.dropFirst()
                while let byte = bytes.first, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                    scale /= 10
                    fraction += Double(byte - UInt8(ascii: "0")) * scale
                    digits += 1
                    bytes = bytes.dropFirst()
                }
            }
            guard digits > 0 else { return nil }
            var unit: [UInt8] = []
            while let byte = bytes.first, !(byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")),
                byte != UInt8(ascii: ".")
            {
                unit.append(byte)
                bytes = bytes.dropFirst()
            }
            guard let nanoseconds = unitNanoseconds(unit) else { return nil }
            total += (whole + fraction) * nanoseconds
        }
        guard total < 9.2e18 else { return nil }
        let value = Int64(total.rounded())
        return .nanoseconds(negative ? -value : value)
    }

    private static func unitNanoseconds(_ unit: [UInt8]) -> Double? {
        switch String(decoding: unit, as: UTF8.self) {
        case "ns": 1
        case "us", "µs", "μs": 1_000
        case "ms": 1_000_000
        case "s": 1_000_000_000
        case "m": 60_000_000_000
        case "h": 3_600_000_000_000
        default: nil
        }
    }
}

extension KeyedDecodingContainer {
    /// Decodes an optional Go duration string, throwing a data-corruption error that names the key's path.
    func decodeGoDurationIfPresent(forKey key: Key) throws -> Duration? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let duration = GoDuration.parse(text), duration >= .zero else {
            throw DecodingError.dataCorruptedError(
                forKey: key,
                in: self,
                debugDescription: "expected a duration like \"1s\" or \"250ms\", got \"\(text)\""
            )
        }
        return duration
    }
}
