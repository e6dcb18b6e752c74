extension ConfigValue {
    /// Compact JSON text of this value, members in file order (e.g. `{"max_rate":10,"every":"1s"}`).
    public var jsonText: String {
        var output = ""
        render(into: &output, limit: .max)
        return output
    }

    /// The value as messages quote it: JSON text, cut to about `limit` characters with a trailing `…`.
    func renderedForMessage(limit: Int = 48) -> String {
        var output = ""
        // Rendering stops soon after the limit, so a huge value costs no more than a small one.
        render(into: &output, limit: limit + 1)
        guard output.count > limit else { return output }
        return String(output.prefix(limit - 1)) + "…"
    }

    private func render(into output: inout String, limit: Int) {
        guard output.count < limit else { return }
        switch self {
        case .null:
            output += "null"
        case .bool(let bool):
            output += bool ? "true" : "false"
        case .integer(let integer):
            output += String(integer)
        case .double(let double):
            output += String(double)
        case .string(let string):
            ConfigValue.renderString(string, into: &output)
        case .array(let array):
            output += "["
            for (position, element) in array.enumerated() {
                if position > 0 { output += "," }
                element.render(into: &output, limit: limit)
                if output.count >= limit { return }
            }
            output += "]"
        case .object(let object):
            output += "{"
            for (position, entry) in object.entries.enumerated() {
                if position > 0 { output += "," }
                ConfigValue.renderString(entry.key, into: &output)
                output += ":"
                entry.value.render(into: &output, limit: limit)
                if output.count >= limit { return }
            }
            output += "}"
        }
    }

    /// Writes `string` as a JSON string literal.
    static func renderString(_ string: String, into output: inout String) {
        output += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }

    /// `string` as a JSON string literal, for messages that quote a key or a name.
    static func quoted(_ string: String) -> String {
        var output = ""
        renderString(string, into: &output)
        return output
    }
}
