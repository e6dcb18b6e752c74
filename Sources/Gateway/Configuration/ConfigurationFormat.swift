/// The syntax of a configuration file: JSON or YAML, holding the same structure.
public enum ConfigurationFormat: String, Sendable, CaseIterable {
    /// `.json`, parsed strictly (RFC 8259).
    case json
    /// `.yaml` / `.yml`, YAML 1.2 core schema.
    case yaml

    /// The format for `fileName`: by extension (`.json`, `.yaml`, `.yml`, any case), otherwise sniffed from `text`
    /// (a first non-blank character `{` or `[` means JSON).
    public static func detect(fileName: String, text: String) -> ConfigurationFormat {
        let lowercased = fileName.lowercased()
        if lowercased.hasSuffix(".json") { return .json }
        if lowercased.hasSuffix(".yaml") || lowercased.hasSuffix(".yml") { return .yaml }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0xEF, 0xBB, 0xBF:
                continue  // Whitespace and a UTF-8 byte order mark.
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                return .json
            default:
                return .yaml
            }
        }
        return .json
    }

    /// Parses `text` in this format; a syntax error names `fileName`, the line and the column.
    public func parse(_ text: String, fileName: String) throws(ConfigurationError) -> ConfigValue {
        do {
            switch self {
            case .json:
                var parser = JSONConfigurationParser(text: text)
                return try parser.parse()
            case .yaml:
                return try YAMLConfigurationParser.parse(text)
            }
        } catch {
            throw ConfigurationError(problems: [
                ConfigurationProblem(
                    file: fileName,
                    path: "",
                    message: error.message,
                    line: error.line,
                    column: error.column
                )
            ])
        }
    }
}
