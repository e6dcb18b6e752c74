/// Durations written as Go's `time.ParseDuration` reads them, which is what KrakenD uses for every duration key.
///
/// A duration is one or more decimal numbers, each with an optional fraction and a unit: `"800ms"`, `"3s"`,
/// `"1.5s"`, `"1h30m"`, `".5s"`, `"300us"`, `"300µs"`. Units: `ns`, `us`, `µs` (U+00B5), `μs` (U+03BC), `ms`, `s`, `m`,
/// `h`. A leading `+` or `-` is allowed; `"0"` is the only number accepted without a unit. Anything past ±292 years
/// (Int64 nanoseconds) is rejected, as Go does.
///
/// Internal: `RateLimit` has a public type of the same name; outside this module, durations come through
/// `ConfigValueDecoder` (which decodes `Duration` from these strings).
enum GoDuration {
    /// Parses `text`, or returns nil when Go would reject it.
    static func parse(_ text: String) -> Duration? {
        nanoseconds(text).map { Duration.nanoseconds($0) }
    }

    /// Parses `text` into nanoseconds, or returns nil when Go would reject it.
    static func nanoseconds(_ text: String) -> Int64? {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        if bytes.elementsEqual("0".utf8) { return 0 }
        guard !bytes.isEmpty else { return nil }

        // Accumulated as UInt64 so that exactly -2^63 ns stays representable, as in Go.
        var total: UInt64 = 0
        while !bytes.isEmpty {
            // The integer part.
            guard let first = bytes.first, first == UInt8(ascii: ".") || isDigit(first) else { return nil }
            let (whole, wholeDigits, afterWhole) = leadingInteger(bytes)
            guard let whole else { return nil }
            bytes = afterWhole

            // The fraction: digits past what fits are dropped, as Go does.
            var fraction: UInt64 = 0
            var scale: Double = 1
            var fractionDigits = 0
            if bytes.first == UInt8(ascii: ".") {
                bytes = bytes.dropFirst()
                var overflowed = false
                while let byte = bytes.first, isDigit(byte) {
                    bytes = bytes.dropFirst()
                    fractionDigits += 1
                    if overflowed { continue }
                    let (times10, o1) = fraction.multipliedReportingOverflow(by: 10)
                    let (next, o2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                    if o1 || o2 || next > UInt64(1) << 63 {
                        overflowed = true
                        continue
                    }
                    fraction = next
                    scale *= 10
                }
            }
            guard wholeDigits + fractionDigits > 0 else { return nil }

            // The unit: everything up to the next digit or dot.
            var unitBytes: [UInt8] = []
            while let byte = bytes.first, byte != UInt8(ascii: "."), !isDigit(byte) {
                unitBytes.append(byte)
                bytes = bytes.dropFirst()
            }
            guard let unit = unitNanoseconds(unitBytes) else { return nil }

            let (scaled, overflow) = whole.multipliedReportingOverflow(by: unit)
            guard !overflow, scaled <= UInt64(1) << 63 else { return nil }
            var component = scaled
            if fraction > 0 {
                // Float arithmetic as in Go; the result can only lose sub-nanosecond precision.
                let fractional = Double(fraction) * (Double(unit) / scale)
                let (withFraction, fractionOverflow) = component.addingReportingOverflow(UInt64(fractional))
                guard !fractionOverflow, withFraction <= UInt64(1) << 63 else { return nil }
                component = withFraction
            }
            let (sum, sumOverflow) = total.addingReportingOverflow(component)
            guard !sumOverflow, sum <= UInt64(1) << 63 else { return nil }
            total = sum
        }
        if negative { return total == UInt64(1) << 63 ? Int64.min : -Int64(total) }
        return total == UInt64(1) << 63 ? nil : Int64(total)
    }

    private static func leadingInteger(
        _ bytes: Substring.UTF8View.SubSequence
    ) -> (value: UInt64?, digits: Int, rest: Substring.UTF8View.SubSequence) {
        var value: UInt64 = 0
        var digits = 0
        var rest = bytes
        var overflowed = false
        while let byte = rest.first, isDigit(byte) {
            rest = rest.dropFirst()
            digits += 1
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            if o1 || o2 || next > UInt64(1) << 63 { overflowed = true }
            value = next
        }
        return (overflowed ? nil : value, digits, rest)
    }

    private static func unitNanoseconds(_ unit: [UInt8]) -> UInt64? {
        switch unit {
        case Array("ns".utf8): return 1
        case Array("us".utf8), Array("µs".utf8), Array("μs".utf8): return 1_000
        case Array("ms".utf8): return 1_000_000
        case Array("s".utf8): return 1_000_000_000
        case Array("m".utf8): return 60 * 1_000_000_000
        case Array("h".utf8): return 3_600 * 1_000_000_000
        default: return nil
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
