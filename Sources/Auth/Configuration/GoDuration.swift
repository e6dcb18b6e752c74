/// Parses KrakenD time units, which are Go `time.ParseDuration` strings: `"1s"`, `"1m30s"`, `"500ms"`, `"1.5h"`.
enum GoDuration {
    /// Seconds in `text`, or `nil` when it is not a Go duration. Negative durations are refused.
    static func seconds(_ text: String) -> Double? {
        var rest = Substring(text)
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter || $0 == "µ" || $0 == "μ" }
            rest = rest.dropFirst(unit.count)
            let scale: Double
            switch unit {
            case "ns": scale = 1e-9
            case "us", "µs", "μs": scale = 1e-6
            case "ms": scale = 1e-3
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            default: return nil
            }
            total += value * scale
        }
        return total.isFinite ? total : nil
    }
}
