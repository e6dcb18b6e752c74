/// Renders claims as header values exactly as krakend-jose's `Claims.Get` does (Go formatting rules):
/// - strings as they are;
/// - numbers within 1e-6 of an integer as that integer (`%d`), others with six decimals (`%f`);
/// - arrays as their elements in Go's `%v` form joined by `,` (`["a","b"]` → `a,b`, `[1000000]` → `1e+06`);
/// - booleans, `null` and objects as Go's `json.Marshal` writes them (`true`, `null`, `{"a":1}` with sorted keys).
///
/// Control characters (CR, LF, NUL, …) are replaced by spaces so a claim can never split a header.
enum ClaimRendering {
    static func headerValue(_ value: JSONValue) -> String {
        let rendered: String
        switch value {
        case .string(let string):
            rendered = string
        case .number(let literal, let number):
            rendered = formatNumberLikeClaimsGet(literal: literal, value: number)
        case .array(let elements):
            rendered = elements.map { goDefaultFormat($0, depth: 0) }.joined(separator: ",")
        case .bool, .null, .object:
            rendered = goJSON(value, depth: 0)
        }
        return sanitized(rendered)
    }

    static func sanitized(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return text }
        return String(
            decoding: text.utf8.map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: " ") : $0 },
            as: UTF8.self
        )
    }

    static func formatNumberLikeClaimsGet(literal: String, value: Double) -> String {
        guard value.isFinite else { return literal }
        let rounded = value.rounded()
        if abs(value - rounded) <= 1e-6 {
            // Keep integer literals verbatim: a Double would round IDs wider than 2^53.
            if isPlainInteger(literal) { return literal == "-0" ? "0" : literal }
            if let integer = Int64(exactly: rounded) { return String(integer) }
            return literal
        }
        return fixedSixDecimals(value)
    }

    static func isPlainInteger(_ literal: String) -> Bool {
        var bytes = Substring(literal).utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        return !bytes.isEmpty && bytes.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Go's `%f`: six decimals, half-even on the scaled value (exact for the magnitudes claims use).
    static func fixedSixDecimals(_ value: Double) -> String {
        let negative = value < 0
        let scaled = (abs(value) * 1_000_000).rounded(.toNearestOrEven)
        guard scaled < 9.0e15 else { return shortest(value).goFixed() }
        let total = UInt64(scaled)
        let fraction = String(total % 1_000_000)
        let padded = String(repeating: "0", count: 6 - fraction.count) + fraction
        return (negative ? "-" : "") + String(total / 1_000_000) + "." + padded
    }

    /// Go's `%v` for a value decoded into `interface{}`.
    static func goDefaultFormat(_ value: JSONValue, depth: Int) -> String {
        switch value {
        case .string(let string): return string
        case .number(_, let number): return shortest(number).goG()
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "<nil>"
        case .array(let elements):
            return "[" + elements.map { goDefaultFormat($0, depth: depth + 1) }.joined(separator: " ") + "]"
        case .object(let members):
            let sorted = members.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            return "map[" + sorted.map { "\($0.0):\(goDefaultFormat($0.1, depth: depth + 1))" }.joined(separator: " ")
                + "]"
        }
    }

    /// Go's `json.Marshal` of a value decoded into `interface{}` (map keys sorted, HTML characters escaped).
    static func goJSON(_ value: JSONValue, depth: Int) -> String {
        switch value {
        case .string(let string): return goJSONString(string)
        case .number(_, let number): return shortest(number).goJSONNumber()
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array(let elements):
            return "[" + elements.map { goJSON($0, depth: depth + 1) }.joined(separator: ",") + "]"
        case .object(let members):
            let sorted = members.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            return "{" + sorted.map { goJSONString($0.0) + ":" + goJSON($0.1, depth: depth + 1) }.joined(separator: ",")
                + "}"
        }
    }

    static func goJSONString(_ string: String) -> String {
        var output = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                output += "\\u" + hex4(scalar.value)
            default:
                if scalar.value < 0x20 {
                    output += "\\u" + hex4(scalar.value)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }

    static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    static func shortest(_ value: Double) -> ShortestDecimal { ShortestDecimal(value) }
}

/// The shortest round-tripping decimal digits of a `Double` (from Swift's own shortest printing), re-rendered
/// with Go's `strconv` layouts.
struct ShortestDecimal {
    var negative: Bool
    /// Significant digits, no leading zeros ("0" for zero).
    var digits: [UInt8]
    /// Position of the decimal point relative to the digits (value = 0.digits × 10^pointPosition).
    var pointPosition: Int
    var special: String?

    init(_ value: Double) {
        negative = value.sign == .minus && value != 0
        special = value.isNaN ? "NaN" : value.isInfinite ? (value < 0 ? "-Inf" : "+Inf") : nil
        digits = []
        pointPosition = 0
        guard special == nil else { return }
        if value == 0 {
            digits = [UInt8(ascii: "0")]
            pointPosition = 1
            return
        }
        let text = abs(value).description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var integerCount = mantissa.count
        var all: [UInt8] = []
        for (offset, byte) in mantissa.utf8.enumerated() {
            if byte == UInt8(ascii: ".") {
                integerCount = offset
            } else {
                all.append(byte)
            }
        }
        var point = integerCount + exponent
        while all.first == UInt8(ascii: "0") && all.count > 1 {
            all.removeFirst()
            point -= 1
        }
        while all.last == UInt8(ascii: "0") && all.count > 1 { all.removeLast() }
        digits = all
        pointPosition = point
    }

    private var sign: String { negative ? "-" : "" }

    /// `strconv.FormatFloat(v, 'f', -1, 64)`.
    func goFixed() -> String {
        if let special { return special }
        var output = sign
        if pointPosition <= 0 {
            output += "0." + String(repeating: "0", count: -pointPosition) + String(decoding: digits, as: UTF8.self)
        } else if pointPosition >= digits.count {
            output +=
                String(decoding: digits, as: UTF8.self) + String(repeating: "0", count: pointPosition - digits.count)
        } else {
            output +=
                String(decoding: digits[..<pointPosition], as: UTF8.self) + "."
                + String(decoding: digits[pointPosition...], as: UTF8.self)
        }
        return output
    }

    /// `strconv.FormatFloat(v, 'e', -1, 64)`: at least two exponent digits.
    func goExponent() -> String {
        if let special { return special }
        var output = sign + String(UnicodeScalar(digits[0]))
        if digits.count > 1 { output += "." + String(decoding: digits[1...], as: UTF8.self) }
        let exponent = pointPosition - 1
        let magnitude = String(abs(exponent))
        return output + (exponent < 0 ? "e-" : "e+") + (magnitude.count < 2 ? "0" : "") + magnitude
    }

    /// Go's `%v` for a float64: `%g` with shortest digits, exponent form when the exponent is < -4 or ≥ 6
    /// (so `1000000` prints `1e+06`, as `fmt.Println` does).
    func goG() -> String {
        if let special { return special }
        let exponent = pointPosition - 1
        return exponent < -4 || exponent >= 6 ? goExponent() : goFixed()
    }

    /// `encoding/json` float64: `'f'` for 1e-6 ≤ |v| < 1e21, else `'e'` with the exponent's leading zero removed.
    func goJSONNumber() -> String {
        if let special { return special }
        let exponent = pointPosition - 1
        let isZero = digits == [UInt8(ascii: "0")]
        if isZero || (exponent >= -6 && exponent < 21) { return goFixed() }
        var text = goExponent()
        if let range = text.range(of: "e-0") {
            text.replaceSubrange(range, with: "e-")
        } else if let range = text.range(of: "e+0") {
            text.replaceSubrange(range, with: "e+")
        }
        return text
    }
}
